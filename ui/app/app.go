package app

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

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

// The panes, in the order of their numbers on screen.
const (
	paneLayers = iota
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
	Analysis []analyze.Option
	Styles   common.Styles
	Keys     Keys
	Compare  tree.CompareMode
	// Hidden are the change types the file tree hides at start.
	Hidden         tree.ChangeSet
	HideAttributes bool
	// ExtractDir is where the extract key writes (default ".").
	ExtractDir string
	// FileLimit caps how much of a file the viewer reads (default 1 MiB).
	FileLimit int64
	// Extract writes a file or directory of the analysis to a directory; the
	// caller provides it so that the UI writes nothing itself.
	Extract func(ctx context.Context, res *analyze.Result, layers []image.Layer, layer int, path, dir string) (string, error)
	// Timeout, when set, ends the analysis after so long with the error
	// TimeoutErr; browsing what was read goes on.
	Timeout    time.Duration
	TimeoutErr error
	// Platforms says the image was picked in the platform picker: the
	// back key returns to it.
	Platforms bool
	// Supply, when set, finds the image's base, signature and referrers,
	// in the background.
	Supply SupplyFunc
}

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

	width, height int
	panes         common.Panes
	help          common.HelpPage
	viewerOpen    bool
	status        string // a message for the help bar, until the next key

	layersPane   layers.Model
	historyPane  history.Model
	layerDetails details.LayerModel
	imageDetails details.ImageModel
	files        filetree.Model
	viewer       viewer.Model
	ex           extras // findings, packages, owners: see extras.go

	analysis *analyze.Analysis
	metrics  metrics.Metrics // of the layers stacked so far
	sources  []image.Layer   // the layers as the image declares them
	commands []string        // each layer's history step
	done     bool
	loadErr  error
	views    map[viewKey]*tree.View
	compare  tree.CompareMode
	selected int
	read     *atomic.Int64 // stored bytes read so far
	fatal    error
	supply   supplyState
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
	actx := ctx
	if o.Timeout > 0 {
		var stop context.CancelFunc
		actx, stop = context.WithTimeoutCause(ctx, o.Timeout, o.TimeoutErr)
		parent := cancel
		cancel = func() { stop(); parent() }
	}
	read := new(atomic.Int64)
	ex, exOpts := newExtras(o.Styles)
	a, err := analyze.Start(actx, o.Image, slices.Concat(o.Analysis, exOpts, []analyze.Option{analyze.WithOnRead(func(n int64) { read.Add(n) })})...)
	if err != nil {
		cancel()
		return Model{}, err
	}
	st := o.Styles
	m := Model{
		opts: o, ctx: ctx, cancel: cancel, keys: o.Keys, st: st,
		panes:        common.Panes{Focus: paneLayers, Count: paneCount, Home: paneLayers, Tree: paneFiles},
		help:         common.NewHelpPage(st),
		layersPane:   layers.New(st),
		historyPane:  history.New(st),
		layerDetails: details.NewLayer(st),
		imageDetails: details.NewImage(st),
		files:        filetree.New(st),
		viewer:       viewer.New(st),
		ex:           ex,
		analysis:     a,
		sources:      a.Sources(),
		views:        map[viewKey]*tree.View{},
		compare:      o.Compare,
		read:         read,
	}
	m.applyKeys()
	m.files.Hide(o.Hidden)
	m.files.ShowAttributes(!o.HideAttributes)
	m.layersPane.SetNumber(paneLayers + 1)
	m.historyPane.SetNumber(paneHistory + 1)
	m.layerDetails.SetNumber(paneLayerDetails + 1)
	m.imageDetails.SetNumber(paneImage + 1)
	m.files.SetNumber(paneFiles + 1)
	m.commands = make([]string, len(m.sources))
	for i := range m.commands {
		if h, ok := a.HistoryOf(i); ok {
			m.commands[i] = h.CreatedBy
		}
	}
	m.historyPane.SetHistory(a.History())
	m.layersPane.SetCompareMode(m.compare)
	m.refreshLayers()
	m.selectLayer(0)
	m.setFocus(paneLayers)
	m.done = a.Done()
	return m, nil
}

func (m *Model) applyKeys() {
	k := m.keys
	m.layersPane.SetKeyMap(k.Layers)
	m.historyPane.SetKeyMap(k.History)
	m.layerDetails.SetKeyMap(k.Details)
	m.imageDetails.SetKeyMap(k.Details)
	m.files.SetKeyMap(k.Files, k.Input)
	m.viewer.SetKeyMap(k.Viewer, k.Input)
	m.help.SetKeys(k.Global, k.Input.Cancel, k.Viewer.Nav())
	m.ex.setKeys(k)
}

// Init waits for the first layer.
func (m Model) Init() tea.Cmd {
	if m.done {
		return m.findSupply()
	}
	return tea.Batch(common.Tick(tickEvery), m.nextLayer(), m.findSupply())
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

// Update handles a message.
func (m Model) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.fatal = common.Recovered(r)
			m.cancel()
			model, cmd = m, tea.Quit
		}
	}()
	return m.update(msg)
}

func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.PanicMsg:
		m.fatal = msg.Err
		m.cancel()
		return m, tea.Quit
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case layerReadMsg:
		return m.layerRead(msg)
	case supplyMsg:
		return m.supplied(msg)
	case common.TickMsg:
		if m.done {
			return m, nil
		}
		return m, common.Tick(tickEvery)
	case extractDoneMsg:
		if msg.err != nil {
			m.status = m.st.Error.Render(common.TruncateMessage("extract: "+msg.err.Error(), 200))
		} else {
			m.status = common.TruncateMessage(msg.summary, 200)
		}
		return m, nil
	case viewer.FileContentMsg:
		var cmd tea.Cmd
		m.viewer, cmd = m.viewer.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		m.status = ""
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.mouse(msg.(tea.MouseMsg))
	}
	return m, nil
}

func (m *Model) setFocus(p int) {
	m.panes.Focus = p
	m.layersPane.Blur()
	m.historyPane.Blur()
	m.layerDetails.Blur()
	m.imageDetails.Blur()
	m.files.Blur()
	m.ex.packages.Blur()
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
		if m.ex.packagesOpen {
			m.ex.packages.Focus()
		}
	}
	m.layout() // the focused pane of the left column gets its rows first
}
