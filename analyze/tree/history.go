package tree

import (
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// HistoryEntry is one step of the image's build history, empty layers
// (ENV, CMD, LABEL…) included.
type HistoryEntry struct {
	Created    time.Time `json:"created,omitzero"`
	CreatedBy  string    `json:"createdBy"`
	Comment    string    `json:"comment,omitempty"`
	Author     string    `json:"author,omitempty"`
	EmptyLayer bool      `json:"emptyLayer"`
	// Layer is the layer this step made or, for an empty-layer step, the
	// layer below it (-1 before the first layer).
	Layer int `json:"layer"`
}

// mapHistory pairs the config's history with the layers: every step that
// is not an empty layer made the next layer. It returns the history and,
// for each layer, the index of its step (-1 when the history is short).
func mapHistory(cfg *v1.ConfigFile, layers int) ([]HistoryEntry, []int) {
	steps := make([]int, layers)
	for i := range steps {
		steps[i] = -1
	}
	if cfg == nil {
		return nil, steps
	}
	hist := make([]HistoryEntry, 0, len(cfg.History))
	layer := -1
	for i, h := range cfg.History {
		if !h.EmptyLayer && layer+1 < layers {
			layer++
			steps[layer] = i
		}
		hist = append(hist, HistoryEntry{
			Created:    h.Created.Time,
			CreatedBy:  h.CreatedBy,
			Comment:    h.Comment,
			Author:     h.Author,
			EmptyLayer: h.EmptyLayer,
			Layer:      layer,
		})
	}
	return hist, steps
}

// Command shortens a history step the way dive does: without the
// "/bin/sh -c " that Docker puts before RUN commands.
func Command(createdBy string) string {
	return strings.TrimPrefix(createdBy, "/bin/sh -c ")
}

// ShortCommand turns a history step into the Dockerfile-like line a person
// reads: "#(nop)" and "/bin/sh -c" noise trimmed, RUN put back in front of
// shell commands, buildkit's trailing comment dropped, white space folded.
func ShortCommand(createdBy string) string {
	s := strings.Join(strings.Fields(createdBy), " ")
	s = strings.TrimSuffix(s, " # buildkit")
	// buildkit writes RUN steps with build arguments as "|2 A=1 B=2 /bin/sh -c …".
	if strings.HasPrefix(s, "|") {
		if i := strings.Index(s, " /bin/sh -c "); i >= 0 {
			s = s[i+1:]
		}
	}
	switch {
	case strings.HasPrefix(s, "/bin/sh -c #(nop) "):
		s = strings.TrimPrefix(s, "/bin/sh -c #(nop) ")
	case strings.HasPrefix(s, "#(nop) "):
		s = strings.TrimPrefix(s, "#(nop) ")
	case strings.HasPrefix(s, "/bin/sh -c "):
		s = "RUN " + strings.TrimPrefix(s, "/bin/sh -c ")
	case strings.HasPrefix(s, "RUN /bin/sh -c "):
		s = "RUN " + strings.TrimPrefix(s, "RUN /bin/sh -c ")
	}
	return strings.TrimSpace(s)
}
