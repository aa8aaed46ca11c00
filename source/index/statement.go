package index

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Statement is an in-toto statement: what it is about and what it says.
type Statement struct {
	Type          string          `json:"_type"`
	Subject       []Subject       `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate"`
}

// Subject is what a statement is about: a name and its digests.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// ParseStatement reads an in-toto statement (of in-toto v0.1 or v1). A
// DSSE envelope (cosign's attestations) is opened to the statement it
// carries, unchecked: see package signatures for checking it.
func ParseStatement(raw []byte) (*Statement, error) {
	var env struct {
		PayloadType string `json:"payloadType"`
		Payload     []byte `json:"payload"`
	}
	if err := json.Unmarshal(raw, &env); err == nil && env.PayloadType != "" && len(env.Payload) > 0 {
		raw = env.Payload
	}
	var s Statement
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("parsing the in-toto statement: %w", err)
	}
	if s.PredicateType == "" {
		return nil, fmt.Errorf("parsing the in-toto statement: it names no predicateType")
	}
	return &s, nil
}

// PredicateKind names what a predicate type is: "provenance",
// "sbom-spdx", "sbom-cyclonedx", "vulnerabilities", "signature" (cosign's
// https://sigstore.dev/cosign/sign/v1) or "other".
func PredicateKind(predicateType string) string {
	t := strings.ToLower(predicateType)
	switch {
	case strings.HasPrefix(t, "https://slsa.dev/provenance/"):
		return "provenance"
	case strings.HasPrefix(t, "https://spdx.dev/document"), strings.Contains(t, "spdx"):
		return "sbom-spdx"
	case strings.HasPrefix(t, "https://cyclonedx.org/"):
		return "sbom-cyclonedx"
	case strings.Contains(t, "vuln"):
		return "vulnerabilities"
	case t == "https://sigstore.dev/cosign/sign/v1":
		return "signature"
	}
	return "other"
}

// Provenance is what a SLSA provenance statement (v0.2, which BuildKit
// writes by default, or v1) says of a build, summarised.
type Provenance struct {
	PredicateType string `json:"predicateType"`
	BuilderID     string `json:"builderId,omitempty"`
	BuildType     string `json:"buildType,omitempty"`
	// Source is where the build definition came from (a git URL, or the
	// local context), Revision its commit when the builder recorded one,
	// EntryPoint the Dockerfile.
	Source     string `json:"source,omitempty"`
	Revision   string `json:"revision,omitempty"`
	EntryPoint string `json:"entryPoint,omitempty"`
	// Frontend is the BuildKit frontend image, when the build used one
	// (a # syntax= line).
	Frontend string `json:"frontend,omitempty"`
	// Args are the build arguments, by name (build-arg:NAME is NAME).
	Args map[string]string `json:"args,omitempty"`
	// Materials are everything the build used; BaseImages those of them
	// that are container images, the frontend's excepted: the base of the
	// final stage is one of them (see [Base]).
	Materials  []Material `json:"materials,omitempty"`
	BaseImages []Material `json:"baseImages,omitempty"`
	Started    *time.Time `json:"started,omitempty"`
	Finished   *time.Time `json:"finished,omitempty"`
}

// Material is one input of a build.
type Material struct {
	URI string `json:"uri"`
	// Digest is algorithm:hex, the first the material gives.
	Digest string `json:"digest,omitempty"`
	// Image is the reference a pkg:docker URI names
	// (docker.io/library/alpine:3.20), empty for other materials.
	Image string `json:"image,omitempty"`
	// Platform is the platform qualifier of a pkg:docker URI.
	Platform string `json:"platform,omitempty"`
}

// Reference is the image a pkg:docker material names, with its digest
// when it has one: image@algorithm:hex.
func (m Material) Reference() string {
	if m.Digest == "" {
		return m.Image
	}
	return m.Image + "@" + m.Digest
}

// provenanceV02 and provenanceV1 are the parts of SLSA provenance that
// are summarised.
type provenanceV02 struct {
	Builder    struct{ ID string } `json:"builder"`
	BuildType  string              `json:"buildType"`
	Invocation struct {
		ConfigSource struct {
			URI        string            `json:"uri"`
			Digest     map[string]string `json:"digest"`
			EntryPoint string            `json:"entryPoint"`
		} `json:"configSource"`
		Parameters struct {
			Frontend string            `json:"frontend"`
			Args     map[string]string `json:"args"`
		} `json:"parameters"`
	} `json:"invocation"`
	Materials []struct {
		URI    string            `json:"uri"`
		Digest map[string]string `json:"digest"`
	} `json:"materials"`
	Metadata struct {
		Started  *time.Time      `json:"buildStartedOn"`
		Finished *time.Time      `json:"buildFinishedOn"`
		BuildKit buildkitSection `json:"https://mobyproject.org/buildkit@v1#metadata"`
	} `json:"metadata"`
}

