package sbom

import (
	"crypto/sha256"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
)

// Property names, in strata's namespace of the CycloneDX property
// taxonomy.
const (
	PropEcosystem   = "strata:ecosystem"
	PropLocation    = "strata:location"
	PropLayer       = "strata:layer:index"
	PropLayerDiffID = "strata:layer:diffID"
	PropLayerStep   = "strata:layer:step"
	// PropVersionLayer and the two after it are the layer that put the
	// version in place, when a later layer than the one that installed
	// the package upgraded or downgraded it.
	PropVersionLayer       = "strata:versionLayer:index"
	PropVersionLayerDiffID = "strata:versionLayer:diffID"
	PropVersionLayerStep   = "strata:versionLayer:step"
	PropSize               = "strata:sizeBytes"
	PropFiles              = "strata:fileCount"
)

// Meta describes the image and the document.
type Meta struct {
	// Reference names the image, as the user gave it.
	Reference string
	// Timestamp is when the document was made; zero leaves it out.
	Timestamp time.Time
	// ToolVersion is strata's version.
	ToolVersion string
}

// New builds the bill of materials of the packages of the analysis res in
// its final filesystem.
func New(res *analyze.Result, r *packages.Result, meta Meta) *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SerialNumber = serial(res, meta)
	image := &cdx.Component{BOMRef: "image", Type: cdx.ComponentTypeContainer, Name: meta.Reference}
	if len(res.Layers) > 0 {
		var ids []string
		for _, l := range res.Layers {
			ids = append(ids, l.DiffID.String())
		}
		image.Properties = &[]cdx.Property{{Name: "strata:diffIDs", Value: strings.Join(ids, " ")}}
	}
	bom.Metadata = &cdx.Metadata{
		Tools:     &cdx.ToolsChoice{Components: &[]cdx.Component{{Type: cdx.ComponentTypeApplication, Name: "strata", Version: meta.ToolVersion}}},
		Component: image,
	}
	if !meta.Timestamp.IsZero() {
		bom.Metadata.Timestamp = meta.Timestamp.UTC().Format(time.RFC3339)
	}
	var components []cdx.Component
	var deps []cdx.Dependency
	var top []string
	refs := map[string]int{}
	ref := func(purl string) string { // unique, stable: the purl, numbered from its second use
		refs[purl]++
		if n := refs[purl]; n > 1 {
			return purl + "#" + strconv.Itoa(n)
		}
		return purl
	}
	distro := r.Summary.Distro
	if distro != nil {
		c := cdx.Component{BOMRef: "os:" + distro.ID, Type: cdx.ComponentTypeOS, Name: distro.ID, Version: distro.VersionID,
			Description: distro.PrettyName}
		components = append(components, c)
		top = append(top, c.BOMRef)
	}
	for _, p := range r.Present() {
		purl := PURL(&p, distro)
		c := cdx.Component{BOMRef: ref(purl), Type: cdx.ComponentTypeLibrary, Name: p.Name, Version: p.Version, PackageURL: purl}
		if p.Ecosystem == packages.Go {
			c.Type = cdx.ComponentTypeApplication
		}
		props := properties(res, &p)
		c.Properties = &props
		components = append(components, c)
		top = append(top, c.BOMRef)
		if p.Ecosystem != packages.Go {
			continue
		}
		var uses []string
		for _, m := range p.Modules {
			path, version := m.Path, m.Version
			if m.Replace != nil && m.Replace.Version != "" {
				path, version = m.Replace.Path, m.Replace.Version
			}
			mp := golangPURL(path, version)
			mc := cdx.Component{BOMRef: ref(mp), Type: cdx.ComponentTypeLibrary, Name: path, Version: version, PackageURL: mp}
			mprops := []cdx.Property{{Name: PropEcosystem, Value: string(packages.Go)}, {Name: PropLocation, Value: p.Location}}
			mprops = append(mprops, layerProperties(res, p.Layer, PropLayer, PropLayerDiffID, PropLayerStep)...)
			mc.Properties = &mprops
			components = append(components, mc)
			uses = append(uses, mc.BOMRef)
		}
		deps = append(deps, cdx.Dependency{Ref: c.BOMRef, Dependencies: &uses})
	}
	bom.Components = &components
	deps = append([]cdx.Dependency{{Ref: image.BOMRef, Dependencies: &top}}, deps...)
	bom.Dependencies = &deps
	return bom
}

// properties are a package's properties: where it is, the layer that
// installed it, the one that put its version in place, its size.
func properties(res *analyze.Result, p *packages.Package) []cdx.Property {
	props := []cdx.Property{{Name: PropEcosystem, Value: string(p.Ecosystem)}, {Name: PropLocation, Value: p.Location}}
	props = append(props, layerProperties(res, p.Layer, PropLayer, PropLayerDiffID, PropLayerStep)...)
	if k := versionLayer(p); k != p.Layer {
		props = append(props, layerProperties(res, k, PropVersionLayer, PropVersionLayerDiffID, PropVersionLayerStep)...)
	}
	return append(props, cdx.Property{Name: PropSize, Value: strconv.FormatInt(p.SizeBytes, 10)},
		cdx.Property{Name: PropFiles, Value: strconv.Itoa(p.FileCount)})
}

// versionLayer is the layer whose step put a package's version in place.
func versionLayer(p *packages.Package) int {
	k := p.Layer
	for _, c := range p.Changes {
		if c.Change != packages.Removed {
			k = c.Layer
		}
	}
	return k
}

// layerProperties name layer k: its index, diffID and build step.
func layerProperties(res *analyze.Result, k int, index, diffID, step string) []cdx.Property {
	props := []cdx.Property{{Name: index, Value: strconv.Itoa(k)}}
	if k < 0 || k >= len(res.Layers) {
		return props
	}
	l := res.Layers[k]
	props = append(props, cdx.Property{Name: diffID, Value: l.DiffID.String()})
	if s := tree.ShortCommand(l.CreatedBy); s != "" {
		props = append(props, cdx.Property{Name: step, Value: s})
	}
	return props
}

// serial is the document's serial number: a UUID made from the image's
// layers, its reference and the timestamp, so that the same image
// described at the same time gets the same one.
func serial(res *analyze.Result, meta Meta) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", meta.Reference, meta.Timestamp.UnixNano())
	for _, l := range res.Layers {
		fmt.Fprintf(h, "%s\x00", l.DiffID)
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5: name-based
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Write writes the bill of materials as CycloneDX 1.6 JSON, indented.
func Write(w io.Writer, bom *cdx.BOM) error {
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true).SetEscapeHTML(false)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return fmt.Errorf("encoding the CycloneDX document: %w", err)
	}
	return nil
}
