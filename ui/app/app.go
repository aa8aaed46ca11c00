package app

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/details"
	"github.com/strata-dev/strata/ui/filetree"
	"github.com/strata-dev/strata/ui/history"
	"github.com/strata-dev/strata/ui/layers"
	"github.com/strata-dev/strata/ui/viewer"
)

// pane names a pane that can have the focus.
type pane int

const (
	paneLayers pane = iota
	paneHistory
	paneLayerDetails
	paneImage
	paneFiles
	paneCount
)

// Options say what to show and how.
type Options struct {
	Reference, Source, Platform string
	Config                      *v1.ConfigFile
	Layers                      []image.Layer
	Styles                      common.Styles
	Keys                        Keys
	Compare                     analyze.CompareMode
	Hidden                      [4]bool // change types hidden in the file tree at start
	HideAttributes              bool
	IgnoreErrors                bool
	// NoVerify skips the sha256 checks of the layers' digests and diffIDs.
	NoVerify bool
	// Parallelism is how many layers are read at once (default GOMAXPROCS).
	Parallelism int
	// ExtractDir is where ctrl+e writes (default ".").
	ExtractDir string
	// FileLimit caps how much of a file the viewer reads (default 1 MiB).
	FileLimit int64
	// Extract writes a file or directory of the analysis to a directory; the
	// caller provides it so that the UI writes nothing itself.
	Extract func(ctx context.Context, res *analyze.Result, layers []image.Layer, layer int, path, dir string) (string, error)
}

// Keys gathers every pane's keys, so that a config file can rebind them
// and the help can show them.
type Keys struct {
	Global  KeyMap
	Layers  layers.KeyMap
	History history.KeyMap
	Details details.KeyMap
	Files   filetree.KeyMap
	Viewer  viewer.KeyMap
}

// DefaultKeys returns dive's keys for every pane.
func DefaultKeys() Keys {
	return Keys{
		Global:  DefaultKeyMap(),
		Layers:  layers.DefaultKeyMap(),
		History: history.DefaultKeyMap(),
		Details: details.DefaultKeyMap(),
		Files:   filetree.DefaultKeyMap(),
		Viewer:  viewer.DefaultKeyMap(),
	}
}

// layerParsedMsg is a layer read by a worker, ready to be stacked.
type layerParsedMsg struct {
	index int
	p     *analyze.ParsedLayer
	err   error
}

// tickMsg redraws the progress bar while layers load.
type tickMsg struct{}

// extractDoneMsg reports an extraction.
type extractDoneMsg struct {
	summary string
	err     error
}

type viewKey struct {
	layer int
	mode  analyze.CompareMode
}

// Model is the root model.
type Model struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	keys   Keys
	st     common.Styles
	help   help.Model

	width, height int
	focus         pane
	showHelp      bool
	viewerOpen    bool

	layersPane   layers.Model
	historyPane  history.Model
	layerDetails details.LayerModel
	imageDetails details.ImageModel
	files        filetree.Model
	viewer       viewer.Model

	builder    *analyze.Builder
	pending    map[int]*analyze.ParsedLayer
	dispatched int
	done       bool
	loadErr    error
	views      map[viewKey]*analyze.View
	compare    analyze.CompareMode
	selected   int
	metrics    analyze.Metrics
	read       *atomic.Int64
	total      int64
	status     string
	fatal      error
}

