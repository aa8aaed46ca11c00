package source_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/images"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/strata-dev/strata/internal/imagetest"
	"github.com/strata-dev/strata/internal/livetest"
	"github.com/strata-dev/strata/source"
	"github.com/strata-dev/strata/source/containerd"
)

// containerdEnv is liveEnv with CONTAINERD_ADDRESS at .ci/run's containerd.
func containerdEnv(t *testing.T, extra map[string]string) func(string) string {
	env := map[string]string{"CONTAINERD_ADDRESS": livetest.ContainerdAddress(t)}
	for k, v := range extra {
		env[k] = v
	}
	return liveEnv(t, env)
}

// containerd's copy of the fixture, imported from the docker save archive
// and from the oci-archive, gives the analysis the daemon and the registry
// give, entry by entry.
func TestLiveContainerdMatchesDaemonAndRegistry(t *testing.T) {
	ref := livetest.FixtureImage(t)
	getenv := containerdEnv(t, nil)
	img, fromContainerd := openAnalyze(t, "containerd://"+ref, source.WithGetenv(getenv))
	if img.Kind != source.Containerd {
		t.Errorf("containerd:// opened as %s", img.Kind)
	}
	if c, ok := img.Image.(*containerd.Image); !ok || c.Name() != "docker.io/"+ref || c.Endpoint().Namespace != "default" {
		t.Errorf("containerd:// read %T %+v", img.Image, img.Image)
	}
	checkFixture(t, fromContainerd)
	got := summarize(fromContainerd)
	_, fromDaemon := openAnalyze(t, "docker://"+ref, source.WithGetenv(getenv))
	compareSummaries(t, "containerd vs the daemon", got, summarize(fromDaemon))
	_, fromRegistry := openAnalyze(t, "registry://"+livetest.Registry(t)+"/"+ref)
	compareSummaries(t, "containerd vs the registry", got, summarize(fromRegistry))

	// --source containerd and the image imported from the oci-archive.
	img, fromOCI := openAnalyze(t, livetest.ContainerdOCIImage(t), source.WithGetenv(getenv), source.WithKind(source.Containerd))
	if img.Kind != source.Containerd {
		t.Errorf("--source containerd opened as %s", img.Kind)
	}
	compareSummaries(t, "containerd's oci-archive import", summarize(fromOCI), got)
}

// A bare reference: the Docker daemon first, then containerd when the
// daemon does not answer or lacks the image, then the registry; the log
// line says which and why.
func TestLiveContainerdBareReference(t *testing.T) {
	ref := livetest.FixtureImage(t)
	var logged []string
	logf := func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }
	noDaemon := containerdEnv(t, map[string]string{"DOCKER_HOST": "unix://" + filepath.Join(t.TempDir(), "none.sock")})
	img, _ := openAnalyze(t, ref, source.WithGetenv(noDaemon), source.WithLogf(logf))
	if img.Kind != source.Containerd || len(logged) != 1 ||
		!strings.Contains(logged[0], "from containerd at "+livetest.ContainerdAddress(t)+" ($CONTAINERD_ADDRESS), namespace default (no Docker daemon answered)") {
		t.Errorf("bare %s with no daemon read from %s, log %q", ref, img.Kind, logged)
	}

	// In the registry only: the daemon and containerd are asked, and the
	// line says what each said.
	logged = nil
	regRef := livetest.Registry(t) + "/strata-test/fixture-oci:latest"
	img, _ = openAnalyze(t, regRef, source.WithGetenv(containerdEnv(t, nil)), source.WithLogf(logf))
	if img.Kind != source.Registry || len(logged) != 1 ||
		!strings.Contains(logged[0], "from its registry (the Docker daemon does not have it; it is not in containerd's namespace default") {
		t.Errorf("bare %s read from %s, log %q", regRef, img.Kind, logged)
	}
}

