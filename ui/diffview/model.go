package diffview

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/image"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/keymap"
	"github.com/strata-dev/strata/ui/treeview"
	"github.com/strata-dev/strata/ui/viewer"
)

// The panes, in the order of their numbers on screen.
const (
	paneLayers = iota
	paneHistory
	paneSummary
	paneFiles
	paneCount
)

// Side says where one image came from, for the summary.
type Side struct {
	Reference, Source, Platform string
}

// Options say what to compare and how to show it.
type Options struct {
	A, B           Side
	ImageA, ImageB image.Image
	Styles         common.Styles
	// Keys are inspect's keys: the tree takes the file tree's, the lists
	// the layers, history and details panes'.
	Keys keymap.Keys
	// Hidden are the change types the tree hides at start.
	Hidden         tree.ChangeSet
	HideAttributes bool
	IgnoreErrors   bool
	// NoVerify skips the sha256 checks of the layers' digests and diffIDs.
	NoVerify bool
	// Parallelism is how many layers of each image are read at once
	// (default: half of GOMAXPROCS, at least 1).
	Parallelism int
	// FileLimit caps how much of each version of a file the viewer reads
	// (default 1 MiB).
	FileLimit int64
}

// side is one image being analyzed.
type side struct {
	analysis *analyze.Analysis // nil when it could not start
	// pkgs finds the image's packages in the analysis' one pass.
	pkgs    *packages.Analyzer
	sources []image.Layer
	read    *atomic.Int64
	done    bool
}

// Model is the root model of `strata diff`'s terminal UI.
type Model struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	keys   keymap.Keys
	st     common.Styles

	width, height int
	panes         common.Panes
	help          common.HelpPage
	viewerOpen    bool
	openNode      diff.NodeID
	// packagesOpen says the package changes are drawn in the tree's
	// place; the tree's pane number then focuses them.
	packagesOpen bool
	status       string

	layers  layersPane
	history historyPane
	summary summaryPane
	tree    treeview.Model
	viewer  viewer.Model
	pkgs    packagesPane

	sides   [2]side
	d       *diff.Diff
	loadErr error
	fatal   error
}

