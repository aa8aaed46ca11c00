package viewer

import (
	"context"
	"path"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze/layerfile"
	"github.com/strata-dev/strata/image"
)

// FileContentMsg is a file read for the viewer, or the error reading it.
// Content.Path is set even when Err is.
type FileContentMsg struct {
	Content layerfile.Content
	Layer   int
	Err     error
}

// Load reads at most limit bytes of path from l, the layer numbered layer,
// in the background, and answers with a FileContentMsg.
func Load(ctx context.Context, l image.Layer, layer int, p string, limit int64) tea.Cmd {
	return func() tea.Msg {
		c, err := layerfile.Read(ctx, l, p, limit)
		if err != nil {
			c = layerfile.Content{Path: path.Clean("/" + p)}
		}
		return FileContentMsg{Content: c, Layer: layer, Err: err}
	}
}
