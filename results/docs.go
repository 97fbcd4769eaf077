package results

import (
	"strings"
)

// ColumnsMarkdown renders the table of columns in docs/outputs.md: one line
// per column with its name, unit, annual aggregation and meaning, generated
// from the tags of [sim.Record]. The month column appears in monthly.csv
// only; year and months in annual.csv only.
func ColumnsMarkdown() string {
	var b strings.Builder
	b.WriteString("| Column | Unit | Annual value | Meaning |\n")
	b.WriteString("|---|---|---|---|\n")
	line := func(c Column, annual string) {
		b.WriteString("| `" + c.Name + "` | " + escapeCell(c.Unit) + " | " + annual + " | " + escapeCell(c.Doc) + " |\n")
	}
	cols := Columns()
	if len(cols) > 0 {
		line(cols[0], "monthly.csv only")
	}
	line(yearColumn, "annual.csv only")
	line(monthsColumn, "annual.csv only")
	for _, c := range cols[min(1, len(cols)):] {
		line(c, aggDoc[c.Agg])
	}
	return b.String()
}

var aggDoc = map[Agg]string{
	AggMean: "mean of months",
	AggSum:  "sum of months",
	AggLast: "last month",
	AggNone: "recomputed from the annual values",
}

// escapeCell makes s safe inside a Markdown table cell.
func escapeCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