type buildkitSection struct {
	VCS map[string]string `json:"vcs"`
}

type provenanceV1 struct {
	BuildDefinition struct {
		BuildType          string `json:"buildType"`
		ExternalParameters struct {
			ConfigSource struct {
				URI    string            `json:"uri"`
				Digest map[string]string `json:"digest"`
				Path   string            `json:"path"`
			} `json:"configSource"`
			Request struct {
				Frontend string            `json:"frontend"`
				Args     map[string]string `json:"args"`
			} `json:"request"`
		} `json:"externalParameters"`
		ResolvedDependencies []struct {
			URI    string            `json:"uri"`
			Digest map[string]string `json:"digest"`
		} `json:"resolvedDependencies"`
	} `json:"buildDefinition"`
	RunDetails struct {
		Builder  struct{ ID string } `json:"builder"`
		Metadata struct {
			Started  *time.Time      `json:"startedOn"`
			Finished *time.Time      `json:"finishedOn"`
			BuildKit buildkitSection `json:"https://mobyproject.org/buildkit@v1#metadata"`
		} `json:"metadata"`
	} `json:"runDetails"`
}

// ParseProvenance summarises a SLSA provenance statement.
func ParseProvenance(s *Statement) (*Provenance, error) {
	if PredicateKind(s.PredicateType) != "provenance" {
		return nil, fmt.Errorf("the statement is %s, not SLSA provenance", s.PredicateType)
	}
	p := &Provenance{PredicateType: s.PredicateType}
	var args map[string]string
	var mats []Material
	if strings.HasSuffix(s.PredicateType, "/v0.1") || strings.HasSuffix(s.PredicateType, "/v0.2") {
		var v provenanceV02
		if err := json.Unmarshal(s.Predicate, &v); err != nil {
			return nil, fmt.Errorf("parsing the provenance: %w", err)
		}
		p.BuilderID, p.BuildType = v.Builder.ID, v.BuildType
		cs := v.Invocation.ConfigSource
		p.Source, p.Revision, p.EntryPoint = cs.URI, firstDigest(cs.Digest), cs.EntryPoint
		p.Frontend, args = v.Invocation.Parameters.Frontend, v.Invocation.Parameters.Args
		for _, m := range v.Materials {
			mats = append(mats, newMaterial(m.URI, m.Digest))
		}
		p.Started, p.Finished = v.Metadata.Started, v.Metadata.Finished
		p.vcs(v.Metadata.BuildKit.VCS)
	} else {
		var v provenanceV1
		if err := json.Unmarshal(s.Predicate, &v); err != nil {
			return nil, fmt.Errorf("parsing the provenance: %w", err)
		}
		bd := v.BuildDefinition
		p.BuilderID, p.BuildType = v.RunDetails.Builder.ID, bd.BuildType
		cs := bd.ExternalParameters.ConfigSource
		p.Source, p.Revision, p.EntryPoint = cs.URI, firstDigest(cs.Digest), cs.Path
		p.Frontend, args = bd.ExternalParameters.Request.Frontend, bd.ExternalParameters.Request.Args
		for _, m := range bd.ResolvedDependencies {
			mats = append(mats, newMaterial(m.URI, m.Digest))
		}
		p.Started, p.Finished = v.RunDetails.Metadata.Started, v.RunDetails.Metadata.Finished
		p.vcs(v.RunDetails.Metadata.BuildKit.VCS)
	}
	p.Args = buildArgs(args)
	frontend := args["source"] // the # syntax= image
	if p.Frontend == "gateway.v0" && args["cmdline"] != "" && frontend == "" {
		frontend = args["cmdline"]
	}
	p.Materials = mats
	for _, m := range mats {
		if m.Image == "" || (frontend != "" && sameImage(m.Image, frontend)) {
			continue
		}
		p.BaseImages = append(p.BaseImages, m)
	}
	if frontend != "" {
		p.Frontend = frontend
	}
	return p, nil
}

// vcs takes the source and revision BuildKit records of a git context.
func (p *Provenance) vcs(v map[string]string) {
	if s := v["source"]; s != "" && (p.Source == "" || !strings.Contains(p.Source, "://")) {
		p.Source = s
	}
	if r := v["revision"]; r != "" {
		p.Revision = r
	}
}