// New makes the root model and starts analyzing both images; ctx bounds
// the background work. Close the final model to stop it.
func New(ctx context.Context, o Options) Model {
	if o.Parallelism <= 0 {
		o.Parallelism = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if o.FileLimit <= 0 {
		o.FileLimit = 1 << 20
	}
	ctx, cancel := context.WithCancel(ctx)
	st := o.Styles
	m := Model{
		opts: o, ctx: ctx, cancel: cancel, keys: o.Keys, st: st,
		panes:    common.Panes{Focus: paneFiles, Count: paneCount, Home: paneLayers, Tree: paneFiles},
		help:     common.NewHelpPage(st),
		layers:   newLayersPane(st, o.Keys),
		history:  newHistoryPane(st, o.Keys),
		summary:  newSummaryPane(st, o.Keys, o.A, o.B),
		tree:     treeview.New(st),
		viewer:   viewer.New(st),
		pkgs:     newPackagesPane(st, o.Keys.Packages, paneFiles+1),
		openNode: diff.NoNode,
	}
	files := o.Keys.Files
	files.Extract.SetEnabled(false) // a diff has nothing to extract
	files.Owners.SetEnabled(false)  // nor packages' files
	m.tree.SetKeyMap(files, o.Keys.Input)
	m.tree.SetNumber(paneFiles + 1)
	m.tree.SetTitle("Differences, A → B")
	m.tree.SetSortName("by size change")
	m.tree.SetEmpty("no differences")
	m.tree.SetMessage([]string{"waiting for both images to be analyzed…"})
	m.tree.ShowAttributes(!o.HideAttributes)
	m.tree.Hide(o.Hidden)
	m.viewer.SetKeyMap(o.Keys.Viewer, o.Keys.Input)
	m.help.SetKeys(o.Keys.Global, o.Keys.Input.Cancel, o.Keys.Viewer.Nav())
	for i, img := range []image.Image{o.ImageA, o.ImageB} {
		m.sides[i] = m.start(i, img)
	}
	if m.loadErr != nil {
		m.pkgs.setMessage(noPackages)
	}
	m.setFocus(paneFiles)
	return m
}

func (m Model) side(i int) Side {
	if i == 0 {
		return m.opts.A
	}
	return m.opts.B
}

// start starts analyzing one image.
func (m *Model) start(i int, img image.Image) side {
	read := new(atomic.Int64)
	pkgs := packages.New()
	o := m.opts
	a, err := analyze.Start(m.ctx, img, analyze.WithParallelism(o.Parallelism), analyze.WithIgnoreErrors(o.IgnoreErrors),
		analyze.WithVerify(!o.NoVerify), analyze.WithOnRead(func(n int64) { read.Add(n) }), analyze.WithObserver(pkgs))
	if err != nil {
		if m.loadErr == nil {
			m.loadErr = fmt.Errorf("%s: %w", m.side(i).Reference, err)
		}
		return side{read: read, pkgs: pkgs}
	}
	return side{analysis: a, pkgs: pkgs, sources: a.Sources(), read: read, done: a.Done()}
}

// Init waits for the first layer of each image.
func (m Model) Init() tea.Cmd {
	if m.loadErr != nil {
		return nil
	}
	cmds := []tea.Cmd{common.Tick(tickEvery)}
	for i := range m.sides {
		cmds = append(cmds, m.nextLayer(i))
	}
	if m.sides[0].done && m.sides[1].done {
		cmds = append(cmds, m.compare())
	}
	return tea.Batch(cmds...)
}

// Err is what ended the program, if something did.
func (m Model) Err() error { return m.fatal }

// Diff is the comparison, once both images are analyzed.
func (m Model) Diff() *diff.Diff { return m.d }

// Close stops both analyses and waits for their goroutines.
func (m Model) Close() {
	m.cancel()
	for _, s := range m.sides {
		if s.analysis != nil {
			s.analysis.Close()
		}
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
	case common.TickMsg:
		if m.d == nil && m.loadErr == nil {
			return m, common.Tick(tickEvery)
		}
	case layerReadMsg:
		return m.layerRead(msg)
	case diffMsg:
		m.setDiff(msg.d)
		m.pkgs.setPackages(msg.d.Packages, msg.nodes)
	case FileDiffMsg:
		if m.viewerOpen && m.openNode != diff.NoNode && msg.Path == m.d.Files.Path(m.openNode) {
			m.showFileDiff(m.d.Files.Node(m.openNode), msg)
		}
	case tea.KeyPressMsg:
		m.status = ""
		return m.key(msg)
	case tea.MouseClickMsg, tea.MouseWheelMsg:
		return m.mouse(msg.(tea.MouseMsg))
	}
	return m, nil
}

func (m *Model) setDiff(d *diff.Diff) {
	m.d = d
	m.layers.setDiff(d)
	m.history.setDiff(d)
	m.summary.setDiff(d)
	m.tree.SetMessage(nil)
	m.tree.Reset()
	m.tree.SetColumns(columns(d.Files), suffix(d.Files))
	m.tree.SetOpens(opens(d.Files))
	m.tree.SetTree(diffNodes{d.Files})
	m.layout()
}

func (m *Model) setFocus(p int) {
	m.panes.Focus = p
	m.layers.list.Blur()
	m.history.list.Blur()
	m.summary.focused = false
	m.tree.Blur()
	m.pkgs.blur()
	switch p {
	case paneLayers:
		m.layers.list.Focus()
	case paneHistory:
		m.history.list.Focus()
	case paneSummary:
		m.summary.focused = true
	case paneFiles:
		if m.packagesOpen {
			m.pkgs.focus()
		} else {
			m.tree.Focus()
		}
	}
	m.layout() // the focused pane of the left column gets its rows first
}
