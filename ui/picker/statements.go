package picker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/viewer"
)

// StatementsMsg are the in-toto statements of a platform's attestations,
// read and laid out for the viewer, or why none could be read.
type StatementsMsg struct {
	// Read is the number LoadStatements was given: a parent that started
	// another read since drops this one.
	Read int
	// Title names what is shown, escaped: the platform and how many
	// statements.
	Title string
	// Lines are a summary of each statement (for provenance its build
	// arguments and base images, for an SBOM its format and package
	// count), then each statement's JSON indented; every string from the
	// image is escaped and none is styled. Headers are the indexes of the
	// lines that head a statement. Lines is empty when no statement could
	// be read.
	Lines   []string
	Headers []int
	// Err says why a statement could not be read (the others are in
	// Lines), or why none could.
	Err error
}

// Statements are the statements the attestations hold, in order.
func Statements(atts []index.Attestation) []index.StatementRef {
	var refs []index.StatementRef
	for _, a := range atts {
		refs = append(refs, a.Statements...)
	}
	return refs
}

// LoadStatements reads the statements of atts, the attestations of
// platform, in the background with index.ReadStatement (each at most
// index.MaxStatement bytes, checked against its digest), within timeout
// when it is positive; summarises them with index.ParseStatement,
// index.ParseProvenance and index.ParseSBOM, as strata index does; and
// answers with a StatementsMsg numbered read.
func LoadStatements(ctx context.Context, store index.Store, platform string, atts []index.Attestation, read int, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		refs := Statements(atts)
		raws := make([][]byte, len(refs))
		errs := make([]error, len(refs))
		var failed []error
		for i, s := range refs {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			raws[i], errs[i] = index.ReadStatement(ctx, store, s)
			if errs[i] != nil {
				failed = append(failed, errs[i])
			}
		}
		n := len(refs)
		msg := StatementsMsg{Read: read, Title: fmt.Sprintf("Attestations of %s · %d %s", common.Truncate(platform, 40), n, plural(n, "statement"))}
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			msg.Err = fmt.Errorf("reading the attestations of %s: timed out after %s (raise --timeout)", platform, timeout)
		case ctx.Err() != nil:
			msg.Err = ctx.Err()
		case len(failed) == 1:
			msg.Err = failed[0]
		case len(failed) > 1:
			msg.Err = fmt.Errorf("%w (and %d more statements not read)", failed[0], len(failed)-1)
		case n == 0:
			msg.Err = fmt.Errorf("the attestations of %s hold no statement", platform)
		}
		if slices.ContainsFunc(raws, func(raw []byte) bool { return raw != nil }) {
			msg.Lines, msg.Headers = statementLines(atts, refs, raws, errs)
		}
		return msg
	}
}

// statementLines lays the statements out: a summary of each, under a
// header line, then each one read as indented JSON under a header line.
func statementLines(atts []index.Attestation, refs []index.StatementRef, raws [][]byte, errs []error) (lines []string, headers []int) {
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	head := func(s string) {
		headers = append(headers, len(lines))
		lines = append(lines, s)
	}
	for _, a := range atts {
		if a.Absent != "" {
			add("attestation %s is not in the store: %s", textsafe.ShortDigest(a.Manifest.Digest.String()), common.Message(a.Absent))
		}
	}
	for i, s := range refs {
		head(fmt.Sprintf("%s · %s · %s · %s", s.Kind(), common.Safe(s.PredicateType), textsafe.ShortDigest(s.Blob.Digest.String()), humanize.Bytes(uint64(max(s.Blob.Size, 0)))))
		if errs[i] != nil {
			add("  not read: %s", common.Message(errs[i].Error()))
			continue
		}
		for _, l := range summary(s, raws[i]) {
			add("  %s", l)
		}
	}
	for i, s := range refs {
		if raws[i] == nil {
			continue
		}
		add("")
		head(fmt.Sprintf("── %s · %s", s.Kind(), textsafe.ShortDigest(s.Blob.Digest.String())))
		var buf bytes.Buffer
		data := raws[i]
		if err := json.Indent(&buf, raws[i], "", "  "); err != nil {
			add("not JSON (%s); as it is:", common.Message(err.Error()))
		} else {
			data = buf.Bytes()
		}
		lines = append(lines, viewer.TextLines(data)...)
	}
	return lines, headers
}

// summary is what a statement says, summarised by the parsers strata
// index uses, each line escaped: for provenance its builder, source,
// build arguments and base images; for an SBOM its format and size.
func summary(s index.StatementRef, raw []byte) []string {
	st, err := index.ParseStatement(raw)
	if err != nil {
		return []string{common.Message(err.Error())}
	}
	var out []string
	add := func(label, value string) { out = append(out, fmt.Sprintf("%-12s %s", label, common.Safe(value))) }
	for _, sub := range st.Subject {
		add("subject", sub.Name)
	}
	switch s.Kind() {
	case "provenance":
		p, err := index.ParseProvenance(st)
		if err != nil {
			return append(out, common.Message(err.Error()))
		}
		if p.BuilderID != "" {
			add("builder", p.BuilderID)
		}
		if p.Source != "" || p.Revision != "" {
			add("source", p.Source+" "+p.Revision)
		}
		if p.EntryPoint != "" {
			add("entry point", p.EntryPoint)
		}
		if p.Frontend != "" {
			add("frontend", p.Frontend)
		}
		args := p.SortedArgs()
		if len(args) == 0 {
			add("build args", "none recorded")
		}
		for _, a := range args {
			add("build arg", a)
		}
		if len(p.BaseImages) == 0 {
			add("base image", "none recorded")
		}
		for _, m := range p.BaseImages {
			ref := m.Reference()
			if m.Platform != "" {
				ref += " (" + m.Platform + ")"
			}
			add("base image", ref)
		}
	case "sbom-spdx", "sbom-cyclonedx":
		b, err := index.ParseSBOM(st)
		if err != nil {
			return append(out, common.Message(err.Error()))
		}
		what := fmt.Sprintf("%s, %d %s", b.Format, b.Packages, plural(b.Packages, "package"))
		if b.Name != "" {
			what += " · " + b.Name
		}
		add("sbom", what)
	}
	return out
}

func plural(n int, one string) string {
	if n == 1 {
		return one
	}
	return one + "s"
}
