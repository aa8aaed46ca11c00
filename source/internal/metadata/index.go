package metadata

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ErrTooMany says an index and the indexes it nests list more
// descriptors, or nest deeper, than strata follows.
var ErrTooMany = errors.New("an index lists more than strata follows")

// capError is an error of kind ErrTooMany with a message of its own.
type capError struct{ msg string }

func (e *capError) Error() string        { return e.msg }
func (e *capError) Is(target error) bool { return target == ErrTooMany }

// Fetch returns the bytes of the index a descriptor names, checked
// against the descriptor ([Verify]) and capped ([MaxManifest]).
type Fetch func(d v1.Descriptor) ([]byte, error)

// Images lists the image manifests of the index raw (called name in
// messages) and of the indexes it nests, depth first. Each nested index
// is read once however often it is listed, and an image listed again with
// the same platform is listed once; the descriptors listed, duplicates
// included, are at most [MaxDescriptors] and indexes nest at most
// [MaxDepth] deep.
func Images(raw []byte, name string, fetch Fetch) ([]v1.Descriptor, error) {
	w := walker{root: name, fetch: fetch, indexes: map[v1.Hash]bool{}, images: map[string]bool{}}
	if err := w.walk(raw, name, 0); err != nil {
		return nil, err
	}
	return w.out, nil
}

type walker struct {
	root    string
	fetch   Fetch
	listed  int              // descriptors seen, duplicates included
	indexes map[v1.Hash]bool // nested indexes read
	images  map[string]bool  // images listed, by digest and platform
	out     []v1.Descriptor
}

func (w *walker) walk(raw []byte, name string, depth int) error {
	if depth > MaxDepth {
		return &capError{fmt.Sprintf("%s: indexes nest more than %d deep (strata follows no deeper)", w.root, MaxDepth)}
	}
	idx, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("parsing %s: %w", name, err)
	}
	w.listed += len(idx.Manifests)
	if w.listed > MaxDescriptors {
		return &capError{fmt.Sprintf("%s and the indexes it nests list more than %d manifests (strata follows no more)", w.root, MaxDescriptors)}
	}
	for i, d := range idx.Manifests {
		if !d.MediaType.IsIndex() && !d.MediaType.IsImage() {
			continue // artifacts, and descriptors of no known type
		}
		if d.Digest.Hex == "" {
			return fmt.Errorf("%s: manifest %d (%s) has no digest", name, i, d.MediaType)
		}
		if d.MediaType.IsImage() {
			key := d.Digest.String() + " " + platformKey(d.Platform)
			if !w.images[key] {
				w.images[key] = true
				w.out = append(w.out, d)
			}
			continue
		}
		if w.indexes[d.Digest] {
			continue
		}
		w.indexes[d.Digest] = true
		if d.Size > MaxManifest {
			return TooLarge("index "+d.Digest.String(), d.Size, MaxManifest)
		}
		sub, err := w.fetch(d)
		if err != nil {
			return fmt.Errorf("reading index %s: %w", d.Digest, err)
		}
		if err := w.walk(sub, "index "+d.Digest.String(), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// platformKey tells platforms apart for de-duplication.
func platformKey(p *v1.Platform) string {
	if p == nil {
		return ""
	}
	return strings.Join([]string{p.OS, p.Architecture, p.Variant, p.OSVersion, strings.Join(p.OSFeatures, ","), strings.Join(p.Features, ",")}, "/")
}