// New makes the root model. ctx bounds the background work.
func New(ctx context.Context, o Options) Model {
	if o.Parallelism <= 0 {
		o.Parallelism = runtime.GOMAXPROCS(0)
	}
	if o.ExtractDir == "" {
		o.ExtractDir = "."
	}
	if o.FileLimit <= 0 {
		o.FileLimit = 1 << 20
	}
	ctx, cancel := context.WithCancel(ctx)
	m := Model{
		opts: o, ctx: ctx, cancel: cancel, keys: o.Keys, st: o.Styles, help: help.New(),
		layersPane:   layers.New(o.Styles),
		historyPane:  history.New(o.Styles),
		layerDetails: details.NewLayer(o.Styles),
		imageDetails: details.NewImage(o.Styles),
		files:        filetree.New(o.Styles),
		viewer:       viewer.New(o.Styles),
		builder:      analyze.NewBuilder(o.Config, len(o.Layers)),
		pending:      map[int]*analyze.ParsedLayer{},
		views:        map[viewKey]*analyze.View{},
		compare:      o.Compare,
		read:         new(atomic.Int64),
	}
	m.applyKeys()
	m.files.HideChanges(o.Hidden)
	m.files.ShowAttributes(!o.HideAttributes)
	for _, l := range o.Layers {
		if l.Size > 0 {
			m.total += l.Size
		}
	}
	m.help.Styles.ShortKey = o.Styles.Key
	m.help.Styles.ShortDesc = o.Styles.Desc
	m.help.Styles.FullKey = o.Styles.Key
	m.help.Styles.FullDesc = o.Styles.Desc
	m.historyPane.SetHistory(m.builder.History())
	m.layersPane.SetCompareMode(m.compare)
	m.refreshLayers()
	m.selectLayer(0)
	m.setFocus(paneLayers)
	if len(o.Layers) == 0 {
		m.done = true
	}
	return m
}

func (m *Model) applyKeys() {
	m.layersPane.SetKeyMap(m.keys.Layers)
	m.historyPane.SetKeyMap(m.keys.History)
	m.layerDetails.SetKeyMap(m.keys.Details)
	m.imageDetails.SetKeyMap(m.keys.Details)
	m.files.SetKeyMap(m.keys.Files)
	m.viewer.SetKeyMap(m.keys.Viewer)
}

// Init starts reading layers.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick()}
	for m.dispatched < len(m.opts.Layers) && m.dispatched < m.opts.Parallelism {
		cmds = append(cmds, m.parse(m.dispatched))
		m.dispatched++
	}
	return tea.Batch(cmds...)
}

// Err is what ended the program, if something did.
func (m Model) Err() error { return m.fatal }

// Result is the analysis so far.
func (m Model) Result() *analyze.Result { return m.builder.Result() }

func tick() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

// parse reads one layer in the background.
func (m Model) parse(i int) tea.Cmd {
	ctx, l, read, ignore, verify := m.ctx, m.opts.Layers[i], m.read, m.opts.IgnoreErrors, !m.opts.NoVerify
	return safe(func() tea.Msg {
		p, err := analyze.ParseLayer(ctx, i, l, analyze.IgnoreDigestErrors(ignore), analyze.VerifyDigests(verify),
			analyze.OnRead(func(n int64) { read.Add(n) }))
		return layerParsedMsg{index: i, p: p, err: err}
	})
}

// panicMsg carries a panic out of a background command.
type panicMsg struct{ err error }

// safe turns a panic in a command into a message, so that the terminal
// is restored and the user sees one line instead of a stack trace.
func safe(cmd func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{fmt.Errorf("internal error: %v", r)}
			}
		}()
		return cmd()
	}
}

// Update handles a message.
func (m Model) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.fatal = fmt.Errorf("internal error: %v", r)
			m.cancel()
			model, cmd = m, tea.Quit
		}
	}()
	return m.update(msg)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case panicMsg:
		m.fatal = msg.err
		m.cancel()
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case layerParsedMsg:
		return m.layerParsed(msg)
	case tickMsg:
		if m.done {
			return m, nil
		}
		return m, tick()
	case extractDoneMsg:
		if msg.err != nil {
			m.status = "extract: " + msg.err.Error()
		} else {
			m.status = msg.summary
		}
		return m, nil
	case filetree.OpenFileMsg:
		// The contents are in the layer that wrote the version shown,
		// which may be below the selected one.
		from := msg.Layer
		if v := m.files.VM().View(); v != nil {
			if e, ok := v.Entry(msg.Node); ok {
				from = int(e.Layer)
			}
		}
		if from < 0 || from >= len(m.opts.Layers) {
			return m, nil
		}
		m.viewerOpen = true
		m.viewer.SetLoading(msg.Path)
		m.setFocus(paneFiles)
		return m, viewer.Load(m.ctx, m.opts.Layers[from], from, msg.Path, m.opts.FileLimit)
	case viewer.FileContentMsg, viewer.CloseMsg:
		if _, ok := msg.(viewer.CloseMsg); ok {
			m.viewerOpen = false
			m.setFocus(paneFiles)
			return m, nil
		}
		var cmd tea.Cmd
		m.viewer, cmd = m.viewer.Update(msg)
		return m, cmd
	case filetree.ExtractMsg:
		return m.extract(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.mouse(msg.(tea.MouseMsg))
	}
	return m, nil
}

