package saved

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layercache"
	"github.com/strata-dev/strata/analyze/tarparse"
	"github.com/strata-dev/strata/image"
)

// metaName is the first member of a saved analysis.
const metaName = "strata-analysis.json"

// version is the format of the file.
const version = 1

// ErrNoContents says that a saved analysis holds no file contents.
var ErrNoContents = errors.New("a saved analysis holds no file contents: open the image itself to see them")

// Meta says where a saved image came from.
type Meta struct {
	Reference string    `json:"reference"`
	Source    string    `json:"source"`
	Platform  string    `json:"platform"`
	Saved     time.Time `json:"saved"`
}

// document is strata-analysis.json.
type document struct {
	Version int             `json:"version"`
	Meta    Meta            `json:"image"`
	Config  json.RawMessage `json:"config"`
	// Key is what the observers kept of the layers' files (see
	// analyze.CacheKeyer): opening the file with other observers would
	// lack what they need.
	Key    string       `json:"key"`
	Layers []savedLayer `json:"layers"`
}

type savedLayer struct {
	ID               string          `json:"id,omitempty"`
	Digest           v1.Hash         `json:"digest"`
	DiffID           v1.Hash         `json:"diffId"`
	MediaType        types.MediaType `json:"mediaType"`
	Size             int64           `json:"size"`
	UncompressedSize int64           `json:"uncompressedSize"`
}

// Recorder keeps what a saved analysis needs of each layer as it is read;
// pass its Record to analyze.WithRecorder.
type Recorder struct {
	mu      sync.Mutex
	layers  map[int]savedLayer
	entries map[int][]byte
	err     error
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder {
	return &Recorder{layers: map[int]savedLayer{}, entries: map[int][]byte{}}
}

// Record encodes layer i as it was read.
func (r *Recorder) Record(i int, p *analyze.ParsedLayer) {
	enc, err := p.Entries.MarshalBinary()
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("encoding layer %d: %w", i, err)
	}
	r.layers[i] = savedLayer{ID: p.Source.ID, Digest: p.Digest, DiffID: p.DiffID, MediaType: p.Source.MediaType,
		Size: p.CompressedSize, UncompressedSize: p.UncompressedSize}
	r.entries[i] = enc
}

// Write writes the analysis of an image, every layer of which r recorded,
// to w. key is the analysis's observers' cache key ([analyze.CacheKey]):
// the file opens only where an analysis has the same.
func (r *Recorder) Write(w io.Writer, meta Meta, cfg *v1.ConfigFile, layers int, key string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encoding the config: %w", err)
	}
	doc := document{Version: version, Meta: meta, Config: raw, Key: key}
	for i := range layers {
		l, ok := r.layers[i]
		if !ok {
			return fmt.Errorf("layer %d was not read", i)
		}
		doc.Layers = append(doc.Layers, l)
	}
	head, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	tw := tar.NewWriter(w)
	put := func(name string, b []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg, ModTime: meta.Saved}); err != nil {
			return err
		}
		_, err := tw.Write(b)
		return err
	}
	if err := put(metaName, head); err != nil {
		return err
	}
	for i := range layers {
		if err := put("layers/"+strconv.Itoa(i), r.entries[i]); err != nil {
			return err
		}
	}
	return tw.Close()
}

// maxMeta bounds strata-analysis.json: a config is capped at 8 MiB by the
// sources, and each layer adds a few hundred bytes.
const maxMeta = 16 << 20

// Is says whether the file at path is a saved analysis.
func Is(path string) bool {
	// Only a regular file is opened: opening a named pipe would wait for
	// a writer.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	h, err := tar.NewReader(f).Next()
	return err == nil && h.Name == metaName
}

// Saved is an opened saved analysis.
type Saved struct {
	Meta   Meta
	Key    string
	config *v1.ConfigFile
	layers []image.Layer
	cache  memory
}

