package details

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/ui/common"
)

var (
	down = tea.KeyPressMsg{Code: tea.KeyDown}
	up   = tea.KeyPressMsg{Code: tea.KeyUp}
	j    = tea.KeyPressMsg{Code: 'j', Text: "j"}
	k    = tea.KeyPressMsg{Code: 'k', Text: "k"}
	pgDn = tea.KeyPressMsg{Code: tea.KeyPgDown}
	pgUp = tea.KeyPressMsg{Code: tea.KeyPgUp}
	home = tea.KeyPressMsg{Code: tea.KeyHome}
	end  = tea.KeyPressMsg{Code: tea.KeyEnd}
)

func noColor(t *testing.T) common.Styles {
	t.Helper()
	theme, err := common.LookupTheme("dark")
	if err != nil {
		t.Fatal(err)
	}
	return common.NewStyles(theme, false)
}

// screen is what the user reads: the view without colours, line by line.
func screen(v string) []string { return strings.Split(ansi.Strip(v), "\n") }

// inner is the screen without the border, each line right-trimmed.
func inner(v string) []string {
	lines := screen(v)
	var out []string
	for _, l := range lines[1 : len(lines)-1] {
		l = ansi.Cut(l, 1, ansi.StringWidth(l)-1)
		out = append(out, strings.TrimRight(l, " │┃"))
	}
	return out
}

func requireSize(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := screen(v)
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, ansi.Strip(v))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, lw, w, l)
		}
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

const longCommand = "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends build-essential curl ca-certificates git && rm -rf /var/lib/apt/lists/*"

func demoLayer() Layer {
	return Layer{
		Index:          2,
		Digest:         "sha256:" + strings.Repeat("ab", 32),
		DiffID:         "sha256:" + strings.Repeat("cd", 32),
		MediaType:      "application/vnd.oci.image.layer.v1.tar+gzip",
		CompressedSize: 1_234_567,
		Size:           3_456_789,
		Created:        time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC),
		CreatedBy:      longCommand,
		Files:          412,
		Counts:         [4]int{analyze.Unmodified: 100, analyze.Added: 300, analyze.Modified: 10, analyze.Removed: 2},
		Analyzed:       true,
	}
}

func demoImage() Image {
	return Image{
		Reference: "strata-demo:latest",
		Source:    "docker-archive",
		Platform:  "linux/amd64",
		Layers:    4,
		Analyzed:  4,
		Metrics: analyze.Metrics{
			SizeBytes:         80_000_000,
			UserSizeBytes:     72_000_000,
			WastedBytes:       6_000_000,
			UserWastedPercent: 6.0 / 72,
			Efficiency:        0.9345,
			ReclaimableBytes:  5_500_000,
			Inefficient: []analyze.Inefficiency{
				{Path: "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", Count: 2, SizeBytes: 4_000_000},
				{Path: "/usr/local/bin/app", Count: 3, SizeBytes: 1_500_000},
				{Path: "/etc/ssl/certs/ca-certificates.crt", Count: 2, SizeBytes: 400_000},
				{Path: "/etc/passwd", Count: 2, SizeBytes: 2_000},
				{Path: "/etc/group", Count: 2, SizeBytes: 1_000},
			},
		},
	}
}
