package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/analyze/rules"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/signatures"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
)

// maxKeyFile bounds a --verify-key file: a PEM public key is well under
// 4 KiB.
const maxKeyFile = 64 << 10

// supplyFlags say how to check what is attached to an image.
type supplyFlags struct {
	verifyKey  string
	base       string
	requireSig string
}

func (f *supplyFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.verifyKey, "verify-key", "", "verify the image's signatures (cosign's, Sigstore bundles) with this public key `FILE` (cosign.pub), offline")
	fl.StringVar(&f.requireSig, "require-signature", "", "CI rule: fail unless --verify-key verifies a signature of the image (--require-signature=false turns it off)")
	fl.Lookup("require-signature").NoOptDefVal = "true"
	fl.StringVar(&f.base, "base", "", "the image's base `REF`: its manifest and config are read and its layers must be the image's first; \"auto\" reads the base the image names (annotations, labels, provenance) to count its layers")
}

// loadKey reads --verify-key, bounded.
func (f *supplyFlags) loadKey() (*signatures.Key, error) {
	if f.verifyKey == "" {
		return nil, nil
	}
	fh, err := os.Open(f.verifyKey)
	if err != nil {
		return nil, fmt.Errorf("--verify-key: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("--verify-key: %w", err)
	}
	if !st.Mode().IsRegular() || st.Size() > maxKeyFile {
		return nil, fmt.Errorf("--verify-key %s: not a public key file (a regular file of at most %s)", f.verifyKey, humanize.IBytes(maxKeyFile))
	}
	buf, err := io.ReadAll(io.LimitReader(fh, maxKeyFile))
	if err != nil {
		return nil, fmt.Errorf("--verify-key: %w", err)
	}
	return signatures.LoadKey(f.verifyKey, buf)
}

// attached is what was found attached to an inspected image, for the
// report, the text summary and the CI rules.
type attached struct {
	supply    *report.Supply
	signature rules.Signature
	// note says why nothing could be looked for, when nothing could.
	note string
}

// lookAttached finds the image's referrers, checks its signatures and
// finds its base. Failures are warnings unless --verify-key or --base asked
// for what failed.
func lookAttached(ctx context.Context, env *environment, sf *sourceFlags, f *supplyFlags, ref string, img *source.Image, res *analyze.Result) (*attached, error) {
	key, err := f.loadKey()
	if err != nil {
		return nil, err
	}
	out := &attached{supply: &report.Supply{}}
	opts := []source.Option{source.WithInsecure(sf.insecure), source.WithGetenv(env.getenv), source.WithNamespace(sf.namespace)}
	att, err := source.ReadAttached(ctx, ref, img, opts...)
	if err != nil {
		if key != nil {
			return nil, err
		}
		warn(env.stderr, "%s", err)
		att = &source.Attached{Platform: -1}
	}
	defer att.Close()
	for _, w := range att.Warnings {
		warn(env.stderr, "%s", w)
	}
	if att.Index == nil || att.Index.Store == nil {
		out.note = fmt.Sprintf("the %s source keeps no signatures or attestations (read the image from its registry or an OCI layout to see them)", img.Kind)
	}
	var sigs []signatures.Signature
	if att.Index != nil && att.Index.Store != nil && len(att.Referrers) > 0 {
		if sigs, err = signatures.Read(ctx, att.Index.Store, att.Referrers); err != nil {
			if key != nil {
				return nil, err
			}
			warn(env.stderr, "%s", err)
		}
	}
	ver := signatures.Verify(sigs, key, att.Subjects)
	out.supply.Referrers = referrersReport(att.Referrers, ver)
	if key != nil || len(sigs) > 0 {
		out.supply.Signature = &report.Verification{Key: ver.Key, Verified: ver.OK(), Signatures: len(sigs),
			VerifiedCount: ver.Verified, Summary: ver.Line(), NotChecked: ver.NotChecked}
		if key != nil && out.note != "" {
			out.supply.Signature.Summary += " (" + out.note + ")"
		}
	}
	out.signature = rules.Signature{KeyGiven: key != nil, Verified: ver.OK(), Summary: ver.Line()}

	bopts := []source.Option{source.WithInsecure(sf.insecure), source.WithGetenv(env.getenv), source.WithNamespace(sf.namespace)}
	base, err := source.FindBase(ctx, img, att, f.base, bopts...)
	if err != nil {
		if f.base != "" {
			return nil, fmt.Errorf("--base %s: %w", f.base, err)
		}
		warn(env.stderr, "%s", err)
	}
	out.supply.Base = baseReport(base, res)
	return out, nil
}

// referrersReport describes the referrers for the report, each with the
// signatures it holds.
func referrersReport(refs []index.Referrer, ver *signatures.Result) []report.Referrer {
	var out []report.Referrer
	for _, r := range refs {
		rr := report.Referrer{Kind: r.Kind, ArtifactType: r.ArtifactType, PredicateType: r.PredicateType, Digest: r.Manifest.Digest.String(),
			MediaType: string(r.Manifest.MediaType), SizeBytes: r.Size, Subject: r.Subject.String(), Found: r.Found, Tag: r.Tag}
		for i, s := range ver.Signatures {
			if s.Referrer != r.Manifest.Digest {
				continue
			}
			rs := report.Signature{Format: s.Format, Keyless: s.Keyless, Identity: s.Identity, Issuer: s.Issuer,
				TransparencyLog: s.TransparencyLog, Status: ver.Checks[i].Status, Detail: ver.Checks[i].Detail}
			if s.Blob.Hex != "" {
				rs.Blob = s.Blob.String()
			}
			if s.Signed.Hex != "" {
				rs.Signed = s.Signed.String()
			}
			rr.Signatures = append(rr.Signatures, rs)
			if rr.Kind == "sigstore-bundle" {
				rr.Kind = "signature"
			}
		}
		out = append(out, rr)
	}
	return out
}

// baseReport describes the base for the report, with the metrics of the
// layers above it when its layers are known.
func baseReport(b *index.Base, res *analyze.Result) *report.Base {
	if b == nil {
		return nil
	}
	rb := &report.Base{Reference: b.Reference, From: b.From, Verified: b.Verified}
	if b.Digest.Hex != "" {
		rb.Digest = b.Digest.String()
	}
	if b.Layers >= 0 {
		n, size := b.Layers, b.SizeBytes
		rb.LayerCount, rb.SizeBytes = &n, &size
		if res != nil && b.Layers <= len(res.Layers) {
			m := metrics.ForLayers(res.Tree, res.Layers, b.Layers)
			rb.YourLayers = &report.LayerMetrics{FirstLayer: b.Layers, SizeBytes: m.SizeBytes, InefficientBytes: m.WastedBytes,
				EfficiencyScore: m.Efficiency, UserWastedPercent: m.UserWastedPercent, ReclaimableBytes: m.ReclaimableBytes}
		}
	}
	return rb
}

// writeSupply prints the base, the signature check and the referrers.
func writeSupply(b *strings.Builder, s *report.Supply) {
	if s == nil {
		return
	}
	if s.Base != nil {
		fmt.Fprintf(b, "Base:                %s\n", describeBase(s.Base))
		if y := s.Base.YourLayers; y != nil {
			fmt.Fprintf(b, "Your layers:         %s from layer %d, efficiency %.4f %%, wasted %s, reclaimable %s\n",
				humanize.Bytes(y.SizeBytes), y.FirstLayer, y.EfficiencyScore*100, humanize.Bytes(y.InefficientBytes), humanize.Bytes(y.ReclaimableBytes))
		}
	}
	if s.Signature != nil {
		fmt.Fprintf(b, "Signature:           %s\n", oneLine(s.Signature.Summary, 400))
	}
	if len(s.Referrers) == 0 {
		return
	}
	fmt.Fprintf(b, "\nReferrers (%d):\n", len(s.Referrers))
	for _, r := range s.Referrers {
		what := r.Kind
		if r.PredicateType != "" {
			what += " " + r.PredicateType
		}
		line := fmt.Sprintf("  %-40s %s  %9s  %s", oneLine(what, 40), textsafe.ShortDigest(r.Digest), humanize.Bytes(uint64(max(r.SizeBytes, 0))), oneLine(r.ArtifactType, 60))
		if r.Tag != "" {
			line += " (tag " + oneLine(r.Tag, 80) + ")"
		}
		for _, sg := range r.Signatures {
			if sg.Identity != "" {
				line += ", signed by " + oneLine(sg.Identity, 120)
				if sg.Issuer != "" {
					line += " (" + oneLine(sg.Issuer, 120) + ")"
				}
			}
		}
		b.WriteString(line + "\n")
	}
}

// describeBase says what the base is, where it was found and how many of
// the image's layers are its.
func describeBase(rb *report.Base) string {
	s := textsafe.Line(rb.Reference)
	if s == "" {
		s = "(no name)"
	}
	if rb.Digest != "" {
		s += " (" + textsafe.ShortDigest(rb.Digest) + ")"
	}
	from := map[string]string{index.BaseFromAnnotation: "the manifest's annotations", index.BaseFromLabel: "the config's labels",
		index.BaseFromProvenance: "the provenance", index.BaseFromFlag: "--base"}[rb.From]
	if rb.LayerCount == nil {
		return s + ", named by " + from + "; its layers were not compared (--base auto reads it)"
	}
	return fmt.Sprintf("%s, the first %d layers (%s), named by %s, verified by diffID", s, *rb.LayerCount, humanize.Bytes(uint64(*rb.SizeBytes)), from)
}

// sameBase says whether two images' bases are the same image: by digest
// when both have one, else by reference.
func sameBase(a, b *report.Base) bool {
	if a.Digest != "" && b.Digest != "" {
		return a.Digest == b.Digest
	}
	return a.Reference == b.Reference
}

// namedBase is the base an image names (its manifest's annotations, its
// config's labels), without reading the base: for diff to say when two
// images have different bases. What cannot be read leaves it unknown.
func namedBase(ctx context.Context, env *environment, sf *sourceFlags, ref string, img *source.Image) *report.Base {
	att, err := source.FindInIndex(ctx, ref, img, source.WithInsecure(sf.insecure), source.WithGetenv(env.getenv), source.WithNamespace(sf.namespace))
	if err != nil {
		att = nil
	} else {
		defer att.Close()
	}
	b, err := source.FindBase(ctx, img, att, "")
	if err != nil {
		return nil
	}
	return baseReport(b, nil)
}

// writeBases says, before a diff, which bases the two images name and
// whether they differ.
func writeBases(w io.Writer, bases [2]*report.Base) {
	a, b := bases[0], bases[1]
	name := func(rb *report.Base) string {
		s := textsafe.Line(rb.Reference)
		if rb.Digest != "" {
			if s != "" {
				s += " "
			}
			s += textsafe.ShortDigest(rb.Digest)
		}
		return s
	}
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		fmt.Fprintf(w, "Bases: A names none; B is built on %s\n\n", name(b))
	case b == nil:
		fmt.Fprintf(w, "Bases: A is built on %s; B names none\n\n", name(a))
	case sameBase(a, b):
		fmt.Fprintf(w, "Same base: both are built on %s\n\n", name(a))
	default:
		fmt.Fprintf(w, "Bases differ: A is built on %s, B on %s\n\n", name(a), name(b))
	}
}
