package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze/report"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/signatures"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/index"
)

// indexFlags are the flags of `strata index`.
type indexFlags struct {
	source       string
	insecure     bool
	timeout      time.Duration
	namespace    string
	jsonPath     string
	attestation  string
	verifyKey    string
	uncompressed bool
	statements   bool
}

func newIndexCmd(env *environment) *cobra.Command {
	f := &indexFlags{}
	cmd := &cobra.Command{
		Use:   "index [flags] IMAGE",
		Short: "Show every platform of a multi-platform image, what they share, their attestations and signatures",
		Long: `strata index shows what IMAGE names as a whole, without downloading a layer:
one row per platform (compressed and uncompressed size, layer count, bytes
shared with the other platforms), the layers the platforms share, what
pulling all platforms costs against pulling one, the build attestations
(SBOMs, SLSA provenance: its build arguments and base images), and what
refers to the index (signatures, SBOMs, attestations).

Uncompressed sizes are in no manifest or config: they are measured from the
layers when the layers are on this machine (an OCI layout, an oci-archive,
containerd) and "unknown" for a registry.`,
		Example: `  strata index ghcr.io/org/app:1.4
  strata index --json - ./layout | jq '.platforms[].compressedSizeBytes'
  strata index --attestation sha256:4f1c… registry://127.0.0.1:5000/app:1.4
  strata index --verify-key cosign.pub ghcr.io/org/app:1.4`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || args[0] == "" {
				return &exitErr{code: exitError, err: errors.New("index takes exactly one IMAGE (see strata index --help)")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := newJSONOutput(f.jsonPath, env.stdout)
			env.onAbort(out.discard)
			err := runIndex(cmd, env, f, args[0], out)
			if err != nil {
				out.discard()
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "where IMAGE comes from: oci, oci-archive, registry, containerd, docker (a summary), docker-archive, podman (one platform) (default: as inspect decides)")
	fl.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP and unverified TLS for the registry (loopback registries are always allowed plain HTTP)")
	fl.DurationVar(&f.timeout, "timeout", defaultTimeout, "give up after this long")
	fl.StringVar(&f.namespace, "namespace", "", "the containerd namespace to read images from (default: $CONTAINERD_NAMESPACE, else \"default\")")
	fl.StringVarP(&f.jsonPath, "json", "j", "", "write the index as JSON to `PATH` (- for stdout)")
	fl.StringVar(&f.attestation, "attestation", "", "print the in-toto statement of this `DIGEST` (a statement's, or an attestation manifest's: all its statements) as JSON, and nothing else")
	fl.StringVar(&f.verifyKey, "verify-key", "", "verify the index's signatures with this public key `FILE` (cosign.pub), offline")
	fl.BoolVar(&f.uncompressed, "uncompressed", true, "measure uncompressed sizes from layers on this machine (--uncompressed=false skips reading them)")
	fl.BoolVar(&f.statements, "statements", true, "read the provenance and SBOM statements to summarise them (--statements=false lists them only)")
	return cmd
}

func runIndex(cmd *cobra.Command, env *environment, f *indexFlags, ref string, out *jsonOutput) error {
	kind, err := source.ParseKind(f.source)
	if err != nil {
		return err
	}
	if out.toFile() {
		if _, err := resolveOutput(out.path); err != nil {
			return err
		}
	}
	key, err := (&supplyFlags{verifyKey: f.verifyKey}).loadKey()
	if err != nil {
		return err
	}
	if f.timeout <= 0 {
		f.timeout = defaultTimeout
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
	defer cancel()
	fail := func(err error) error {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s: timed out after %s reading the index (raise --timeout)", ref, f.timeout)
		}
		return err
	}
	idx, err := source.ReadIndex(ctx, ref, source.WithKind(kind), source.WithInsecure(f.insecure), source.WithGetenv(env.getenv),
		source.WithNamespace(f.namespace), source.WithLogf(func(format string, args ...any) {
			fmt.Fprintf(env.stderr, "strata: %s\n", textsafe.Message(fmt.Sprintf(format, args...)))
		}))
	if err != nil {
		return fail(err)
	}
	defer idx.Close()
	if f.attestation != "" {
		return fail(printAttestation(ctx, env.stdout, idx, f.attestation))
	}
	if local, ok := idx.Store.(index.LocalStore); ok && f.uncompressed {
		if err := index.MeasureUncompressed(ctx, idx.Index, local); err != nil {
			return fail(err)
		}
	}
	summaries := map[string]statementSummary{}
	if f.statements {
		summaries, err = summarise(ctx, idx)
		if err != nil {
			warn(env.stderr, "%s", err)
		}
	}
	doc := newIndexDoc(idx, summaries)
	if err := indexReferrers(ctx, env, idx, key, doc); err != nil {
		return fail(err)
	}
	if f.jsonPath != "" {
		if err := out.writeWith(func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(doc)
		}); err != nil {
			return err
		}
		return nil
	}
	return writeIndexText(env.stdout, doc)
}

// indexReferrers lists what refers to the index itself (in a registry;
// a multi-platform image is signed by its index's digest) or, in an OCI
// layout, whose index.json has no digest of its own, to each platform's
// manifest, and checks their signatures.
func indexReferrers(ctx context.Context, env *environment, idx *source.Index, key *signatures.Key, doc *indexDoc) error {
	store, ok := idx.Store.(index.ReferrerStore)
	if !ok {
		if key != nil {
			doc.Signature = &report.Verification{Key: key.Fingerprint, Summary: fmt.Sprintf("none found: the %s source keeps no signatures", idx.Kind)}
		}
		return nil
	}
	var subjects []v1.Hash
	if idx.Kind == source.Registry {
		subjects = append(subjects, idx.Root.Digest)
	} else {
		for _, p := range idx.Platforms {
			if p.Manifest.Digest.Hex != "" {
				subjects = append(subjects, p.Manifest.Digest)
			}
		}
	}
	var refs []index.Referrer
	for _, s := range subjects {
		found, err := index.ListReferrers(ctx, store, s)
		if err != nil {
			if key != nil {
				return err
			}
			warn(env.stderr, "%s", err)
			continue
		}
		refs = append(refs, found...)
	}
	sigs, err := signatures.Read(ctx, store, refs)
	if err != nil {
		if key != nil {
			return err
		}
		warn(env.stderr, "%s", err)
	}
	ver := signatures.Verify(sigs, key, subjects)
	doc.Referrers = referrersReport(refs, ver)
	if key != nil || len(sigs) > 0 {
		doc.Signature = &report.Verification{Key: ver.Key, Verified: ver.OK(), Signatures: len(sigs), VerifiedCount: ver.Verified,
			Summary: ver.Line(), NotChecked: ver.NotChecked}
	}
	return nil
}

// statementSummary is what a statement says, summarised.
type statementSummary struct {
	provenance *index.Provenance
	sbom       *index.SBOM
}

// summarise reads the provenance and SBOM statements of every
// attestation and summarises them, by the statement blob's digest.
func summarise(ctx context.Context, idx *source.Index) (map[string]statementSummary, error) {
	out := map[string]statementSummary{}
	if idx.Store == nil {
		return out, nil
	}
	var errs []error
	for _, a := range idx.Attestations {
		if a.Absent != "" {
			continue
		}
		for _, s := range a.Statements {
			kind := s.Kind()
			if kind != "provenance" && kind != "sbom-spdx" && kind != "sbom-cyclonedx" {
				continue
			}
			raw, err := index.ReadStatement(ctx, idx.Store, s)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			st, err := index.ParseStatement(raw)
			if err != nil {
				errs = append(errs, fmt.Errorf("statement %s: %w", s.Blob.Digest, err))
				continue
			}
			var sum statementSummary
			if kind == "provenance" {
				sum.provenance, err = index.ParseProvenance(st)
			} else {
				sum.sbom, err = index.ParseSBOM(st)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("statement %s: %w", s.Blob.Digest, err))
				continue
			}
			out[s.Blob.Digest.String()] = sum
		}
	}
	return out, errors.Join(errs...)
}

// printAttestation prints the statement of digest d (a statement's blob,
// or an attestation manifest's: each of its statements) as indented JSON.
// d may be cut short, as the text output shows it (sha256:57a6d90f06d7),
// when what it begins is one digest's.
func printAttestation(ctx context.Context, w io.Writer, idx *source.Index, d string) error {
	hexPart, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(hexPart) < 6 || len(hexPart) > 64 || strings.Trim(hexPart, "0123456789abcdef") != "" {
		return fmt.Errorf("--attestation %q: not a digest (sha256:<hex>, at least 6 digits of it)", d)
	}
	if idx.Store == nil {
		return fmt.Errorf("--attestation: the %s source gives no statements", idx.Kind)
	}
	var refs []index.StatementRef
	matched := map[string]bool{}
	for _, a := range idx.Attestations {
		am := strings.HasPrefix(a.Manifest.Digest.String(), d)
		if am {
			matched[a.Manifest.Digest.String()] = true
		}
		for _, s := range a.Statements {
			sm := strings.HasPrefix(s.Blob.Digest.String(), d)
			if sm {
				matched[s.Blob.Digest.String()] = true
			}
			if am || sm {
				refs = append(refs, s)
			}
		}
	}
	switch {
	case len(matched) == 0:
		return fmt.Errorf("--attestation %s: no attestation or statement of that digest (strata index lists them)", d)
	case len(matched) > 1:
		return fmt.Errorf("--attestation %s: %d digests begin so; give more of it", d, len(matched))
	}
	var buf bytes.Buffer
	for _, s := range refs {
		raw, err := index.ReadStatement(ctx, idx.Store, s)
		if err != nil {
			return err
		}
		if err := json.Indent(&buf, raw, "", "  "); err != nil {
			return fmt.Errorf("statement %s is not JSON: %w", s.Blob.Digest, err)
		}
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}
