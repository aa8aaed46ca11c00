package packages

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
)

// parsePackageJSON reads the name and version of the package.json at p,
// whose directory is the package. Only the top-level "name" and "version"
// are decoded, so a manifest cut at the limit still reads when they come
// first, as they do.
func parsePackageJSON(p string, b []byte, truncated bool) ([]record, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var name, version string
	for dec.More() && (name == "" || version == "") {
		t, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		switch key {
		case "name":
			json.Unmarshal(v, &name)
		case "version":
			json.Unmarshal(v, &version)
		}
	}
	if name == "" || version == "" {
		if truncated {
			return nil, fmt.Errorf("no name or version in its first %d bytes", len(b))
		}
		return nil, errors.New("no name or version")
	}
	return []record{{eco: Npm, name: name, version: version, dir: path.Dir(p)}}, nil
}
