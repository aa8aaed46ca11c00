package livetest

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"testing"
	"time"
)

// TestServicesAnswer checks that every component .ci/run starts answers and
// holds the fixture, so that a broken .ci/run shows up here, by name, rather
// than as odd failures in the tests that use the components. Each part skips
// when its variable is not set (and fails under CI).
func TestServicesAnswer(t *testing.T) {
	t.Run("docker", func(t *testing.T) {
		c := unixHTTP(t, DockerHost(t))
		wantPing(t, c)
		wantStatus(t, c, nil, "http://docker/images/"+FixtureImage(t)+"/json", http.StatusOK)
	})
	t.Run("podman", func(t *testing.T) {
		c := unixHTTP(t, PodmanHost(t))
		wantPing(t, c)
		wantStatus(t, c, nil, "http://podman/images/localhost/"+FixtureImage(t)+"/json", http.StatusOK)
	})
	t.Run("registry", func(t *testing.T) {
		reg := Registry(t)
		wantStatus(t, http.DefaultClient, nil, "http://"+reg+"/v2/", http.StatusOK)
		wantStatus(t, http.DefaultClient, nil, manifestURL(reg, FixtureImage(t)), http.StatusOK)
	})
	t.Run("registry-auth", func(t *testing.T) {
		reg, user, password := AuthRegistry(t)
		login := func(r *http.Request) { r.SetBasicAuth(user, password) }
		wrong := func(r *http.Request) { r.SetBasicAuth(user, password+"-wrong") }
		wantStatus(t, http.DefaultClient, nil, "http://"+reg+"/v2/", http.StatusUnauthorized)
		wantStatus(t, http.DefaultClient, wrong, "http://"+reg+"/v2/", http.StatusUnauthorized)
		wantStatus(t, http.DefaultClient, login, "http://"+reg+"/v2/", http.StatusOK)
		wantStatus(t, http.DefaultClient, nil, manifestURL(reg, FixtureImage(t)), http.StatusUnauthorized)
		wantStatus(t, http.DefaultClient, login, manifestURL(reg, FixtureImage(t)), http.StatusOK)
	})
	t.Run("containerd", func(t *testing.T) {
		// gRPC is beyond the standard library: the socket is there, and the
		// containerd tests (source/containerd_live_test.go) do the rest.
		addr := strings.TrimPrefix(ContainerdAddress(t), "unix://")
		if fi, err := os.Stat(addr); err != nil || fi.Mode()&os.ModeSocket == 0 {
			t.Errorf("%s=%s is not a socket (%v)", VarContainerdAddress, addr, err)
		}
		ContainerdOCIImage(t)
		ContainerdK8sImage(t)
	})
	t.Run("containers", func(t *testing.T) {
		c := unixHTTP(t, DockerHost(t))
		for name, running := range map[string]bool{RunningContainer(t): true, StoppedContainer(t): false} {
			wantContainer(t, c, name, running)
		}
	})
	t.Run("fixture-archive", func(t *testing.T) {
		checkFixtureArchive(t, FixtureArchive(t), FixtureImage(t))
	})
	t.Run("packages-image", func(t *testing.T) {
		c := unixHTTP(t, DockerHost(t))
		wantStatus(t, c, nil, "http://docker/images/"+PackagesImage(t)+"/json", http.StatusOK)
		names := map[string]bool{}
		eachEntry(t, PackagesArchive(t), func(h *tar.Header, _ io.Reader) { names[path.Clean(h.Name)] = true })
		if !names["manifest.json"] {
			t.Error("the packages archive has no manifest.json")
		}
	})
	t.Run("fixture-oci", func(t *testing.T) {
		names := map[string]bool{}
		eachEntry(t, FixtureOCI(t), func(h *tar.Header, _ io.Reader) { names[path.Clean(h.Name)] = true })
		for _, want := range []string{"oci-layout", "index.json"} {
			if !names[want] {
				t.Errorf("the oci-archive has no %s", want)
			}
		}
	})
}

// unixHTTP returns a client that sends every request to the unix socket of
// host, "unix:///path".
func unixHTTP(t *testing.T, host string) *http.Client {
	t.Helper()
	sock, ok := strings.CutPrefix(host, "unix://")
	if !ok {
		t.Fatalf("%q is not a unix:// address", host)
	}
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}
	return &http.Client{Transport: &http.Transport{DialContext: dial}, Timeout: 30 * time.Second}
}