// Open reads a saved analysis whole. Its entries are checked as the layer
// cache checks them.
func Open(path string) (*Saved, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	h, err := tr.Next()
	if err != nil || h.Name != metaName {
		return nil, fmt.Errorf("%s: not a saved analysis", filepath.Base(path))
	}
	if h.Size > maxMeta {
		return nil, fmt.Errorf("%s is %d bytes, more than %d", metaName, h.Size, maxMeta)
	}
	var doc document
	if err := json.NewDecoder(io.LimitReader(tr, maxMeta)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("reading %s: %w", metaName, err)
	}
	if doc.Version != version {
		return nil, fmt.Errorf("a saved analysis of version %d; this strata reads version %d", doc.Version, version)
	}
	s := &Saved{Meta: doc.Meta, Key: doc.Key, config: &v1.ConfigFile{}, cache: memory{path: path, key: doc.Key, layers: map[v1.Hash]*layercache.Layer{}}}
	if err := json.Unmarshal(doc.Config, s.config); err != nil {
		return nil, fmt.Errorf("reading the saved config: %w", err)
	}
	for i, l := range doc.Layers {
		h, err := tr.Next()
		if err != nil || h.Name != "layers/"+strconv.Itoa(i) {
			return nil, fmt.Errorf("the saved analysis lacks layer %d", i)
		}
		data, err := io.ReadAll(io.LimitReader(tr, h.Size))
		if err != nil {
			return nil, fmt.Errorf("reading saved layer %d: %w", i, err)
		}
		es, err := tarparse.UnmarshalEntries(data)
		if err != nil {
			return nil, fmt.Errorf("saved layer %d: %w", i, err)
		}
		s.cache.layers[l.DiffID] = &layercache.Layer{Entries: es, Digest: l.Digest, CompressedSize: l.Size, UncompressedSize: l.UncompressedSize}
		s.layers = append(s.layers, image.Layer{ID: l.ID, Digest: l.Digest, DiffID: l.DiffID, MediaType: l.MediaType, Size: l.Size,
			Open: func() (io.ReadCloser, error) { return nil, ErrNoContents }})
	}
	return s, nil
}

// ConfigFile returns the saved configuration.
func (s *Saved) ConfigFile() (*v1.ConfigFile, error) { return s.config, nil }

// Layers returns the saved layers, whose contents cannot be opened.
func (s *Saved) Layers() ([]image.Layer, error) { return s.layers, nil }

// Cache gives the analysis every saved layer.
func (s *Saved) Cache() analyze.LayerCache { return s.cache }

// covers says whether layers saved under key saved hold what an analysis
// with key asked needs: each of the asked key's parts, one an observer's
// (see [analyze.CacheKey]). An analysis with fewer observers, extract's,
// needs fewer.
func covers(saved, asked string) bool {
	have := strings.Split(saved, "+")
	for part := range strings.SplitSeq(asked, "+") {
		if !slices.Contains(have, part) {
			return false
		}
	}
	return true
}

// memory is a cache that holds every layer and reads none.
type memory struct {
	path   string // the saved analysis
	key    string // what the analysis that saved it kept of the files
	layers map[v1.Hash]*layercache.Layer
}

// ErrOtherKey says a saved analysis keeps other things of the layers'
// files than this strata's analysis needs: another version of strata
// saved it.
var ErrOtherKey = errors.New("another version of strata saved this analysis, keeping other things of the files than this one needs: save it again")

func (m memory) GetOrRead(diffID v1.Hash, key string, _ func() (*layercache.Layer, error)) (*layercache.Layer, bool, error) {
	if !covers(m.key, key) {
		return nil, false, fmt.Errorf("%s: %w", m.path, ErrOtherKey)
	}
	if l, ok := m.layers[diffID]; ok {
		return l, true, nil
	}
	return nil, false, fmt.Errorf("layer %s is not in the saved analysis", diffID)
}
