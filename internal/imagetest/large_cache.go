package imagetest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// CachedLarge returns the path of the archive [GenerateLarge] writes for o,
// kept in dir between runs: a file named after the options is generated
// once and reused, since equal options give equal archives. Its stats are
// kept beside it.
func CachedLarge(dir string, o LargeOptions) (string, LargeStats, error) {
	o, err := o.withDefaults()
	if err != nil {
		return "", LargeStats{}, fmt.Errorf("checking large image options: %w", err)
	}
	name := fmt.Sprintf("strata-large-s%d-l%d-f%d-b%d", o.Seed, o.Layers, o.Files, o.TotalBytes)
	if o.Gzip {
		name += "-gzip"
	}
	path := filepath.Join(dir, name+".tar")
	statsPath := filepath.Join(dir, name+".json")
	var st LargeStats
	if raw, err := os.ReadFile(statsPath); err == nil && json.Unmarshal(raw, &st) == nil {
		if fi, err := os.Stat(path); err == nil && fi.Size() == st.ArchiveBytes {
			return path, st, nil
		}
	}
	tmp, err := os.CreateTemp(dir, "."+name+".*.partial")
	if err != nil {
		return "", st, fmt.Errorf("creating large image: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if st, err = GenerateLarge(tmp.Name(), o); err != nil {
		return "", st, err
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return "", st, fmt.Errorf("encoding large image stats: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", st, fmt.Errorf("moving large image into place: %w", err)
	}
	if err := os.WriteFile(statsPath, raw, 0o644); err != nil {
		return "", st, fmt.Errorf("writing large image stats: %w", err)
	}
	return path, st, nil
}
