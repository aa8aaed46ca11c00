// Command gendemo writes the demo image strata's docs, tests and screenshots
// use: a small application image, as a `docker save` tarball tagged
// strata-demo:latest.
//
//	go run ./internal/cmd/gendemo -o testdata/demo.tar
//
// The output is byte-for-byte deterministic (seeded content, fixed times), so
// the checked-in testdata/demo.tar can be compared against a fresh run.
// testdata/demo.Dockerfile documents the build the image pretends to come
// from: a tiny Debian-like rootfs, an apt-get install of curl, an apt lists
// cleanup that leaves whiteouts behind (wasted space), a user, a COPY of the
// app, a mode-only chmod, a config file rewritten twice and a directory
// removed and recreated (an opaque whiteout).
package main
