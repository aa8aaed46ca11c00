package layercache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/zeebo/xxh3"

	"github.com/strata-dev/strata/analyze/tarparse"
)

// ErrMiss says the cache does not hold a layer.
var ErrMiss = errors.New("not in the cache")

// Layer is what the cache keeps of a parsed layer.
type Layer struct {
	Entries          *tarparse.Entries
	Digest           v1.Hash // the digest of the blob it was read from
	CompressedSize   int64
	UncompressedSize int64
	// DontKeep says the layer was read but must not be kept: its bytes
	// did not match its digests.
	DontKeep bool
}

// Cache is a directory of parsed layers. It is safe for concurrent use, and
// several processes may share one directory.
type Cache struct {
	dir      string
	maxBytes int64
	mu       sync.Mutex
	inFlight map[string]*flight // layers being read now, by file name
}

type flight struct {
	done  chan struct{}
	layer *Layer
	err   error
}

// Option changes a cache.
type Option func(*Cache)

// WithMaxBytes sets the size the directory is kept under (default 2 GiB).
func WithMaxBytes(n int64) Option { return func(c *Cache) { c.maxBytes = n } }

// Dir is the default cache directory: $XDG_CACHE_HOME/strata/layers, else
// $HOME/.cache/strata/layers.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "strata", "layers"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("finding the cache directory: neither $XDG_CACHE_HOME nor $HOME is set")
	}
	return filepath.Join(home, ".cache", "strata", "layers"), nil
}

// Open opens the cache in dir, creating it.
func Open(dir string, opts ...Option) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the cache directory: %w", err)
	}
	c := &Cache{dir: dir, maxBytes: 2 << 30, inFlight: map[string]*flight{}}
	for _, opt := range opts {
		opt(c)
	}
	return c, nil
}

// name is the file of a layer read with the given capture key.
func name(diffID v1.Hash, key string) string {
	return fmt.Sprintf("%s-%s-%016x.layer", diffID.Algorithm, diffID.Hex, xxh3.HashString(key))
}

// validHash says whether a diffID is safe in a file name.
func validHash(h v1.Hash) bool {
	return h.Algorithm == "sha256" && len(h.Hex) == 64 && strings.Trim(h.Hex, "0123456789abcdef") == ""
}

// GetOrRead returns the layer of diffID kept under key, reading it with
// read when the cache does not hold it (and then keeping it). Concurrent
// calls for the same layer wait for one read. It says whether the layer
// came from the cache.
func (c *Cache) GetOrRead(diffID v1.Hash, key string, read func() (*Layer, error)) (*Layer, bool, error) {
	if !validHash(diffID) {
		l, err := read()
		return l, false, err
	}
	n := name(diffID, key)
	c.mu.Lock()
	if f, ok := c.inFlight[n]; ok {
		c.mu.Unlock()
		<-f.done
		return f.layer, f.err == nil, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.inFlight[n] = f
	c.mu.Unlock()
	defer func() {
		close(f.done)
		c.mu.Lock()
		delete(c.inFlight, n)
		c.mu.Unlock()
	}()
	if l, err := c.get(n, diffID); err == nil {
		f.layer = l
		return l, true, nil
	}
	f.layer, f.err = read()
	if f.err == nil && !f.layer.DontKeep {
		c.put(n, diffID, f.layer) // a cache that cannot be written is no cache
	}
	return f.layer, false, f.err
}

// The file of a layer: a header, the entries' own encoding, a checksum.
const (
	fileMagic   = "strata-layer\n"
	fileVersion = 1
)

func (c *Cache) get(n string, diffID v1.Hash) (*Layer, error) {
	path := filepath.Join(c.dir, n)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ErrMiss
	}
	l, err := decode(data, diffID)
	if err != nil {
		os.Remove(path) // damaged: read the layer again
		return nil, err
	}
	now := time.Now()
	os.Chtimes(path, now, now) // most recently used
	return l, nil
}

func decode(data []byte, diffID v1.Hash) (*Layer, error) {
	if len(data) < len(fileMagic)+1+8 || string(data[:len(fileMagic)]) != fileMagic || data[len(fileMagic)] != fileVersion {
		return nil, errors.New("not a cached layer of this version")
	}
	body, sum := data[:len(data)-8], binary.LittleEndian.Uint64(data[len(data)-8:])
	if xxh3.Hash(body) != sum {
		return nil, errors.New("the cached layer is damaged")
	}
	b := body[len(fileMagic)+1:]
	str := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			b = nil
			return ""
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s
	}
	num := func() int64 {
		v, k := binary.Varint(b)
		if k <= 0 {
			b = nil
			return 0
		}
		b = b[k:]
		return v
	}
	gotDiffID, digest := str(), str()
	l := &Layer{CompressedSize: num(), UncompressedSize: num()}
	if b == nil || gotDiffID != diffID.String() {
		return nil, errors.New("the cached layer is not the layer asked for")
	}
	d, err := v1.NewHash(digest)
	if err != nil {
		return nil, err
	}
	l.Digest = d
	if l.Entries, err = tarparse.UnmarshalEntries(b); err != nil {
		return nil, err
	}
	return l, nil
}

func (c *Cache) put(n string, diffID v1.Hash, l *Layer) error {
	entries, err := l.Entries.MarshalBinary()
	if err != nil {
		return err
	}
	b := make([]byte, 0, len(entries)+256)
	b = append(b, fileMagic...)
	b = append(b, fileVersion)
	for _, s := range []string{diffID.String(), l.Digest.String()} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, l.CompressedSize)
	b = binary.AppendVarint(b, l.UncompressedSize)
	b = append(b, entries...)
	b = binary.LittleEndian.AppendUint64(b, xxh3.Hash(b))
	tmp, err := os.CreateTemp(c.dir, ".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(c.dir, n))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Trim removes the least recently used layers until the directory holds
// at most the cache's size.
func (c *Cache) Trim() (int, int64, error) { return c.Prune(c.maxBytes) }

// Prune removes the least recently used layers until the directory holds
// at most maxBytes, and says how many files and bytes it removed.
// Temporary files older than an hour (left by a run that was killed) go
// too.
func (c *Cache) Prune(maxBytes int64) (int, int64, error) {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return 0, 0, fmt.Errorf("reading the cache directory: %w", err)
	}
	type file struct {
		name string
		size int64
		used time.Time
	}
	var files []file
	var total int64
	removed, freed := 0, int64(0)
	for _, de := range des {
		info, err := de.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if strings.HasSuffix(de.Name(), ".tmp") {
			if time.Since(info.ModTime()) > time.Hour && os.Remove(filepath.Join(c.dir, de.Name())) == nil {
				removed, freed = removed+1, freed+info.Size()
			}
			continue
		}
		if !strings.HasSuffix(de.Name(), ".layer") {
			continue
		}
		files = append(files, file{de.Name(), info.Size(), info.ModTime()})
		total += info.Size()
	}
	slices.SortFunc(files, func(a, b file) int { return a.used.Compare(b.used) })
	for _, f := range files {
		if total <= maxBytes {
			break
		}
		err := os.Remove(filepath.Join(c.dir, f.name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, freed, fmt.Errorf("pruning the cache: %w", err)
		}
		total -= f.size
		removed, freed = removed+1, freed+f.size
	}
	return removed, freed, nil
}
