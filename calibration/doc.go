// Package calibration fits the model's free parameters to the sourced
// history up to 2018 and ships the result.
//
// Targets (targets.go, the embedded targets.csv) are observed figures with
// a kind (exact, lower or upper bound) and a weight; each names a
// Statistic of the simulated history (series.go). The objective is the
// weighted sum of squared log errors, bounds penalised on the wrong side
// only, of the targets' values averaged over R replicate seeds (common
// random numbers across candidates). The free parameters (free.go) are
// searched with gonum's CMA-ES on a logit-transformed space, a generation
// of candidates evaluated in parallel; every finished evaluation is
// appended to a journal, so an interrupted run resumes where it stopped
// with the same result as an uninterrupted one (run.go, journal.go).
// The result is a calibrated parameter set and a sample of plausible sets
// (output.go), which `corridor calibrate --install` copies to params/,
// where params.Defaults and Sample pick them up. docs/calibration.md
// documents the targets, weights, free parameters and the fit.
package calibration
