package rules

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report as plain text without colour: one line per
// rule, then a summary line.
//
//	  PASS  lowestEfficiency: 98.4421 % (0.9844212134184309) >= threshold 90 % (0.9)
//	  SKIP  highestWastedBytes: rule disabled
//	  FAIL  highestUserWastedPercent: too many bytes wasted relative to ...
//	Result: FAIL [total:3] [passed:1] [failed:1] [skipped:1]
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, res := range r.Results {
		fmt.Fprintf(&b, "  %s  %s: %s\n", res.Status, res.Name, res.Message)
	}
	passed, failed, skipped := r.Counts()
	result := Pass
	if failed > 0 {
		result = Fail
	}
	fmt.Fprintf(&b, "Result: %s [total:%d] [passed:%d] [failed:%d] [skipped:%d]\n",
		result, len(r.Results), passed, failed, skipped)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing ci report: %w", err)
	}
	return nil
}