// layerParsed stacks every layer that can be stacked in order now.
func (m Model) layerParsed(msg layerParsedMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		if m.loadErr == nil && m.ctx.Err() == nil {
			m.loadErr = msg.err
			m.status = "error: " + msg.err.Error()
		}
		m.done = true
		return m, nil
	}
	m.pending[msg.index] = msg.p
	var cmds []tea.Cmd
	if m.dispatched < len(m.opts.Layers) && m.loadErr == nil {
		cmds = append(cmds, m.parse(m.dispatched))
		m.dispatched++
	}
	stacked := false
	for {
		k := m.builder.Stacked()
		p, ok := m.pending[k]
		if !ok {
			break
		}
		delete(m.pending, k)
		if err := m.builder.Stack(p); err != nil {
			m.loadErr = err
			m.status = "error: " + err.Error()
			m.done = true
			return m, nil
		}
		for _, w := range p.Warnings {
			m.status = "warning: " + w.Error()
		}
		stacked = true
	}
	if stacked {
		m.metrics = m.builder.Result().Metrics
		if m.builder.Stacked() == len(m.opts.Layers) {
			m.done = true
		}
		m.refreshLayers()
		m.files.Refresh()
		m.selectLayer(m.selected)
	}
	return m, tea.Batch(cmds...)
}

// refreshLayers updates the panes that show every layer.
func (m *Model) refreshLayers() {
	stacked := m.builder.Layers()
	rows := make([]layers.Row, len(m.opts.Layers))
	for i := range rows {
		rows[i] = layers.Row{Index: i}
		if h, ok := m.builder.Step(i); ok {
			rows[i].CreatedBy = h.CreatedBy
		}
		if i < len(stacked) {
			rows[i].Size = stacked[i].Size
			rows[i].Analyzed = true
		}
	}
	m.layersPane.SetLayers(rows)
	m.imageDetails.SetImage(details.Image{
		Reference: m.opts.Reference, Source: m.opts.Source, Platform: m.opts.Platform,
		Metrics: m.metrics, Layers: len(m.opts.Layers), Analyzed: len(stacked),
	})
}

// view returns the (cached) view of a stacked layer.
func (m *Model) view(k int, mode analyze.CompareMode) *analyze.View {
	key := viewKey{k, mode}
	if v, ok := m.views[key]; ok {
		return v
	}
	v := analyze.NewView(m.builder.Tree(), m.builder.Layers(), k, mode)
	m.views[key] = v
	return v
}

// selectLayer shows layer k in the details, history and file tree.
func (m *Model) selectLayer(k int) {
	if k < 0 || k >= len(m.opts.Layers) {
		return
	}
	m.selected = k
	l := m.opts.Layers[k]
	d := details.Layer{Index: k, Digest: l.Digest.String(), DiffID: l.DiffID.String(), MediaType: string(l.MediaType), CompressedSize: l.Size}
	if l.Digest.Hex == "" {
		d.Digest = ""
	}
	if h, ok := m.builder.Step(k); ok {
		d.CreatedBy, d.Created = h.CreatedBy, h.Created
	}
	stacked := m.builder.Layers()
	if k < len(stacked) {
		info := stacked[k]
		v := m.view(k, analyze.CompareLayer)
		d = details.Layer{Index: k, Digest: info.Digest.String(), DiffID: info.DiffID.String(),
			MediaType: string(info.MediaType), CompressedSize: info.CompressedSize, Size: info.Size,
			Created: info.Created, CreatedBy: info.CreatedBy, Files: info.Files, Counts: v.Counts, Analyzed: true}
		if cur := m.files.VM().View(); cur == nil || cur.Layer != k || cur.Mode != m.compare || cur.Tree != m.builder.Tree() {
			m.files.SetView(m.view(k, m.compare))
		}
	}
	m.layerDetails.SetLayer(d)
	m.historyPane.SetSelectedLayer(k)
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	m.layersPane.Blur()
	m.historyPane.Blur()
	m.layerDetails.Blur()
	m.imageDetails.Blur()
	m.files.Blur()
	switch p {
	case paneLayers:
		m.layersPane.Focus()
	case paneHistory:
		m.historyPane.Focus()
	case paneLayerDetails:
		m.layerDetails.Focus()
	case paneImage:
		m.imageDetails.Focus()
	case paneFiles:
		m.files.Focus()
	}
}