// buildArgs keeps the build arguments of BuildKit's parameters
// (build-arg:NAME), by name; the other parameters (labels, the context,
// the target) are kept under their own names.
func buildArgs(params map[string]string) map[string]string {
	if len(params) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range params {
		switch {
		case strings.HasPrefix(k, "build-arg:"):
			out[strings.TrimPrefix(k, "build-arg:")] = v
		case k == "source" || k == "cmdline":
		default:
			out[k] = v
		}
	}
	return out
}

func firstDigest(d map[string]string) string {
	if len(d) == 0 {
		return ""
	}
	if h, ok := d["sha256"]; ok {
		return "sha256:" + h
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0] + ":" + d[keys[0]]
}

// newMaterial reads a material, and the image reference of a pkg:docker
// package URL (pkg:docker/alpine@3.20?platform=linux%2Famd64).
func newMaterial(uri string, digest map[string]string) Material {
	m := Material{URI: uri, Digest: firstDigest(digest)}
	rest, ok := strings.CutPrefix(uri, "pkg:docker/")
	if !ok {
		return m
	}
	path, query, _ := strings.Cut(rest, "?")
	if q, err := url.ParseQuery(query); err == nil {
		m.Platform = q.Get("platform")
	}
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	name, version := path, ""
	if i := strings.LastIndex(path, "@"); i > 0 {
		name, version = path[:i], path[i+1:]
	}
	ref := normalizeName(name)
	switch {
	case strings.Contains(version, ":"): // a digest
		ref += "@" + version
	case version != "":
		ref += ":" + version
	}
	m.Image = ref
	return m
}

// normalizeName gives a repository name its registry and, on Docker Hub,
// its library/ namespace, as docker does.
func normalizeName(name string) string {
	first, _, hasSlash := strings.Cut(name, "/")
	if hasSlash && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return name
	}
	if !hasSlash {
		name = "library/" + name
	}
	return "docker.io/" + name
}

// sameImage says whether two references name the same repository,
// whatever their tags: docker/dockerfile:1 and
// docker.io/docker/dockerfile@sha256:… do.
func sameImage(a, b string) bool {
	repo := func(s string) string {
		if i := strings.Index(s, "@"); i >= 0 {
			s = s[:i]
		}
		if i := strings.LastIndex(s, ":"); i > strings.LastIndex(s, "/") {
			s = s[:i]
		}
		return normalizeName(s)
	}
	return repo(a) == repo(b)
}

// SBOM is what an SBOM statement (SPDX or CycloneDX) says, summarised.
type SBOM struct {
	// Format is "SPDX-2.3", "CycloneDX 1.6", ...
	Format string `json:"format"`
	// Name is the document's name (SPDX), empty when it gives none.
	Name string `json:"name,omitempty"`
	// Packages is how many packages (SPDX) or components (CycloneDX) it
	// lists.
	Packages int `json:"packages"`
}

// ParseSBOM summarises an SPDX or CycloneDX statement.
func ParseSBOM(s *Statement) (*SBOM, error) {
	switch PredicateKind(s.PredicateType) {
	case "sbom-spdx":
		var v struct {
			SPDXVersion string            `json:"spdxVersion"`
			Name        string            `json:"name"`
			Packages    []json.RawMessage `json:"packages"`
		}
		if err := json.Unmarshal(s.Predicate, &v); err != nil {
			return nil, fmt.Errorf("parsing the SPDX document: %w", err)
		}
		return &SBOM{Format: v.SPDXVersion, Name: v.Name, Packages: len(v.Packages)}, nil
	case "sbom-cyclonedx":
		var v struct {
			BOMFormat   string            `json:"bomFormat"`
			SpecVersion string            `json:"specVersion"`
			Components  []json.RawMessage `json:"components"`
		}
		if err := json.Unmarshal(s.Predicate, &v); err != nil {
			return nil, fmt.Errorf("parsing the CycloneDX document: %w", err)
		}
		return &SBOM{Format: strings.TrimSpace(v.BOMFormat + " " + v.SpecVersion), Packages: len(v.Components)}, nil
	}
	return nil, fmt.Errorf("the statement is %s, not an SBOM", s.PredicateType)
}

// SortedArgs lists a provenance's build arguments as NAME=VALUE, sorted.
func (p *Provenance) SortedArgs() []string {
	out := make([]string, 0, len(p.Args))
	for k, v := range p.Args {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}
