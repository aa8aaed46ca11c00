package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestBadInput(t *testing.T) {
	docker := diveImage(t)
	ociArchive := diveFixture(t, "test-oci-gzip-image.tar")
	notImage := diveFixture(t, "test-gzip-image.tar")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.tar")
	notLayout := filepath.Join(dir, "not-a-layout")
	if err := os.Mkdir(notLayout, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, notLayout, "hello.txt", "hello\n")
	empty := writeFile(t, dir, "empty.tar", "")
	text := writeFile(t, dir, "notes.txt", "not a tar archive at all, but long enough to hold a tar header? no.\n")
	missingRules := filepath.Join(dir, "missing-rules.yaml")

	tests := []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"missing file", []string{missing}, []string{missing, "no such file or directory"}},
		{"missing file via inspect", []string{"inspect", missing}, []string{missing}},
		{"directory that is not a layout", []string{notLayout}, []string{notLayout, "not an OCI layout"}},
		{"tar that is not an image", []string{notImage}, []string{notImage, "not an image"}},
		{"empty file", []string{empty}, []string{empty, "not an image"}},
		{"text file", []string{text}, []string{text, "not an image"}},
		{"empty IMAGE", []string{""}, []string{"IMAGE is empty"}},
		{"unknown --platform value", []string{"--platform", "bogus", docker}, []string{`"bogus"`, "os/arch"}},
		{"--platform the OCI index lacks", []string{"--platform", "linux/s390x", ociArchive}, []string{ociArchive, "linux/s390x", "linux/arm64"}},
		{"--platform the docker image is not", []string{"inspect", "--platform", "linux/s390x", docker}, []string{docker, "linux/s390x", "linux/amd64"}},
		{"--source bogus", []string{"--source", "bogus", docker}, []string{`"bogus"`, "docker-archive"}},
		{"--source oci on a file", []string{"--source", "oci", docker}, []string{docker, "not an OCI layout"}},
		{"prefix against --source", []string{"--source", "oci-archive", "docker-archive://" + docker}, []string{docker, "docker-archive", "oci-archive"}},
		{"two IMAGE args", []string{docker, docker}, []string{"one IMAGE"}},
		{"two IMAGE args to inspect", []string{"inspect", docker, docker}, []string{"one IMAGE"}},
		{"inspect without IMAGE", []string{"inspect"}, []string{"one IMAGE"}},
		{"flags without IMAGE", []string{"--ci"}, []string{"one IMAGE"}},
		{"unknown flag", []string{"--nope", docker}, []string{"--nope"}},
		{"unknown flag to inspect", []string{"inspect", "--nope", docker}, []string{"--nope"}},
		{"unknown shorthand flag", []string{"-z", docker}, []string{"-z"}},
		{"flag without its value", []string{docker, "--platform"}, []string{"--platform"}},
		{"version with an argument", []string{"version", "extra"}, []string{"extra"}},
		{"missing --ci-config", []string{"--ci", "--ci-config", missingRules, docker}, []string{missingRules}},
		{"bad --ci-report", []string{"--ci", "--ci-report", "xml=out.xml", docker}, []string{"xml=out.xml", "junit=PATH"}},
		{"bad --lowest-efficiency", []string{"--ci", "--lowest-efficiency", "1.5", docker}, []string{"--lowest-efficiency", "1.5"}},
		{"bad --highest-wasted-bytes", []string{"--ci", "--highest-wasted-bytes", "lots", docker}, []string{"--highest-wasted-bytes", "lots"}},
		{"bad --ci value", []string{"--ci=maybe", docker}, []string{"maybe"}},
	}
	inEmptyDir(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOneError(t, strata(t, noEnv, tt.args...), tt.mentions...)
		})
	}

	t.Run("/dev/null", func(t *testing.T) {
		if _, err := os.Stat(os.DevNull); err != nil {
			t.Skip(err)
		}
		wantOneError(t, strata(t, noEnv, os.DevNull), os.DevNull)
	})

	// With CI on, bad input is still exit 2, never a rule failure.
	t.Run("missing file with CI=true", func(t *testing.T) {
		wantOneError(t, strata(t, map[string]string{"CI": "true"}, missing), missing)
	})
}
