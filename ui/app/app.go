package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/metrics"
	"github.com/strata-dev/strata/analyze/tree"
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
	// Image is the image to analyze and show.
	Image image.Image
	// Analysis are the options of its analysis (verify, ignore errors,
	// parallelism).
	Analysis       []analyze.Option
	Styles         common.Styles
	Keys           Keys
	Compare        tree.CompareMode
	Hidden         tree.ChangeSet // change types hidden in the file tree at start
	HideAttributes bool
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

// layerReadMsg is the next layer of the analysis, read and ready to be
// stacked, or what ended the analysis.
type layerReadMsg struct {
	p   *analyze.ParsedLayer
	err error
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
	mode  tree.CompareMode
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

	analysis *analyze.Analysis
	sources  []image.Layer // the layers as the image declares them
	done     bool
	loadErr  error
	views    map[viewKey]*tree.View
	compare  tree.CompareMode
	selected int
	metrics  metrics.Metrics
	read     *atomic.Int64
	total    int64
	status   string
	fatal    error
}

// New makes the root model and starts the analysis of the image, whose
// layers then arrive while the user browses. ctx bounds the background
// work; Close the final model to stop it.
func New(ctx context.Context, o Options) (Model, error) {
	if o.ExtractDir == "" {
		o.ExtractDir = "."
	}
	if o.FileLimit <= 0 {
		o.FileLimit = 1 << 20
	}
	ctx, cancel := context.WithCancel(ctx)
	read := new(atomic.Int64)
	a, err := analyze.Start(ctx, o.Image, append(o.Analysis, analyze.WithOnRead(func(n int64) { read.Add(n) }))...)
	if err != nil {
		cancel()
		return Model{}, err
	}
	m := Model{
		opts: o, ctx: ctx, cancel: cancel, keys: o.Keys, st: o.Styles, help: help.New(),
		layersPane:   layers.New(o.Styles),
		historyPane:  history.New(o.Styles),
		layerDetails: details.NewLayer(o.Styles),
		imageDetails: details.NewImage(o.Styles),
		files:        filetree.New(o.Styles),
		viewer:       viewer.New(o.Styles),
		analysis:     a,
		sources:      a.Sources(),
		views:        map[viewKey]*tree.View{},
		compare:      o.Compare,
		read:         read,
	}
	m.applyKeys()
	m.files.HideChanges(o.Hidden)
	m.files.ShowAttributes(!o.HideAttributes)
	for _, l := range m.sources {
		if l.Size > 0 {
			m.total += l.Size
		}
	}
	m.help.Styles.ShortKey = o.Styles.Key
	m.help.Styles.ShortDesc = o.Styles.Desc
	m.help.Styles.FullKey = o.Styles.Key
	m.help.Styles.FullDesc = o.Styles.Desc
	m.historyPane.SetHistory(a.History())
	m.layersPane.SetCompareMode(m.compare)
	m.refreshLayers()
	m.selectLayer(0)
	m.setFocus(paneLayers)
	m.done = a.Done()
	return m, nil
}

func (m *Model) applyKeys() {
	m.layersPane.SetKeyMap(m.keys.Layers)
	m.historyPane.SetKeyMap(m.keys.History)
	m.layerDetails.SetKeyMap(m.keys.Details)
	m.imageDetails.SetKeyMap(m.keys.Details)
	m.files.SetKeyMap(m.keys.Files)
	m.viewer.SetKeyMap(m.keys.Viewer)
}

// Init waits for the first layer.
func (m Model) Init() tea.Cmd {
	if m.done {
		return nil
	}
	return tea.Batch(tick(), m.nextLayer())
}

// Err is what ended the program, if something did.
func (m Model) Err() error { return m.fatal }

// Result is the analysis so far.
func (m Model) Result() *analyze.Result { return m.analysis.Result() }

// Close stops the analysis and waits for its goroutines.
func (m Model) Close() {
	m.cancel()
	if m.analysis != nil {
		m.analysis.Close()
	}
}

func tick() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

