package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PNG size: 16 × 10 cm at 200 dots per inch, a figure width for papers.
const (
	pngWidth  = 16 * vg.Centimeter
	pngHeight = 10 * vg.Centimeter
	pngDPI    = 200
)

// WritePNGs writes each chart of the report as dir/<chart id>.png (for
// example remittances.png), drawn with gonum/plot: the same series,
// observed points (filled; bounds hollow), the ensemble's p05–p95 band and
// the marker where the observed data stop. Each file is written
// atomically; other files in dir are left alone. It returns the paths
// written.
func WritePNGs(dir string, r *Report) ([]string, error) {
	var paths []string
	for _, c := range r.Charts {
		p, err := chartPlot(c, r.LastYear)
		if err != nil {
			return paths, fmt.Errorf("chart %s: %w", c.ID, err)
		}
		path := filepath.Join(dir, c.ID+".png")
		err = writeAtomic(path, func(w io.Writer) error {
			c := vgimg.NewWith(vgimg.UseWH(pngWidth, pngHeight), vgimg.UseDPI(pngDPI))
			p.Draw(draw.New(c))
			_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
			return err
		})
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func hexColor(s string, alpha uint8) color.Color {
	n, _ := strconv.ParseUint(s[1:], 16, 32)
	a := float64(alpha) / 255
	// premultiplied, as color.RGBA wants
	return color.RGBA{uint8(float64(n>>16) * a), uint8(float64(n>>8&255) * a), uint8(float64(n&255) * a), alpha}
}

// chartPlot draws one chart.
func chartPlot(c Chart, last int) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title + "\n" + c.Unit
	p.Title.TextStyle.Font.Size = vg.Points(10)
	p.X.Label.Text = "year"
	p.Y.Label.Text = shortUnit(c.Unit)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(9)
		a.Tick.Label.Font.Size = vg.Points(8)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	xs := func(vals []float64) plotter.XYs {
		xy := make(plotter.XYs, len(vals))
		for i, v := range vals {
			xy[i] = plotter.XY{X: float64(c.Years[i]), Y: v}
		}
		return xy
	}
	for _, s := range c.Series {
		col := s.Color
		if s.Lo != nil {
			for _, b := range []struct {
				hi, lo []float64
				alpha  uint8
			}{{s.Hi, s.Lo, 50}, {s.Q75, s.Q25, 90}} {
				ring := xs(b.hi)
				lo := xs(b.lo)
				for i := len(lo) - 1; i >= 0; i-- {
					ring = append(ring, lo[i])
				}
				poly, err := plotter.NewPolygon(ring)
				if err != nil {
					return nil, err
				}
				poly.Color = hexColor(col, b.alpha)
				poly.LineStyle.Width = 0
				p.Add(poly)
			}
		}
		line, err := plotter.NewLine(xs(s.Mid))
		if err != nil {
			return nil, err
		}
		line.Color = hexColor(col, 255)
		line.Width = vg.Points(1.6)
		p.Add(line)
		label := s.Label
		if s.Lo != nil {
			label += " (median, p25–p75, p05–p95)"
		}
		p.Legend.Add(label, line)
	}
	for _, o := range c.Observed {
		var exact, bound plotter.XYs
		for _, pt := range o.Points {
			xy := plotter.XY{X: float64(pt.Year), Y: pt.Value}
			if pt.Bound == "" {
				exact = append(exact, xy)
			} else {
				bound = append(bound, xy)
			}
		}
		for _, set := range []struct {
			xy    plotter.XYs
			glyph draw.GlyphDrawer
			label string
		}{{exact, draw.CircleGlyph{}, o.Label}, {bound, draw.RingGlyph{}, o.Label + ": bound (≥ lower, ≤ upper)"}} {
			if len(set.xy) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(set.xy)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: hexColor(o.Color, 255), Radius: vg.Points(2.6), Shape: set.glyph}
			p.Add(sc)
			p.Legend.Add(set.label, sc)
		}
	}
	// Headroom for the legend, then the end of the observed data.
	ymax := p.Y.Max
	if math.IsInf(ymax, 0) || ymax <= 0 {
		ymax = 1
	}
	p.Y.Max = ymax * 1.35
	x := float64(last) + 0.5
	if x > p.X.Min && x < p.X.Max {
		mark, err := plotter.NewLine(plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}})
		if err != nil {
			return nil, err
		}
		mark.Color = color.Gray{Y: 120}
		mark.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(mark)
		lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: p.Y.Max * 0.97}}, Labels: []string{fmt.Sprintf(" observed to %d | forecast →", last)}})
		if err != nil {
			return nil, err
		}
		for i := range lbl.TextStyle {
			lbl.TextStyle[i].Color = color.Gray{Y: 90}
			lbl.TextStyle[i].YAlign = -1
			lbl.TextStyle[i].Font.Size = vg.Points(7)
		}
		p.Add(lbl)
	}
	p.X.Max += 0.6 // room for the last tick label
	p.X.Tick.Marker = yearTicks{}
	return p, nil
}

// yearTicks labels whole years every 5 years.
type yearTicks struct{}

func (yearTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for y := math.Ceil(min); y <= max; y++ {
		t := plot.Tick{Value: y}
		if int(y)%5 == 0 {
			t.Label = strconv.Itoa(int(y))
		}
		ts = append(ts, t)
	}
	return ts
}

// shortUnit drops a parenthesised remark from a unit, for an axis label.
func shortUnit(u string) string {
	if i := strings.Index(u, " ("); i > 0 {
		return u[:i]
	}
	return u
}
