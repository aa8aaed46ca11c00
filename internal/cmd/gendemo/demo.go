package main

import (
	"crypto/sha256"
	"fmt"

	"github.com/google/go-containerregistry/pkg/compression"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-dev/strata/internal/imagetest"
)

// demoTag is the tag the demo archive carries.
const demoTag = "strata-demo:latest"

// buildkit is the suffix BuildKit appends to RUN and COPY history.
const buildkit = " # buildkit"

// steps returns the build steps of testdata/demo.Dockerfile, base image first.
func steps() ([]imagetest.Step, error) {
	base := rootfs()
	tb, err := imagetest.LayerTar(base...)
	if err != nil {
		return nil, fmt.Errorf("rendering base layer: %w", err)
	}
	return []imagetest.Step{
		{CreatedBy: fmt.Sprintf("/bin/sh -c #(nop) ADD file:%x in / ", sha256.Sum256(tb)), Entries: base},
		{CreatedBy: `/bin/sh -c #(nop)  CMD ["/bin/sh"]`, Empty: true},
		{CreatedBy: "ENV APP_HOME=/app LANG=C.UTF-8", Empty: true},
		{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y curl" + buildkit, Entries: aptInstall()},
		{CreatedBy: "RUN /bin/sh -c rm -rf /var/lib/apt/lists/*" + buildkit, Entries: aptCleanup()},
		{CreatedBy: "RUN /bin/sh -c groupadd -g 1000 app && useradd -u 1000 -g app -m app" + buildkit, Entries: addUser()},
		{CreatedBy: "WORKDIR /app", Empty: true},
		{CreatedBy: "COPY --chown=1000:1000 app/ /app/" + buildkit, Entries: copyApp()},
		{CreatedBy: "RUN /bin/sh -c chmod +x /app/run.sh" + buildkit, Entries: chmodRun()},
		{CreatedBy: "RUN /bin/sh -c sed -i 's/level: info/level: debug/' config.yaml" + buildkit, Entries: setLogLevel("debug")},
		{CreatedBy: "RUN /bin/sh -c rm -rf static && bin/server build-assets --out static" + buildkit, Entries: rebuildStatic()},
		{CreatedBy: "RUN /bin/sh -c sed -i 's/level: debug/level: warn/' config.yaml" + buildkit, Entries: setLogLevel("warn")},
		{CreatedBy: "USER app", Empty: true},
		{CreatedBy: "EXPOSE map[8080/tcp:{}]", Empty: true},
		{CreatedBy: `CMD ["/app/run.sh"]`, Empty: true},
	}, nil
}

// runtimeConfig is the config the Dockerfile's ENV/WORKDIR/USER/EXPOSE/CMD set.
func runtimeConfig() v1.Config {
	return v1.Config{
		Env: []string{
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"APP_HOME=/app",
			"LANG=C.UTF-8",
		},
		WorkingDir:   "/app",
		User:         "app",
		ExposedPorts: map[string]struct{}{"8080/tcp": {}},
		Cmd:          []string{"/app/run.sh"},
	}
}

// demoImage builds the demo image with uncompressed layers, as `docker save`
// stores them; that also keeps the bytes independent of any compressor.
func demoImage() (v1.Image, error) {
	s, err := steps()
	if err != nil {
		return nil, err
	}
	return imagetest.Image(s,
		imagetest.WithCompression(compression.None),
		imagetest.WithConfig(runtimeConfig()))
}

// writeDemo writes the demo image to path as a docker archive.
func writeDemo(path string) error {
	img, err := demoImage()
	if err != nil {
		return fmt.Errorf("building demo image: %w", err)
	}
	return imagetest.WriteDockerArchive(path, img, demoTag)
}
