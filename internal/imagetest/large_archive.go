package imagetest

import (
	"archive/tar"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// archiveWriter writes the outer `docker save` tar of GenerateLarge.
type archiveWriter struct {
	f  *os.File
	bw *bufio.Writer
	tw *tar.Writer
}

func newArchiveWriter(p string) (*archiveWriter, error) {
	f, err := os.Create(p)
	if err != nil {
		return nil, fmt.Errorf("creating archive: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	return &archiveWriter{f: f, bw: bw, tw: tar.NewWriter(bw)}, nil
}

// writeAll writes each layer to a temp file in tmp, copies it into the
// archive and removes it, then writes the config and manifest.json.
func (w *archiveWriter) writeAll(layers []planLayer, o LargeOptions, tmp string) (LargeStats, error) {
	var stats LargeStats
	pool := newContentPool(o.Seed)
	names := make([]string, len(layers))
	for i, l := range layers {
		p := filepath.Join(tmp, fmt.Sprintf("layer-%d.tar", i))
		st, err := writeLayer(p, l, pool, o.Gzip)
		if err != nil {
			return stats, fmt.Errorf("writing layer %d (%s): %w", i, l.createdBy, err)
		}
		names[i] = st.Digest.Hex + "/layer.tar"
		if o.Gzip {
			names[i] += ".gz"
		}
		if err := w.dir(st.Digest.Hex + "/"); err != nil {
			return stats, err
		}
		if err := w.copyFile(names[i], p, st.BlobBytes); err != nil {
			return stats, fmt.Errorf("copying layer %d into archive: %w", i, err)
		}
		if err := os.Remove(p); err != nil {
			return stats, fmt.Errorf("removing temp layer: %w", err)
		}
		stats.Layers = append(stats.Layers, st)
		stats.Entries += st.Entries
		stats.Whiteouts += st.Whiteouts
		stats.ContentBytes += st.ContentBytes
		stats.UncompressedBytes += st.UncompressedBytes
	}
	cfg, err := largeConfig(stats.Layers)
	if err != nil {
		return stats, err
	}
	cfgHash, _, err := v1.SHA256(bytes.NewReader(cfg))
	if err != nil {
		return stats, fmt.Errorf("hashing config: %w", err)
	}
	cfgName := cfgHash.Hex + ".json"
	manifest, err := json.Marshal([]struct {
		Config   string
		RepoTags []string
		Layers   []string
	}{{Config: cfgName, RepoTags: []string{o.Tag}, Layers: names}})
	if err != nil {
		return stats, fmt.Errorf("encoding manifest.json: %w", err)
	}
	if err := w.file(cfgName, cfg); err != nil {
		return stats, err
	}
	return stats, w.file("manifest.json", manifest)
}

func largeConfig(layers []LargeLayerStats) ([]byte, error) {
	cf := v1.ConfigFile{
		Architecture: "amd64",
		OS:           "linux",
		RootFS:       v1.RootFS{Type: "layers"},
		Config:       v1.Config{Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin"}, Cmd: []string{"/bin/sh"}},
	}
	for i, l := range layers {
		t := v1.Time{Time: epoch().Add(time.Duration(i) * time.Minute)}
		cf.RootFS.DiffIDs = append(cf.RootFS.DiffIDs, l.DiffID)
		cf.History = append(cf.History, v1.History{CreatedBy: l.CreatedBy, Created: t})
		cf.Created = t
	}
	b, err := json.Marshal(cf)
	if err != nil {
		return nil, fmt.Errorf("encoding config: %w", err)
	}
	return b, nil
}

func (w *archiveWriter) dir(name string) error {
	hdr := &tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch()}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

func (w *archiveWriter) file(name string, b []byte) error {
	hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(b)), ModTime: epoch()}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if _, err := w.tw.Write(b); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

func (w *archiveWriter) copyFile(name, src string, size int64) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: size, ModTime: epoch()}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(w.tw, f)
	return err
}

// close finishes the archive; it is safe to call after a failed write.
func (w *archiveWriter) close() error {
	err := w.tw.Close()
	if ferr := w.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("finishing archive: %w", err)
	}
	return nil
}