// key handles a key press: global keys first, then the focused pane's.
func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	g := m.keys.Global
	// The filter line takes every key; the viewer takes its own (q closes
	// it) before the global ones.
	typing := m.focus == paneFiles && !m.viewerOpen && m.files.Filtering() ||
		m.viewerOpen && viewerHandles(m.keys.Viewer, msg)
	if m.showHelp {
		if key.Matches(msg, g.Help, g.Quit) || msg.String() == "esc" {
			m.showHelp = false
		}
		return m, nil
	}
	if !typing {
		switch {
		case key.Matches(msg, g.Quit):
			m.cancel()
			return m, tea.Quit
		case key.Matches(msg, g.Suspend):
			return m, tea.Suspend
		case key.Matches(msg, g.Help):
			m.showHelp = true
			return m, nil
		case key.Matches(msg, g.NextPane) && !m.viewerOpen:
			m.setFocus((m.focus + 1) % paneCount)
			return m, nil
		case key.Matches(msg, g.PrevPane) && !m.viewerOpen:
			m.setFocus((m.focus + paneCount - 1) % paneCount)
			return m, nil
		}
	} else if msg.String() == "ctrl+c" {
		m.cancel()
		return m, tea.Quit
	}
	var cmd tea.Cmd
	switch {
	case m.viewerOpen:
		m.viewer, cmd = m.viewer.Update(msg)
	case m.focus == paneLayers:
		lk := m.keys.Layers
		switch {
		case key.Matches(msg, lk.CompareLayer):
			m.setCompare(analyze.CompareLayer)
		case key.Matches(msg, lk.CompareAggregated):
			m.setCompare(analyze.CompareAggregated)
		case msg.String() == "right" || msg.String() == "l":
			m.setFocus(paneFiles)
		default:
			before := m.layersPane.Selected()
			m.layersPane, cmd = m.layersPane.Update(msg)
			if after := m.layersPane.Selected(); after != before {
				m.selectLayer(after)
			}
		}
	case m.focus != paneFiles && (msg.String() == "right" || msg.String() == "l"):
		m.setFocus(paneFiles)
	case m.focus == paneHistory:
		m.historyPane, cmd = m.historyPane.Update(msg)
	case m.focus == paneLayerDetails:
		m.layerDetails, cmd = m.layerDetails.Update(msg)
	case m.focus == paneImage:
		m.imageDetails, cmd = m.imageDetails.Update(msg)
	case m.focus == paneFiles && key.Matches(msg, m.keys.Files.Collapse) && m.files.AtLeftEdge() && !m.files.Filtering():
		m.setFocus(paneLayers)
	case m.focus == paneFiles:
		m.files, cmd = m.files.Update(msg)
	}
	return m, cmd
}

// viewerHandles says whether the viewer has a binding for a key.
func viewerHandles(k viewer.KeyMap, msg tea.KeyPressMsg) bool {
	return key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Left, k.Right, k.Close)
}

func (m *Model) setCompare(mode analyze.CompareMode) {
	m.compare = mode
	m.layersPane.SetCompareMode(mode)
	m.selectLayer(m.selected)
}

// extract writes the selected path when the whole image is analyzed.
func (m Model) extract(msg filetree.ExtractMsg) (Model, tea.Cmd) {
	if !m.done || m.loadErr != nil || m.opts.Extract == nil {
		m.status = "extract: wait until every layer is analyzed"
		return m, nil
	}
	ctx, res, ls, dir, f := m.ctx, m.builder.Result(), m.opts.Layers, m.opts.ExtractDir, m.opts.Extract
	m.status = "extracting " + msg.Path + "…"
	return m, safe(func() tea.Msg {
		s, err := f(ctx, res, ls, msg.Layer, msg.Path, dir)
		return extractDoneMsg{summary: s, err: err}
	})
}
