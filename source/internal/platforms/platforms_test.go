package platforms

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want v1.Platform
		err  bool
	}{
		{"", v1.Platform{}, false},
		{"linux/amd64", v1.Platform{OS: "linux", Architecture: "amd64"}, false},
		{"linux/arm64/v8", v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, false},
		{"linux", v1.Platform{}, true},
		{"linux/", v1.Platform{}, true},
		{"/amd64", v1.Platform{}, true},
		{"a/b/c/d", v1.Platform{}, true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("Parse(%q) error = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if !tc.err && got.String() != tc.want.String() {
			t.Errorf("Parse(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestPick(t *testing.T) {
	amd := Candidate{Platform: v1.Platform{OS: "linux", Architecture: "amd64"}, Index: 0}
	arm := Candidate{Platform: v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, Index: 1}
	got, err := Pick([]Candidate{amd, arm}, v1.Platform{OS: "linux", Architecture: "arm64"})
	if err != nil || got.Index != 1 {
		t.Fatalf("Pick arm64 = %v, %v; want index 1", got, err)
	}
	got, err = Pick([]Candidate{arm}, v1.Platform{})
	if err != nil || got.Index != 1 {
		t.Fatalf("Pick of a single image with no platform = %v, %v", got, err)
	}
	_, err = Pick([]Candidate{amd, arm}, v1.Platform{OS: "linux", Architecture: "s390x"})
	if err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64/v8") {
		t.Fatalf("Pick s390x error = %v, want the platforms listed", err)
	}
	if _, err := Pick(nil, v1.Platform{}); err == nil {
		t.Fatal("Pick of no images succeeded")
	}
}

func TestDescribe(t *testing.T) {
	for _, tt := range []struct {
		p    v1.Platform
		want string
	}{
		{v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, "linux/arm64/v8"},
		{v1.Platform{}, "no platform (its config names no os or architecture)"},
		{v1.Platform{Architecture: "amd64"}, "?/amd64"},
		{v1.Platform{OS: "linux", Architecture: "arm\x1b[8m"}, `linux/arm\x1b[8m`},
	} {
		if got := Describe(tt.p); got != tt.want {
			t.Errorf("Describe(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
