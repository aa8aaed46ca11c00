// Package difftest builds, in code, the pairs of images strata diff's tests
// compare: a base image and rebuilds of it, each with one kind of change (a
// changed file, an added package-like directory, a chmod, a deleted file, a
// reordered step, changed owner, type and link target) and one with the first
// five, and checks output against the golden files in testdata/diff.
package difftest
