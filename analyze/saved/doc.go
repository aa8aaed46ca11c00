// Package saved writes a whole analysis to one file and opens it again
// without the image: `strata inspect --save FILE IMAGE` analyses once,
// `strata inspect FILE` browses, reports and checks it later, anywhere.
//
// The file is a tar: strata-analysis.json (where the image came from, its
// configuration, its layers' digests and sizes, and what the observers
// kept) and one member per layer with its parsed entries, as the layer
// cache encodes them. Opening it gives an image whose layers cannot be
// read — file contents are not saved — and a cache that holds every
// layer, so that the analysis runs as it did, findings and packages
// included, and reads nothing else.
package saved
