// Package livetest gives tests the real components that .ci/run starts: a
// dockerd, a podman API service, two registries (one open, one with basic
// auth) and the fixture image built in each of them and saved as archives.
//
// .ci/run exports where they are as STRATA_TEST_* variables (docs/development.md,
// "Running the full test suite", lists them). A test asks for the ones it
// needs through [Env] or the helpers built on it ([DockerHost], [Registry],
// [AuthRegistry], [FixtureArchive], ...). Where a variable is not set the test
// is skipped, so `go test ./...` passes on a machine without the components;
// but when $CI is true, 1 or yes it fails instead, so that a broken .ci/run
// cannot turn the live tests into silent skips.
//
// The package only uses the standard library, so any test package can import
// it without adding dependencies.
package livetest
