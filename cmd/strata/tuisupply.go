package main

import (
	"context"
	"fmt"
	"io"

	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/app"
	"github.com/strata-dev/strata/ui/details"
)

// tuiSupply finds, for the terminal UI and in the background, what
// inspect's summary says of the image beyond its layers: its base (the
// annotations, labels, provenance, or --base), its referrers and, with
// --verify-key, its signature checked. Warnings are not printed: the UI
// has the terminal.
func tuiSupply(env *environment, sf *sourceFlags, sup *supplyFlags, ref string, img *source.Image) app.SupplyFunc {
	return func(ctx context.Context) (*app.Supply, error) {
		quiet := &environment{stdin: env.stdin, stdout: io.Discard, stderr: io.Discard, getenv: env.getenv}
		att, err := lookAttached(ctx, quiet, sf, sup, ref, img, nil)
		if err != nil {
			return nil, err
		}
		return supplyForUI(att), nil
	}
}

// supplyForUI is what the Image details pane and the layers show of what
// lookAttached found; the strings are the image's, which the UI escapes.
func supplyForUI(att *attached) *app.Supply {
	out := &app.Supply{}
	s := att.supply
	if s == nil {
		return out
	}
	if b := s.Base; b != nil {
		out.Details.Base = baseForUI(b)
		if b.LayerCount != nil {
			out.BaseLayers = *b.LayerCount
		}
	}
	if s.Signature != nil {
		out.Details.Signature = s.Signature.Summary
	}
	for _, r := range s.Referrers {
		dr := details.Referrer{Kind: r.Kind, ArtifactType: r.ArtifactType, Digest: r.Digest, Size: r.SizeBytes}
		for _, sg := range r.Signatures {
			if sg.Identity != "" {
				dr.Signer = sg.Identity
				if sg.Issuer != "" {
					dr.Signer += " (" + sg.Issuer + ")"
				}
			}
		}
		out.Details.Referrers = append(out.Details.Referrers, dr)
	}
	return out
}

// baseForUI says what the base is, how many layers are its and where it
// was named.
func baseForUI(b *report.Base) string {
	s := b.Reference
	if s == "" {
		s = "(no name)"
	}
	if b.Digest != "" {
		s += " " + textsafe.ShortDigest(b.Digest)
	}
	from := map[string]string{index.BaseFromAnnotation: "annotations", index.BaseFromLabel: "labels",
		index.BaseFromProvenance: "provenance", index.BaseFromFlag: "--base"}[b.From]
	if b.LayerCount == nil {
		return s + " · named by " + from + "; layers not compared (--base auto)"
	}
	return fmt.Sprintf("%s · layers 0–%d · named by %s", s, *b.LayerCount-1, from)
}
