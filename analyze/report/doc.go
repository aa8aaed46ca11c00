// Package report writes the JSON document of an analysis that
// `strata inspect --json` produces. Its keys are a superset of dive's
// --json output, so scripts written for dive keep working.
//
// The document is written by hand rather than by encoding/json: one layer
// at a time, straight from the tree, as soon as the layer is stacked
// ([Writer]), in exactly the bytes encoding/json would write with a
// two-space indent (a test compares them; BenchmarkWrite shows the
// difference). A report of a large image is never held in memory whole.
package report