// nextLayer waits, in the background, for the analysis to read the next
// layer; Update stacks it.
func (m Model) nextLayer() tea.Cmd {
	a := m.analysis
	return safe(func() tea.Msg {
		p, err := a.Next()
		return layerReadMsg{p: p, err: err}
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
	case layerReadMsg:
		return m.layerRead(msg)
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
		if from < 0 || from >= len(m.sources) {
			return m, nil
		}
		m.viewerOpen = true
		m.viewer.SetLoading(msg.Path)
		m.setFocus(paneFiles)
		return m, viewer.Load(m.ctx, m.sources[from], from, msg.Path, m.opts.FileLimit)
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

// layerRead stacks the layer the analysis read, and waits for the next.
func (m Model) layerRead(msg layerReadMsg) (Model, tea.Cmd) {
	if msg.err != nil {
		if m.loadErr == nil && m.ctx.Err() == nil && !errors.Is(msg.err, io.EOF) {
			m.loadErr = msg.err
			m.status = "error: " + msg.err.Error()
		}
		m.done = true
		return m, nil
	}
	if _, err := m.analysis.Stack(msg.p); err != nil {
		m.loadErr = err
		m.status = "error: " + err.Error()
		m.done = true
		return m, nil
	}
	for _, w := range msg.p.Warnings {
		m.status = "warning: " + w.Error()
	}
	m.metrics = m.analysis.Metrics()
	m.done = m.analysis.Done()
	m.refreshLayers()
	m.files.Refresh()
	m.selectLayer(m.selected)
	if m.done {
		return m, nil
	}
	return m, m.nextLayer()
}

// refreshLayers updates the panes that show every layer.
func (m *Model) refreshLayers() {
	stacked := m.analysis.Layers()
	rows := make([]layers.Row, len(m.sources))
	for i := range rows {
		rows[i] = layers.Row{Index: i}
		if h, ok := m.analysis.HistoryOf(i); ok {
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
		Metrics: m.metrics, Layers: len(m.sources), Analyzed: len(stacked),
	})
}

// view returns the (cached) view of a stacked layer.
func (m *Model) view(k int, mode tree.CompareMode) *tree.View {
	key := viewKey{k, mode}
	if v, ok := m.views[key]; ok {
		return v
	}
	v := tree.NewView(m.analysis.Tree(), m.analysis.Layers(), k, mode)
	m.views[key] = v
	return v
}

// selectLayer shows layer k in the details, history and file tree.
func (m *Model) selectLayer(k int) {
	if k < 0 || k >= len(m.sources) {
		return
	}
	m.selected = k
	l := m.sources[k]
	d := details.Layer{Index: k, Digest: l.Digest.String(), DiffID: l.DiffID.String(), MediaType: string(l.MediaType), CompressedSize: l.Size}
	if l.Digest.Hex == "" {
		d.Digest = ""
	}
	if h, ok := m.analysis.HistoryOf(k); ok {
		d.CreatedBy, d.Created = h.CreatedBy, h.Created
	}
	stacked := m.analysis.Layers()
	if k < len(stacked) {
		info := stacked[k]
		v := m.view(k, tree.CompareLayer)
		d = details.Layer{Index: k, Digest: info.Digest.String(), DiffID: info.DiffID.String(),
			MediaType: string(info.MediaType), CompressedSize: info.CompressedSize, Size: info.Size,
			Created: info.Created, CreatedBy: info.CreatedBy, Files: info.Files, Counts: v.Counts, Analyzed: true}
		if cur := m.files.VM().View(); cur == nil || cur.Layer != k || cur.Mode != m.compare || cur.Tree != m.analysis.Tree() {
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

// extract writes the selected path when the whole image is analyzed.
func (m Model) extract(msg filetree.ExtractMsg) (Model, tea.Cmd) {
	if !m.done || m.loadErr != nil || m.opts.Extract == nil {
		m.status = "extract: wait until every layer is analyzed"
		return m, nil
	}
	ctx, res, ls, dir, f := m.ctx, m.analysis.Result(), m.sources, m.opts.ExtractDir, m.opts.Extract
	m.status = "extracting " + msg.Path + "…"
	return m, safe(func() tea.Msg {
		s, err := f(ctx, res, ls, msg.Layer, msg.Path, dir)
		return extractDoneMsg{summary: s, err: err}
	})
}