func wantPing(t *testing.T, c *http.Client) {
	t.Helper()
	resp, err := c.Get("http://api/_ping")
	if err != nil {
		t.Fatalf("_ping: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "OK" {
		t.Fatalf("_ping: %s %q, want 200 \"OK\"", resp.Status, body)
	}
}

func manifestURL(registry, image string) string {
	repo, tag, _ := strings.Cut(image, ":")
	return "http://" + registry + "/v2/" + repo + "/manifests/" + tag
}

func wantStatus(t *testing.T, c *http.Client, modify func(*http.Request), url string, want int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", strings.Join([]string{
		"application/vnd.docker.distribution.manifest.v2+json",
		"application/vnd.docker.distribution.manifest.list.v2+json",
		"application/vnd.oci.image.manifest.v1+json",
		"application/vnd.oci.image.index.v1+json",
	}, ", "))
	if modify != nil {
		modify(req)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		t.Errorf("GET %s: %s, want %d; body: %s", url, resp.Status, want, body)
	}
}

// checkFixtureArchive checks that the `docker save` archive is the fixture of
// testdata/live/fixture.Dockerfile: tagged as image, with its whiteouts,
// its chmod-only layer and its 2000 small files (and, on overlay2, the opaque
// directory).
func checkFixtureArchive(t *testing.T, archive, image string) {
	t.Helper()
	var manifest []struct {
		RepoTags []string
		Layers   []string
	}
	layers := map[string][]*tar.Header{}
	eachEntry(t, archive, func(h *tar.Header, r io.Reader) {
		name := path.Clean(h.Name)
		switch {
		case name == "manifest.json":
			if err := json.NewDecoder(r).Decode(&manifest); err != nil {
				t.Fatalf("manifest.json: %v", err)
			}
		case h.Typeflag == tar.TypeReg && (strings.HasSuffix(name, ".tar") || strings.HasPrefix(name, "blobs/")):
			tr := tar.NewReader(r)
			var hs []*tar.Header
			for {
				lh, err := tr.Next()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						return // not a tar: a config blob
					}
					break
				}
				hs = append(hs, lh)
			}
			layers[name] = hs
		}
	})
	if len(manifest) != 1 {
		t.Fatalf("manifest.json has %d images, want 1", len(manifest))
	}
	m := manifest[0]
	if len(m.RepoTags) != 1 || m.RepoTags[0] != image {
		t.Errorf("RepoTags = %q, want [%s]", m.RepoTags, image)
	}
	// The base and eight RUN layers; ENV and CMD add none.
	if len(m.Layers) != 9 {
		t.Errorf("%d layers, want 9: %q", len(m.Layers), m.Layers)
	}
	has := func(layer, name string) bool {
		for _, h := range layers[layer] {
			if path.Clean(strings.TrimPrefix(h.Name, "./")) == name {
				return true
			}
		}
		return false
	}
	count := func(layer, dir string) int {
		n := 0
		for _, h := range layers[layer] {
			if h.Typeflag == tar.TypeReg && path.Dir(path.Clean(h.Name)) == dir {
				n++
			}
		}
		return n
	}
	at := func(i int) string {
		if i >= len(m.Layers) {
			return ""
		}
		return path.Clean(m.Layers[i])
	}
	for _, c := range []struct {
		layer int
		name  string
		ok    bool
	}{
		{0, "bin/busybox", has(at(0), "bin/busybox")},
		{2, "data/.wh.remove-me.txt", has(at(2), "data/.wh.remove-me.txt")},
		{2, "data/cache/.wh.entry1", has(at(2), "data/cache/.wh.entry1")},
		{3, "data/cache/fresh.txt", has(at(3), "data/cache/fresh.txt")},
		{4, "data/keep/mode.txt (chmod only)", has(at(4), "data/keep/mode.txt")},
		{5, "data/keep/owned.txt (chown only)", has(at(5), "data/keep/owned.txt")},
		{6, "app/config.txt", has(at(6), "app/config.txt")},
		{7, "app/config.txt", has(at(7), "app/config.txt")},
		{8, "2000 files in many/", count(at(8), "many") == 2000},
	} {
		if !c.ok {
			t.Errorf("layer %d (%s) lacks %s", c.layer, at(c.layer), c.name)
		}
	}
	if os.Getenv(VarStorageDriver) == "overlay2" && !has(at(3), "data/cache/.wh..wh..opq") {
		t.Errorf("layer 3 has no opaque whiteout data/cache/.wh..wh..opq (storage driver overlay2)")
	}
}

// eachEntry calls fn for every entry of the tar file at p.
func eachEntry(t *testing.T, p string, fn func(*tar.Header, io.Reader)) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		fn(h, tr)
	}
}

// wantContainer checks that the daemon has the container, running or not.
func wantContainer(t *testing.T, c *http.Client, name string, running bool) {
	t.Helper()
	resp, err := c.Get("http://docker/containers/" + name + "/json")
	if err != nil {
		t.Fatalf("inspecting container %s: %v", name, err)
	}
	defer resp.Body.Close()
	var doc struct{ State struct{ Running bool } }
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("inspecting container %s: %s, %v", name, resp.Status, err)
	}
	if doc.State.Running != running {
		t.Errorf("container %s: running = %v, want %v", name, doc.State.Running, running)
	}
}
