package oci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/source/internal/metadata"
	"github.com/strata-dev/strata/source/internal/tarfs"
)

// blobs is where a layout keeps its files, by their names in the layout
// ("index.json", "blobs/sha256/…").
type blobs interface {
	// read returns a whole file of at most limit bytes.
	read(name string, limit int64) ([]byte, error)
	// open returns a reader of a file, for the layers.
	open(name string) (io.ReadCloser, error)
	// has says whether a file is there, with an error saying why not.
	has(name string) error
	close() error
}

// blobName is where a layout keeps a blob.
func blobName(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

// OpenDir reads the image of an OCI layout directory. Every file is read
// inside the directory: symlinks that lead out of it are refused, and so
// is anything that is not a regular file.
func OpenDir(dir string, opts ...Option) (*Image, error) {
	store, err := openLayoutDir(dir)
	if err != nil {
		return nil, err
	}
	img, err := open(store, opts)
	if err != nil {
		store.close()
		return nil, err
	}
	return img, nil
}

// openLayoutDir opens an OCI layout directory and checks that it is one.
func openLayoutDir(dir string) (dirBlobs, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return dirBlobs{}, fmt.Errorf("not an OCI layout: %w", err)
	}
	if _, err := root.Lstat("index.json"); errors.Is(err, fs.ErrNotExist) {
		root.Close()
		return dirBlobs{}, errors.New("a directory without index.json is not an OCI layout")
	}
	if err := checkLayoutMarker(root); err != nil {
		root.Close()
		return dirBlobs{}, err
	}
	return dirBlobs{root}, nil
}

// checkLayoutMarker reads the oci-layout file, when there is one (strata
// does not require it), and checks it is the small JSON object it should
// be.
func checkLayoutMarker(root *os.Root) error {
	if _, err := root.Lstat("oci-layout"); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	raw, err := metadata.ReadFile(root, "oci-layout", metadata.MaxLayoutMarker)
	if err != nil {
		return err
	}
	var marker struct {
		Version string `json:"imageLayoutVersion"`
	}
	if err := json.Unmarshal(raw, &marker); err != nil {
		return fmt.Errorf("parsing oci-layout: %w", err)
	}
	return nil
}

// dirBlobs is a layout directory.
type dirBlobs struct{ root *os.Root }

func (d dirBlobs) read(name string, limit int64) ([]byte, error) {
	return metadata.ReadFile(d.root, name, limit)
}

func (d dirBlobs) open(name string) (io.ReadCloser, error) { return metadata.Open(d.root, name) }

func (d dirBlobs) has(name string) error {
	_, err := metadata.Stat(d.root, name)
	return err
}

func (d dirBlobs) close() error { return d.root.Close() }

// tarBlobs is an oci-archive.
type tarBlobs struct{ fs *tarfs.FS }

func (t tarBlobs) read(name string, limit int64) ([]byte, error) { return t.fs.ReadFile(name, limit) }
func (t tarBlobs) open(name string) (io.ReadCloser, error)       { return t.fs.Open(name) }
func (t tarBlobs) close() error                                  { return t.fs.Close() }
func (t tarBlobs) has(name string) error {
	_, err := t.fs.Size(name)
	return err
}

// cacheBudget bounds the bytes a cache keeps: a manifest and a config
// read to learn an image's platform are kept, so that the image picked is
// not read twice, but never more than this.
const cacheBudget = 2 * (metadata.MaxManifest + metadata.MaxConfig)

// cache keeps the documents read while an image is opened, and stops
// reading them once ctx is done.
type cache struct {
	blobs
	ctx  context.Context
	kept map[string][]byte
	size int64
}

func (c *cache) read(name string, limit int64) ([]byte, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	if b, ok := c.kept[name]; ok && int64(len(b)) <= limit {
		return b, nil
	}
	b, err := c.blobs.read(name, limit)
	if err != nil {
		return nil, err
	}
	if c.size+int64(len(b)) <= cacheBudget {
		if c.kept == nil {
			c.kept = map[string][]byte{}
		}
		c.kept[name] = b
		c.size += int64(len(b))
	}
	return b, nil
}
