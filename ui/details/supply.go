package details

import (
	"fmt"
	"strconv"

	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/ui/common"
)

// Supply is what the Image details pane says of the image beyond its
// layers: its base, the metrics of the layers above it, its signature and
// the artifacts that refer to it. Strings are the image's: the pane
// escapes them.
type Supply struct {
	// Base names the base and where it was found, "" when none is known.
	Base string
	// Yours are the metrics of the layers above the base, from layer
	// YoursFrom on; nil until they are known.
	Yours     *metrics.Metrics
	YoursFrom int
	// Signature is what checking the signatures found (one line), "" when
	// there is nothing to say.
	Signature string
	Referrers []Referrer
	// Note says what could not be read, "" when all was.
	Note string
}

// Referrer is an artifact that refers to the image.
type Referrer struct {
	Kind, ArtifactType, Digest string
	Size                       int64
	// Signer is the identity (and issuer) of a keyless signature.
	Signer string
}

// supplyLines are the figures of the supply, one line each.
func (m ImageModel) supplyLines(w int) []string {
	s := m.image.Supply
	if s == nil {
		return nil
	}
	st := m.list.Styles
	var out []string
	add := func(label, value string) {
		out = append(out, st.Label.Render(common.Pad(label, labelWidth))+common.Truncate(value, max(1, w-labelWidth)))
	}
	if s.Base != "" {
		add("Base", s.Base)
	}
	if y := s.Yours; y != nil && m.image.complete() {
		out = append(out, st.Label.Render(common.Pad("Your layers", labelWidth))+common.Truncate(fmt.Sprintf("%s from layer %d · efficiency %s %% · wasted %s · reclaimable %s",
			humanize.Bytes(y.SizeBytes), s.YoursFrom, strconv.FormatFloat(y.Efficiency*100, 'f', 2, 64), humanize.Bytes(y.WastedBytes), humanize.Bytes(y.ReclaimableBytes)), max(1, w-labelWidth)))
	}
	if s.Signature != "" {
		add("Signature", s.Signature)
	}
	if s.Note != "" {
		out = append(out, st.Muted.Render(common.TruncateMessage(s.Note, w)))
	}
	if len(s.Referrers) > 0 {
		add("Referrers", strconv.Itoa(len(s.Referrers)))
	}
	for _, r := range s.Referrers {
		line := fmt.Sprintf("  %-11s %s  %8s  %s", common.Truncate(r.Kind, 11), textsafe.ShortDigest(r.Digest), humanize.Bytes(uint64(max(0, r.Size))),
			common.Truncate(r.ArtifactType, 60))
		if r.Signer != "" {
			line += " · signed by " + common.Truncate(r.Signer, 120)
		}
		out = append(out, textsafe.Truncate(line, w)) // its parts are escaped
	}
	return out
}

// headCount is how many lines of figures the pane has.
func (m ImageModel) headCount() int { return headLines + len(m.supplyLines(80)) }
