package main

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/strata-dev/strata/internal/imagetest"
)

// wordList feeds the filler text of docs and lists.
const wordList = `the package provides a small fast library for
transferring data with urls supports http https ftp and many other protocols
this is free software you may redistribute it under the terms of the license
copyright holders and contributors see the file for details upstream release
fixes security issue build with hardening flags update standards version`

// rng returns a deterministic PRNG for seed.
func rng(seed string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(seed))
	return rand.New(rand.NewPCG(h.Sum64(), 0x5eed))
}

// prose returns about n bytes of wrapped filler text derived from seed.
func prose(seed string, n int) string {
	r := rng(seed)
	words := strings.Fields(wordList)
	var b strings.Builder
	line := 0
	for b.Len() < n {
		w := words[r.IntN(len(words))]
		if line+len(w) > 72 {
			b.WriteString("\n")
			line = 0
		} else if line > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	b.WriteString("\n")
	return b.String()
}

// elf returns an executable-looking blob: an ELF64 header then seeded bytes.
func elf(p string, size int64) imagetest.Entry {
	b := imagetest.PseudoRandom(p, size)
	copy(b, "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00")
	return imagetest.Entry{Path: p, Content: b, Mode: 0o755}
}

// gz returns a gzip-looking blob (magic bytes then seeded bytes).
func gz(p string, size int64) imagetest.Entry {
	b := imagetest.PseudoRandom(p, size)
	copy(b, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03")
	return imagetest.Entry{Path: p, Content: b}
}

// copyright returns a Debian-style copyright file for pkg.
func copyright(pkg string, n int) imagetest.Entry {
	text := fmt.Sprintf("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"+
		"Upstream-Name: %s\n\nFiles: *\nLicense: permissive\n\n%s", pkg, prose(pkg, n))
	return imagetest.Reg("usr/share/doc/"+pkg+"/copyright", text)
}

// pem returns n fake PEM certificates.
func pem(seed string, n int) string {
	var b strings.Builder
	for i := range n {
		raw := imagetest.PseudoRandom(fmt.Sprintf("%s-%d", seed, i), 900)
		enc := base64.StdEncoding.EncodeToString(raw)
		b.WriteString("-----BEGIN CERTIFICATE-----\n")
		for len(enc) > 64 {
			b.WriteString(enc[:64] + "\n")
			enc = enc[64:]
		}
		b.WriteString(enc + "\n-----END CERTIFICATE-----\n")
	}
	return b.String()
}

// dpkgStatus returns a dpkg status database listing pkgs.
func dpkgStatus(pkgs ...string) string {
	var b strings.Builder
	for _, p := range pkgs {
		fmt.Fprintf(&b, "Package: %s\nStatus: install ok installed\nPriority: optional\n"+
			"Architecture: amd64\nVersion: %d.%d-1\nDescription: %s\n\n",
			p, len(p)%7+1, len(p)%5, strings.TrimSpace(prose(p+"-desc", 50)))
	}
	return b.String()
}

// inRelease returns a signed-Release-looking index of n hashed entries.
func inRelease(suite string, n int) string {
	r := rng(suite)
	var b strings.Builder
	fmt.Fprintf(&b, "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: Debian\nSuite: %s\nSHA256:\n", suite)
	for i := range n {
		fmt.Fprintf(&b, " %016x%016x%016x%016x %8d main/binary-amd64/Packages.%d\n",
			r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.IntN(1<<24), i)
	}
	b.WriteString("-----BEGIN PGP SIGNATURE-----\n" + base64.StdEncoding.EncodeToString(imagetest.PseudoRandom(suite, 600)) + "\n-----END PGP SIGNATURE-----\n")
	return b.String()
}
