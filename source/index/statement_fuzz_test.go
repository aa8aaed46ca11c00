package index_test

import (
	"encoding/base64"
	"testing"

	"github.com/strata-dev/strata/source/index"
)

// FuzzStatement feeds hostile attestations to the statement parsers: an
// in-toto statement (or a DSSE envelope around one) from a registry must
// give a statement or an error, never a panic, and what a parser accepts
// must summarise without one.
func FuzzStatement(f *testing.F) {
	provenance := `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2",` +
		`"subject":[{"name":"pkg:docker/app","digest":{"sha256":"00"}}],"predicate":{"builder":{"id":"b"},` +
		`"invocation":{"parameters":{"args":{"build-arg:VERSION":"1"}}},"materials":[{"uri":"pkg:docker/debian@12","digest":{"sha256":"11"}}]}}`
	f.Add([]byte(provenance))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1",` +
		`"predicate":{"buildDefinition":{"externalParameters":{"request":{"args":{"build-arg:A":"b"}}},` +
		`"resolvedDependencies":[{"uri":"pkg:docker/alpine@3.20","digest":{"sha256":"22"}}]}}}`))
	f.Add([]byte(`{"predicateType":"https://spdx.dev/Document","predicate":{"spdxVersion":"SPDX-2.3","name":"x","packages":[{},{}]}}`))
	f.Add([]byte(`{"predicateType":"https://cyclonedx.org/bom","predicate":{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{}]}}`))
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"` + base64.StdEncoding.EncodeToString([]byte(provenance)) + `"}`))
	f.Add([]byte(`{"predicateType":"https://slsa.dev/provenance/v1","predicate":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := index.ParseStatement(raw)
		if err != nil {
			if s != nil {
				t.Fatalf("ParseStatement returned a statement and an error: %v", err)
			}
			return
		}
		if s.PredicateType == "" {
			t.Fatal("ParseStatement accepted a statement with no predicateType")
		}
		switch index.PredicateKind(s.PredicateType) {
		case "provenance":
			if p, err := index.ParseProvenance(s); err == nil {
				p.SortedArgs()
			}
		case "sbom-spdx", "sbom-cyclonedx":
			if sb, err := index.ParseSBOM(s); err == nil && sb.Packages < 0 {
				t.Fatalf("ParseSBOM counted %d packages", sb.Packages)
			}
		}
	})
}
