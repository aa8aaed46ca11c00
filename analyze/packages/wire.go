package packages

import (
	"encoding/json"
	"errors"
)

// A keeper parses its file on the goroutine that reads the layer, and
// hands what it made to Stacked as bytes (tarparse.Keeper's Kept), so
// that the layer cache keeps it with the layer: this is that form.

type wireParsed struct {
	Kind    kind         `json:"k"`
	Records []wireRecord `json:"r,omitempty"`
	Files   []string     `json:"f,omitempty"`
	Distro  *Distro      `json:"d,omitempty"`
	Err     string       `json:"e,omitempty"`
}

type wireRecord struct {
	Eco       Ecosystem `json:"e"`
	Name      string    `json:"n"`
	Version   string    `json:"v,omitempty"`
	Arch      string    `json:"a,omitempty"`
	Source    string    `json:"s,omitempty"`
	Epoch     *int      `json:"p,omitempty"`
	Files     []string  `json:"f,omitempty"`
	Dir       string    `json:"d,omitempty"`
	MultiArch bool      `json:"m,omitempty"`
	GoVersion string    `json:"g,omitempty"`
	Modules   []Module  `json:"o,omitempty"`
}

// encode writes what a keeper made of a file.
func (p *parsed) encode() []byte {
	w := wireParsed{Kind: p.kind, Files: p.files, Distro: p.distro}
	if p.err != nil {
		w.Err = p.err.Error()
	}
	for _, r := range p.records {
		w.Records = append(w.Records, wireRecord{r.eco, r.name, r.version, r.arch, r.source, r.epoch, r.files, r.dir, r.multiArch, r.goVersion, r.modules})
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil // nothing of it reaches Stacked
	}
	return b
}

// decodeParsed reads what encode wrote.
func decodeParsed(b []byte) (*parsed, bool) {
	var w wireParsed
	if len(b) == 0 || json.Unmarshal(b, &w) != nil {
		return nil, false
	}
	p := &parsed{kind: w.Kind, files: w.Files, distro: w.Distro}
	if w.Err != "" {
		p.err = errors.New(w.Err)
	}
	for _, r := range w.Records {
		p.records = append(p.records, record{eco: r.Eco, name: r.Name, version: r.Version, arch: r.Arch, source: r.Source,
			epoch: r.Epoch, files: r.Files, dir: r.Dir, multiArch: r.MultiArch, goVersion: r.GoVersion, modules: r.Modules})
	}
	return p, true
}
