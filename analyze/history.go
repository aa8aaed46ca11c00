package analyze

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
