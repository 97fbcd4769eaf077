package main

import (
	"fmt"
	"io"
	"os"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progress shows how far a run is: an mpb bar on a terminal, one line per
// simulated year otherwise (logs, CI), nothing with --quiet.
type progress struct {
	w     io.Writer
	p     *mpb.Progress
	bar   *mpb.Bar
	total int
	tty   bool
	quiet bool
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, quiet bool, total int) *progress {
	pr := &progress{w: w, total: total, quiet: quiet, tty: isTerminal(w)}
	if quiet || !pr.tty {
		return pr
	}
	pr.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(48))
	pr.bar = pr.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("simulating "), decor.CountersNoUnit("%d/%d months")),
		mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.EwmaETA(decor.ET_STYLE_GO, 30)),
	)
	return pr
}

func (pr *progress) update(done, total int) {
	switch {
	case pr.quiet:
	case pr.bar != nil:
		pr.bar.EwmaIncrement(0)
		pr.bar.SetCurrent(int64(done))
	case done%12 == 0 || done == total:
		fmt.Fprintf(pr.w, "simulated %d/%d months\n", done, total)
	}
}

func (pr *progress) finish() {
	if pr.p != nil {
		pr.bar.SetTotal(int64(pr.total), true)
		pr.p.Wait()
	}
}

func (pr *progress) abort() {
	if pr.p != nil {
		pr.bar.Abort(true)
		pr.p.Wait()
	}
}