// An image only in namespace k8s.io: the error names it; --namespace and
// $CONTAINERD_NAMESPACE read it there. A missing image lists the
// namespaces that have images.
func TestLiveContainerdNamespaces(t *testing.T) {
	k8s := livetest.ContainerdK8sImage(t)
	getenv := containerdEnv(t, nil)
	_, err := source.Open("containerd://"+k8s, source.WithGetenv(getenv))
	if !errors.Is(err, containerd.ErrNotFound) || !strings.Contains(err.Error(), "is not in containerd's namespace default") ||
		!strings.Contains(err.Error(), "it is in namespace k8s.io (use --namespace k8s.io)") || strings.Contains(err.Error(), "\n") {
		t.Errorf("an image only in k8s.io: %v", err)
	}
	img, res := openAnalyze(t, "containerd://"+k8s, source.WithGetenv(getenv), source.WithNamespace("k8s.io"))
	if c := img.Image.(*containerd.Image); c.Endpoint().Namespace != "k8s.io" || len(res.Layers) != 1 {
		t.Errorf("--namespace k8s.io: namespace %s, %d layers", c.Endpoint().Namespace, len(res.Layers))
	}
	// The address may also be written as a unix:// URL.
	img, _ = openAnalyze(t, "containerd://"+k8s, source.WithGetenv(containerdEnv(t, map[string]string{
		"CONTAINERD_NAMESPACE": "k8s.io", "CONTAINERD_ADDRESS": "unix://" + livetest.ContainerdAddress(t)})))
	if c := img.Image.(*containerd.Image); c.Endpoint().Namespace != "k8s.io" {
		t.Errorf("$CONTAINERD_NAMESPACE=k8s.io read namespace %s", c.Endpoint().Namespace)
	}

	_, err = source.Open("containerd://strata-test/no-such-image:latest", source.WithGetenv(getenv))
	if !errors.Is(err, containerd.ErrNotFound) || !strings.Contains(err.Error(), "the namespaces with images are ") ||
		!strings.Contains(err.Error(), "default (") || !strings.Contains(err.Error(), "k8s.io (") || strings.Contains(err.Error(), "\n") {
		t.Errorf("a missing image: %v", err)
	}

	sock := filepath.Join(t.TempDir(), "none.sock")
	_, err = source.Open("containerd://"+k8s, source.WithGetenv(containerdEnv(t, map[string]string{"CONTAINERD_ADDRESS": sock})))
	if !errors.Is(err, containerd.ErrUnreachable) || !strings.Contains(err.Error(), sock) || !strings.Contains(err.Error(), "$CONTAINERD_ADDRESS") {
		t.Errorf("no containerd: %v", err)
	}
}

