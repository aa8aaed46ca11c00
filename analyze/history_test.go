package analyze_test

import (
	"testing"

	"github.com/strata-dev/strata/analyze/tree"
)

func TestShortCommand(t *testing.T) {
	for in, want := range map[string]string{
		"/bin/sh -c #(nop) ADD file:abc in / ":                  "ADD file:abc in /",
		"#(nop) ADD file:abc in / ":                             "ADD file:abc in /",
		"/bin/sh -c #(nop)  CMD [\"sh\"]":                       `CMD ["sh"]`,
		"/bin/sh -c apt-get update":                             "RUN apt-get update",
		"RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit": "RUN rm -rf /var/lib/apt/lists/*",
		"|1 VERSION=2 /bin/sh -c make install":                  "RUN make install",
		"COPY README.md /README.md # buildkit":                  "COPY README.md /README.md",
		"ENV   A=1\n\tB=2":                                      "ENV A=1 B=2",
		"":                                                      "",
	} {
		if got := tree.ShortCommand(in); got != want {
			t.Errorf("ShortCommand(%q) = %q, want %q", in, got, want)
		}
	}
	if got := tree.Command("/bin/sh -c cp a b"); got != "cp a b" {
		t.Errorf("Command kept dive's prefix: %q", got)
	}
}
