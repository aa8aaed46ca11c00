package main

import (
	"fmt"
	"strings"

	"github.com/strata-dev/strata/internal/imagetest"
)

const (
	appUID = 1000
	appGID = 1000
)

// addUser is the layer of `groupadd app && useradd -m app`: it rewrites the
// account files of the base layer and creates the home directory.
func addUser() []imagetest.Entry {
	return []imagetest.Entry{
		imagetest.Dir("etc/"),
		imagetest.Reg("etc/group", groupBase+"app:x:1000:\n"),
		imagetest.Reg("etc/gshadow", gshadowBase+"app:!::\n").WithMode(0o640).WithOwner(0, 42),
		imagetest.Reg("etc/passwd", passwdBase+"app:x:1000:1000::/home/app:/bin/sh\n"),
		imagetest.Reg("etc/shadow", shadowBase+"app:!:19723:0:99999:7:::\n").WithMode(0o640).WithOwner(0, 42),
		imagetest.Reg("etc/subgid", "app:100000:65536\n"),
		imagetest.Reg("etc/subuid", "app:100000:65536\n"),
		imagetest.Dir("home/"),
		imagetest.Dir("home/app/").WithOwner(appUID, appGID),
		imagetest.Reg("home/app/.profile", profile).WithOwner(appUID, appGID),
	}
}

const readme = `# demo-server

A tiny HTTP service used to demonstrate strata, a container image layer
analyzer. It serves the files in ./static and reads its settings from
config.yaml.

## Running

    docker run -p 8080:8080 strata-demo:latest

## Configuration

| key         | default | meaning                     |
|-------------|---------|-----------------------------|
| port        | 8080    | port to listen on           |
| log.level   | info    | debug, info, warn or error  |
| static_dir  | static  | directory of assets to serve |
`

const runScript = `#!/bin/sh
set -eu
cd "${APP_HOME:-/app}"
exec ./bin/server --config config.yaml "$@"
`

// config returns config.yaml with the given log level.
func config(level string) string {
	return fmt.Sprintf("port: 8080\nstatic_dir: static\nlog:\n  level: %s\n  format: json\n"+
		"cache:\n  enabled: true\n  ttl: 5m\n", level)
}

// appFile is a file owned by the app user.
func appFile(p, content string) imagetest.Entry {
	return imagetest.Reg(p, content).WithOwner(appUID, appGID)
}

// copyApp is the layer of `COPY --chown=1000:1000 app/ /app/`. run.sh is
// copied without its executable bit; a later step fixes that.
func copyApp() []imagetest.Entry {
	own := func(e imagetest.Entry) imagetest.Entry { return e.WithOwner(appUID, appGID) }
	logo := imagetest.PseudoRandom("logo.png", 7_300)
	copy(logo, "\x89PNG\r\n\x1a\n")
	return []imagetest.Entry{
		own(imagetest.Dir("app/")),
		appFile("app/README.md", readme),
		appFile("app/VERSION", "1.4.2\n"),
		own(imagetest.Dir("app/bin/")),
		own(elf("app/bin/server", 96_000)),
		appFile("app/config.yaml", config("info")),
		appFile("app/run.sh", runScript),
		own(imagetest.Dir("app/static/")),
		appFile("app/static/app.js", js("app.js", 60)),
		appFile("app/static/index.html", html("app.js", "style.css")),
		own(imagetest.Entry{Path: "app/static/logo.png", Content: logo}),
		appFile("app/static/style.css", "body { font-family: sans-serif; margin: 2rem; }\nh1 { color: #335; }\n"),
	}
}

// chmodRun is the mode-only layer of `chmod +x /app/run.sh`.
func chmodRun() []imagetest.Entry {
	return []imagetest.Entry{
		imagetest.Dir("app/").WithOwner(appUID, appGID),
		appFile("app/run.sh", runScript).WithMode(0o755),
	}
}

// setLogLevel is the layer of a `sed -i` on config.yaml.
func setLogLevel(level string) []imagetest.Entry {
	return []imagetest.Entry{
		imagetest.Dir("app/").WithOwner(appUID, appGID),
		appFile("app/config.yaml", config(level)),
	}
}

// rebuildStatic is the layer of `rm -rf static && bin/server build-assets`:
// the directory is recreated, so it carries an opaque marker hiding every
// file COPY put there.
func rebuildStatic() []imagetest.Entry {
	return []imagetest.Entry{
		imagetest.Dir("app/").WithOwner(appUID, appGID),
		imagetest.Dir("app/static/"),
		imagetest.Opaque("app/static/"),
		imagetest.Dir("app/static/assets/"),
		imagetest.Reg("app/static/assets/app.4f9c2e1b.js", js("bundle", 220)),
		imagetest.Reg("app/static/assets/style.a81d3c07.css", "body{font-family:sans-serif;margin:2rem}h1{color:#335}\n"),
		imagetest.Reg("app/static/index.html", html("assets/app.4f9c2e1b.js", "assets/style.a81d3c07.css")),
	}
}

func html(script, style string) string {
	return fmt.Sprintf("<!doctype html>\n<html>\n<head>\n<title>demo-server</title>\n"+
		"<link rel=\"stylesheet\" href=\"%s\">\n</head>\n<body>\n<h1>demo-server</h1>\n"+
		"<div id=\"app\"></div>\n<script src=\"%s\"></script>\n</body>\n</html>\n", style, script)
}

// js returns n small generated functions.
func js(seed string, n int) string {
	r := rng(seed)
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "function f%d(a, b) {\n  return a * %d + b - %d;\n}\n", i, r.IntN(1000), r.IntN(1000))
	}
	return b.String()
}