// A two-platform index written into containerd's content store through its
// client: --platform picks; an index whose other platform's content
// containerd does not hold reads the platform it has, and asking for the
// other says so.
func TestLiveContainerdPlatforms(t *testing.T) {
	addr := livetest.ContainerdAddress(t)
	const ns = "strata-test-platforms"
	c, err := client.New(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// A lease keeps the blobs from containerd's garbage collector: nothing
	// but the image record refers to them.
	ctx, done, err := c.WithLease(namespaces.WithNamespace(context.Background(), ns))
	if err != nil {
		t.Fatal(err)
	}
	defer done(context.WithoutCancel(ctx))
	var imgs []v1.Image
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := imagetest.Image([]imagetest.Step{{CreatedBy: "ADD " + arch, Entries: []imagetest.Entry{imagetest.Reg("/arch", arch)}}},
			imagetest.WithPlatform("linux", arch, ""))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	idx, err := imagetest.Index(imgs...)
	if err != nil {
		t.Fatal(err)
	}
	// "both" holds every blob; "amd64-only", in a namespace of its own
	// (containerd keeps a content store per namespace), the index and
	// amd64's blobs.
	const partial = ns + "-partial"
	pctx, pdone, err := c.WithLease(namespaces.WithNamespace(context.Background(), partial))
	if err != nil {
		t.Fatal(err)
	}
	defer pdone(context.WithoutCancel(pctx))
	writeImage(t, ctx, c, "strata-test/both:latest", idx, imgs)
	writeImage(t, pctx, c, "strata-test/amd64-only:latest", idx, imgs[:1])
	defer func() {
		c.ImageService().Delete(ctx, "docker.io/strata-test/both:latest")
		c.ImageService().Delete(pctx, "docker.io/strata-test/amd64-only:latest")
	}()

	getenv := containerdEnv(t, nil)
	for _, arch := range []string{"amd64", "arm64"} {
		img, res := openAnalyze(t, "containerd://strata-test/both:latest", source.WithGetenv(getenv), source.WithNamespace(ns),
			source.WithPlatform(v1.Platform{OS: "linux", Architecture: arch}))
		if img.Platform.Architecture != arch || !strings.Contains(res.Layers[0].CreatedBy, arch) {
			t.Errorf("--platform linux/%s gave %s (%s)", arch, source.FormatPlatform(img.Platform), res.Layers[0].CreatedBy)
		}
	}
	_, err = source.Open("containerd://strata-test/both:latest", source.WithGetenv(getenv), source.WithNamespace(ns),
		source.WithPlatform(v1.Platform{OS: "linux", Architecture: "s390x"}))
	if err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64") {
		t.Errorf("an unknown platform gave %v", err)
	}

	img, res := openAnalyze(t, "containerd://strata-test/amd64-only:latest", source.WithGetenv(getenv), source.WithNamespace(partial))
	if img.Platform.Architecture != "amd64" || !strings.Contains(res.Layers[0].CreatedBy, "amd64") {
		t.Errorf("the platform containerd holds: %s", source.FormatPlatform(img.Platform))
	}
	_, err = source.Open("containerd://strata-test/amd64-only:latest", source.WithGetenv(getenv), source.WithNamespace(partial),
		source.WithPlatform(v1.Platform{OS: "linux", Architecture: "arm64"}))
	if err == nil || !strings.Contains(err.Error(), "the index lists linux/arm64 but containerd holds only linux/amd64") {
		t.Errorf("a platform containerd does not hold: %v", err)
	}
}

// writeImage writes the index, the manifests, configs and layers of imgs
// into containerd's content store and names the index name.
func writeImage(t *testing.T, ctx context.Context, c *client.Client, name string, idx v1.ImageIndex, imgs []v1.Image) {
	t.Helper()
	put := func(mediaType string, b []byte) ocispec.Descriptor {
		t.Helper()
		d := ocispec.Descriptor{MediaType: mediaType, Digest: digest.FromBytes(b), Size: int64(len(b))}
		if err := content.WriteBlob(ctx, c.ContentStore(), d.Digest.String(), bytes.NewReader(b), d); err != nil {
			t.Fatalf("writing blob %s: %v", d.Digest, err)
		}
		return d
	}
	for _, img := range imgs {
		layers, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range layers {
			rc, err := l.Compressed()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			_, err = b.ReadFrom(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			mt, _ := l.MediaType()
			put(string(mt), b.Bytes())
		}
		cfg, err := img.RawConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		mf, err := img.RawManifest()
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Config struct{ MediaType string } }
		if err := json.Unmarshal(mf, &m); err != nil {
			t.Fatal(err)
		}
		put(m.Config.MediaType, cfg)
		mt, _ := img.MediaType()
		put(string(mt), mf)
	}
	raw, err := idx.RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	mt, _ := idx.MediaType()
	target := put(string(mt), raw)
	full := "docker.io/" + name
	c.ImageService().Delete(ctx, full)
	if _, err := c.ImageService().Create(ctx, images.Image{Name: full, Target: target}); err != nil {
		t.Fatalf("creating image %s: %v", full, err)
	}
}
