// Package layering holds the test that keeps strata's package graph the
// shape the design gives it: sources only open images and import no
// analysis, the analysis imports no source, and the image types both
// share stay a leaf. It has no code of its own.
package layering
