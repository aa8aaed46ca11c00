package arena

import (
	"math"
	"strings"
)

// Ref is a string kept in a [Strings]. Unlike a string it holds no
// pointer. The zero Ref is the empty string.
type Ref struct {
	off uint32 // chunk<<16 | position in the chunk, or the index in long
	len uint32 // longRef for strings kept in long
}

const (
	// chunkSize is the size of the chunks strings are copied into.
	chunkSize = 64 << 10
	// longString is the length from which a string is kept on its own.
	longString = chunkSize / 16
	longRef    = math.MaxUint32
)

// Strings keeps strings in 64 KiB chunks: adding one copies it once, and
// the string Get returns shares the chunk's bytes. The zero value is
// empty and ready to use.
type Strings struct {
	chunks []*strings.Builder
	long   []string // strings too long for a chunk, or past the last chunk
}

// Add keeps s.
func (s *Strings) Add(str string) Ref { return s.AddJoined("", str) }

// AddJoined keeps prefix+str, for the cost of copying each once.
func (s *Strings) AddJoined(prefix, str string) Ref {
	n := len(prefix) + len(str)
	if n == 0 {
		return Ref{}
	}
	if n > longString || len(s.chunks) > math.MaxUint16 {
		s.long = append(s.long, prefix+str)
		return Ref{off: uint32(len(s.long) - 1), len: longRef}
	}
	last := len(s.chunks) - 1
	if last < 0 || s.chunks[last].Cap()-s.chunks[last].Len() < n {
		if last+1 > math.MaxUint16 {
			s.long = append(s.long, prefix+str)
			return Ref{off: uint32(len(s.long) - 1), len: longRef}
		}
		b := new(strings.Builder)
		b.Grow(chunkSize)
		s.chunks = append(s.chunks, b)
		last++
	}
	b := s.chunks[last]
	start := b.Len()
	// Within the Builder's capacity: the bytes behind earlier strings
	// never move or change.
	b.WriteString(prefix)
	b.WriteString(str)
	return Ref{off: uint32(last)<<16 | uint32(start), len: uint32(n)}
}

// Get returns the string r refers to. It shares the arena's bytes.
func (s *Strings) Get(r Ref) string {
	switch r.len {
	case 0:
		return ""
	case longRef:
		return s.long[r.off]
	}
	start := int(r.off & 0xffff)
	return s.chunks[r.off>>16].String()[start : start+int(r.len)]
}
