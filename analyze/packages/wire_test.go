package packages

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzWire encodes what a keeper could make of a file, built from the
// fuzzer's bytes, and decodes it back whole; and decodes the bytes
// themselves, which must come back as an error, never a panic or an
// allocation past their length.
func FuzzWire(f *testing.F) {
	f.Add([]byte("\x02\x01\x00\x00\x00\x00"), "debian\x00bookworm\x00caf\xe9", uint8(3), int16(-1))
	f.Add([]byte{}, "", uint8(0), int16(0))
	f.Add([]byte("\x02\x05\x01\x03err\x00\x02\x01a\x01b\x00"), "a\x00b", uint8(200), int16(7))
	f.Fuzz(func(t *testing.T, b []byte, text string, n uint8, epoch int16) {
		if p, ok := decodeParsed(b); ok {
			again, ok := decodeParsed(p.encode())
			if !ok || !reflect.DeepEqual(again, p) {
				t.Fatalf("decoded %q, which does not encode to itself", b)
			}
		}
		words := strings.Split(text, "\x00")
		word := func(i int) string { return words[i%len(words)] }
		// The form does not tell an empty list from none: make both none.
		list := func(n int) []string {
			if n%(len(words)+1) == 0 {
				return nil
			}
			return words[:n%(len(words)+1)]
		}
		p := &parsed{kind: kind(n % 16), files: list(int(n))}
		if n&1 != 0 {
			p.err = errors.New(word(1))
		}
		if n&2 != 0 {
			p.distro = &Distro{ID: word(0), VersionID: word(1), PrettyName: word(2)}
		}
		for i := range int(n % 5) {
			e := int(epoch) + i
			r := record{eco: Ecosystem(word(i)), name: word(i + 1), version: word(i + 2), arch: word(i + 3), source: word(i + 4),
				files: list(i), dir: word(i + 5), multiArch: i%2 == 1, goVersion: word(i + 6)}
			if n&4 != 0 {
				r.epoch = &e
			}
			for j := range i {
				m := Module{Path: word(j), Version: word(j + 1)}
				if j%2 == 1 {
					m.Replace = &Module{Path: word(j + 2), Version: word(j + 3)}
				}
				r.modules = append(r.modules, m)
			}
			p.records = append(p.records, r)
		}
		got, ok := decodeParsed(p.encode())
		if !ok {
			t.Fatal("what encode wrote does not decode")
		}
		// errors.New values differ as pointers: compare their texts.
		if (got.err == nil) != (p.err == nil) || got.err != nil && got.err.Error() != p.err.Error() {
			t.Fatalf("error %v, want %v", got.err, p.err)
		}
		got.err, p.err = nil, nil
		if !reflect.DeepEqual(got, p) {
			t.Fatalf("decoded\n%+v\nwant\n%+v", got, p)
		}
	})
}

// TestWireRefuses: bytes cut short, with bytes left over, of another
// version or with a count past their end do not decode.
func TestWireRefuses(t *testing.T) {
	good := (&parsed{kind: dpkgList, files: []string{"/usr/bin/a", "/usr/bin/b"}}).encode()
	if _, ok := decodeParsed(good); !ok {
		t.Fatal("a file list does not decode")
	}
	for name, b := range map[string][]byte{
		"empty":           nil,
		"cut short":       good[:len(good)-1],
		"bytes left over": append(append([]byte{}, good...), 0),
		"the JSON form":   []byte(`{"k":3,"f":["/usr/bin/a"]}`),
		"other version":   append([]byte{wireVersion + 1}, good[1:]...),
		"a huge count":    {wireVersion, byte(dpkgList), 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"a bool of 2":     {wireVersion, byte(dpkgList), 2, 0, 0, 0},
		"a long varint":   {wireVersion, byte(dpkgList), 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"a deep replace":  (&parsed{records: []record{{modules: []Module{deepModule(maxReplaceDepth + 2)}}}}).encode(),
	} {
		if _, ok := decodeParsed(b); ok {
			t.Errorf("%s: decoded", name)
		}
	}
	if _, ok := decodeParsed((&parsed{records: []record{{modules: []Module{deepModule(maxReplaceDepth)}}}}).encode()); !ok {
		t.Errorf("a chain of %d replaced modules does not decode", maxReplaceDepth)
	}
}

func deepModule(depth int) Module {
	m := Module{Path: "m", Version: "v1"}
	if depth > 0 {
		r := deepModule(depth - 1)
		m.Replace = &r
	}
	return m
}

// BenchmarkWire decodes what a keeper made of a Debian image's dpkg
// lists (2,000 files of 60 bytes, the size of a large package's list) in
// the binary form and in the JSON form it replaced: the binary form is
// why a cached run of a Debian image no longer spends a fifth of its
// time here.
func BenchmarkWire(b *testing.B) {
	p := &parsed{kind: dpkgList}
	for i := range 2000 {
		p.files = append(p.files, "/usr/lib/x86_64-linux-gnu/perl5/5.36/unicore/lib/Perl/"+strings.Repeat("x", i%12)+".pl")
	}
	type jsonForm struct {
		Kind  kind     `json:"k"`
		Files []string `json:"f,omitempty"`
	}
	js, err := json.Marshal(jsonForm{Kind: p.kind, Files: p.files})
	if err != nil {
		b.Fatal(err)
	}
	bin := p.encode()
	b.Run("binary", func(b *testing.B) {
		b.SetBytes(int64(len(bin)))
		for b.Loop() {
			if _, ok := decodeParsed(bin); !ok {
				b.Fatal("does not decode")
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		for b.Loop() {
			var w jsonForm
			if err := json.Unmarshal(js, &w); err != nil {
				b.Fatal(err)
			}
		}
	})
}
