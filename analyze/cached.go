package analyze

import (
	"strings"

	"github.com/strata-dev/strata/analyze/layercache"
)

// A CacheKeyer is an observer that says what it keeps of a layer's files,
// and which version of its reading, so that a cached layer holds what it
// needs: the key changes whenever what it keeps does.
type CacheKeyer interface {
	CacheKey() string
}

// CacheKey is the key under which an analysis with these observers
// caches and saves layers (see [WithCache]), or false when one of them
// does not say what it keeps.
func CacheKey(observers ...Observer) (string, bool) {
	keys := []string{"entries"}
	for _, o := range observers {
		k, ok := o.(CacheKeyer)
		if !ok {
			return "", false
		}
		keys = append(keys, k.CacheKey())
	}
	return strings.Join(keys, "+"), true
}

// read reads layer i, from the cache when it holds it, and records it.
func (a *Analysis) read(i int, o options, reuse Option) (*ParsedLayer, error) {
	p, err := a.readLayer(i, o, reuse)
	if err == nil && o.record != nil {
		o.record(i, p)
	}
	return p, err
}

func (a *Analysis) readLayer(i int, o options, reuse Option) (*ParsedLayer, error) {
	l := a.sources[i]
	parse := func() (*ParsedLayer, error) {
		return ParseLayer(a.ctx, i, l, WithIgnoreErrors(o.ignoreErrors), WithVerify(o.verify), WithOnRead(o.onRead), reuse)
	}
	key, ok := CacheKey(o.observers...)
	if o.cache == nil || !ok || l.DiffID.Hex == "" {
		return parse()
	}
	var parsed *ParsedLayer
	cl, hit, err := o.cache.GetOrRead(l.DiffID, key, func() (*layercache.Layer, error) {
		p, err := parse()
		if err != nil {
			return nil, err
		}
		parsed = p
		return &layercache.Layer{Entries: p.Entries, Digest: p.Digest, CompressedSize: p.CompressedSize,
			UncompressedSize: p.UncompressedSize, DontKeep: len(p.Warnings) > 0 || p.DiffID != l.DiffID}, nil
	})
	if err != nil {
		return nil, err
	}
	if parsed != nil {
		return parsed, nil
	}
	// From the cache, or read by another analysis in this process: the
	// blob as this image declares it, the entries as they were read.
	p := &ParsedLayer{Index: i, Source: l, Entries: cl.Entries, CompressedSize: cl.CompressedSize,
		UncompressedSize: cl.UncompressedSize, Digest: cl.Digest, DiffID: l.DiffID, Cached: hit}
	if l.Digest.Hex != "" {
		p.Digest = l.Digest
	}
	if l.Size > 0 {
		p.CompressedSize = l.Size
	}
	return p, nil
}
