// Package image holds the two types every part of strata agrees on: an
// [Image] is a configuration and its layers in manifest order, and a
// [Layer] is one stored layer blob with the digests the image declares for
// it.
//
// Every source (source/...) returns an Image and the analysis (analyze/...)
// reads one; neither imports the other. The package imports only
// go-containerregistry's v1 types and the standard library, so that it
// stays the leaf both sides depend on.
package image
