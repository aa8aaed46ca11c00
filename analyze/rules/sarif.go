package rules

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/strata-dev/strata/analyze/findings"
)

// SARIF is the Static Analysis Results Interchange Format, version 2.1.0,
// that code-scanning services read: one result per finding, the rule ids
// the findings' ids, the locations the image's paths.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
	Help             sarifMessage `json:"help"`
	DefaultConfig    sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations,omitempty"`
	Properties map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	Physical *sarifPhysical `json:"physicalLocation,omitempty"`
	Logical  []sarifLogical `json:"logicalLocations,omitempty"`
	Message  *sarifMessage  `json:"message,omitempty"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI         string        `json:"uri"`
	Description *sarifMessage `json:"description,omitempty"`
}

type sarifLogical struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// findingHelp says in one sentence what each kind of finding is.
func findingHelp(id findings.ID) string {
	switch id {
	case findings.DeletedLater:
		return "Files written by one step and deleted by a later one: every pull still downloads them."
	case findings.MetadataRewrite:
		return "Files copied again by a later step only to change their mode or owner."
	case findings.Overwritten:
		return "Files replaced by a later step with other content."
	case findings.OpaqueHidden:
		return "Files hidden by a later step that recreated their directory."
	case findings.PackageCache:
		return "A package manager's cache left in the final image."
	case findings.DuplicateContent:
		return "The same content at several paths of the final image."
	case findings.BuildTooling:
		return "Compilers, headers and static libraries in the final image."
	case findings.VCSOrContext:
		return "Version control, editor and log files from the build context."
	case findings.HiddenSecret:
		return "A secret in a layer that a later step deleted: a container cannot see it, but every pull downloads it."
	case findings.VisibleSecret:
		return "A secret in the final image."
	case findings.SecretInConfig:
		return "A secret in the image's environment or recorded build arguments."
	case findings.RunsAsRoot:
		return "The image runs as root."
	case findings.NoHealthcheck:
		return "The image has no HEALTHCHECK."
	case findings.SetuidAdded:
		return "Setuid or setgid files added above the base image."
	case findings.WorldWritable:
		return "World-writable paths outside /tmp and /var/tmp."
	case findings.LargeImage:
		return "The image is larger than its size budget."
	}
	return string(id)
}

// sarifLevel maps a severity to SARIF's levels.
func sarifLevel(s findings.Severity) string {
	switch s {
	case findings.Error:
		return "error"
	case findings.Warning:
		return "warning"
	}
	return "note"
}

// pathURI is an image path as a URI reference: escaped, relative (so that
// a code-scanning service does not take it for a file of the repository
// root with a leading slash it cannot resolve).
func pathURI(p string) string {
	return strings.TrimPrefix((&url.URL{Path: p}).EscapedPath(), "/")
}

// WriteSARIF writes the findings of the image named ref as a SARIF 2.1.0
// log. Strings keep their exact bytes (JSON escapes what it must); a
// secret's value is never in a finding.
func WriteSARIF(w io.Writer, ref, version string, fs []findings.Finding) error {
	driver := sarifDriver{Name: "strata", Version: version, InformationURI: "https://github.com/strata-dev/strata"}
	for _, id := range findings.IDs() {
		level := "warning"
		switch id {
		case findings.HiddenSecret, findings.VisibleSecret, findings.SecretInConfig:
			level = "error"
		case findings.NoHealthcheck:
			level = "note"
		}
		driver.Rules = append(driver.Rules, sarifRule{ID: string(id), ShortDescription: sarifMessage{findingHelp(id)},
			Help: sarifMessage{findingHelp(id) + " See docs/findings.md."}, DefaultConfig: sarifConfig{level}})
	}
	results := []sarifResult{}
	for _, f := range fs {
		r := sarifResult{RuleID: string(f.ID), Level: sarifLevel(f.Severity),
			Message:    sarifMessage{fmt.Sprintf("%s. %s", f.Title, f.Fix)},
			Properties: map[string]any{"bytes": f.Bytes, "pathCount": f.PathCount, "image": ref}}
		var steps []string
		for _, s := range f.Steps {
			steps = append(steps, fmt.Sprintf("layer %d: %s", s.Layer, s.Command))
		}
		if len(steps) > 0 {
			r.Properties["steps"] = steps
		}
		for _, p := range f.Paths {
			loc := sarifLocation{Physical: &sarifPhysical{Artifact: sarifArtifact{URI: pathURI(p.Path)}}}
			if p.Kind != "" {
				loc.Message = &sarifMessage{fmt.Sprintf("%s (fingerprint %s) in layer %d", p.Kind, p.Fingerprint, p.Layer)}
			}
			if strings.HasPrefix(p.Path, "/") {
				r.Locations = append(r.Locations, loc)
			} else { // a command or an ENV line: not a file
				r.Locations = append(r.Locations, sarifLocation{Logical: []sarifLogical{{Name: p.Path, Kind: "object"}}})
			}
		}
		if len(r.Locations) == 0 {
			r.Locations = []sarifLocation{{Logical: []sarifLogical{{Name: ref, Kind: "module"}}}}
		}
		results = append(results, r)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
