package validation

import (
	"context"
	"fmt"
	"math"

	"github.com/corridor-sim/corridor/calibration"
	"github.com/corridor-sim/corridor/data"
	"github.com/corridor-sim/corridor/params"
)

// Tolerances of the regression guard. A re-run of the shipped calibration
// at its recorded scale and seeds is deterministic on one platform, so any
// difference means that the model, the data or the targets changed. The
// tolerances only allow for floating-point differences between platforms
// (fused multiply-add on arm64, for example), which move single agents'
// draws and so the aggregate by a little.
const (
	GuardObjectiveTolerance = 0.02 // relative change of the objective
	GuardMAPETolerance      = 0.5  // percentage points of remittance MAPE
)

// GuardResult is the outcome of the regression guard.
type GuardResult struct {
	OK                  bool
	Reason              string // why it failed, empty if OK
	Objective, Recorded float64
	MAPE, RecordedMAPE  float64
}

// Guard re-runs the calibration doc (its parameters over
// params.Reference(), at its recorded scale and seeds, up to 2018) against
// the targets ts and compares the objective and the remittance MAPE with
// those recorded in doc. targetsCSV must be the file doc was fitted to.
func Guard(ctx context.Context, ref *data.Reference, doc *calibration.Calibrated, ts []calibration.Target, targetsCSV []byte) (GuardResult, error) {
	g := GuardResult{Recorded: doc.Objective, RecordedMAPE: doc.RemittanceMAPE}
	switch {
	case len(doc.Parameters) == 0:
		g.Reason = "no calibration is shipped (params/calibrated.json has no parameters); run make calibrate"
		return g, nil
	case doc.DataHash != ref.Hash:
		g.Reason = fmt.Sprintf("the data changed since the calibration (hash %.12s…, calibrated on %.12s…); run make calibrate", ref.Hash, doc.DataHash)
		return g, nil
	case calibration.TargetsHash(targetsCSV) != doc.TargetsHash:
		g.Reason = "the targets file changed since the calibration; run make calibrate"
		return g, nil
	}
	p := params.Reference()
	for _, v := range doc.Parameters {
		if err := p.Set(v.Name, v.Value); err != nil {
			g.Reason = fmt.Sprintf("the calibrated parameter %s no longer applies: %v", v.Name, err)
			return g, nil
		}
	}
	vals, err := calibration.Replicates(ctx, ref, p, ts, doc.Settings.Seeds, doc.Settings.Scale)
	if err != nil {
		return g, err
	}
	g.Objective = calibration.Objective(ts, vals)
	g.MAPE, _ = calibration.MAPE(ts, vals, "remittances_usd")
	switch {
	case !(math.Abs(g.Objective-g.Recorded) <= GuardObjectiveTolerance*g.Recorded):
		g.Reason = fmt.Sprintf("objective %.4f against %.4f recorded (tolerance %.0f%%): the model no longer reproduces its calibration; run make calibrate", g.Objective, g.Recorded, 100*GuardObjectiveTolerance)
	case !(math.Abs(g.MAPE-g.RecordedMAPE) <= GuardMAPETolerance):
		g.Reason = fmt.Sprintf("remittance MAPE %.2f%% against %.2f%% recorded (tolerance %.1f pp); run make calibrate", g.MAPE, g.RecordedMAPE, GuardMAPETolerance)
	default:
		g.OK = true
	}
	return g, nil
}
