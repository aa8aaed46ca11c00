package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/picker"
	"github.com/strata-dev/strata/ui/viewer"
)

// PickerOptions say what the platform picker lists and how it opens a
// platform.
type PickerOptions struct {
	// Reference and Source name the index, for the summary line.
	Reference, Source string
	// Rows are the index's platforms (index.Index.Rows).
	Rows []index.Row
	// Attestations are the index's attestation manifests
	// (index.Index.Attestations): each row lists the kinds of those that
	// describe its platform, and the attestations key shows their
	// statements.
	Attestations []index.Attestation
	// Store reads the statements (index.ReadStatement), only when the
	// attestations key asks; nil when the source gives none.
	Store index.Store
	// Timeout bounds reading one platform's statements; 0 for no bound.
	Timeout time.Duration
	Styles  common.Styles
	Keys    Keys
	// Open opens a row's platform and returns the options of the image's
	// UI and what closes the image. It runs in the background.
	Open func(ctx context.Context, row index.Row) (Options, func(), error)
	// Measure, when set, measures in the background what Rows do not
	// know (the uncompressed sizes of layers on this machine) and returns
	// the rows again.
	Measure func(ctx context.Context) ([]index.Row, error)
}

// Picker is the root model of a multi-platform index: the platform
// picker, then the image of the platform picked, from which the back key
// returns to the picker.
type Picker struct {
	opts          PickerOptions
	ctx           context.Context
	cancel        context.CancelFunc
	st            common.Styles
	keys          Keys
	list          picker.Model
	help          common.HelpPage
	viewer        viewer.Model // a platform's attestation statements
	viewerOpen    bool
	reading       int    // the number of the statements read under way, 0 when none
	reads         int    // statement reads started so far
	image         *Model // the platform open, nil in the picker
	closeImage    func()
	opening       int // the number of the open under way, 0 when none
	opens         int // opens started so far
	status        string
	width, height int
	fatal         error
}

// backMsg asks the picker to close the image and show the platforms.
type backMsg struct{}

// openedMsg is a platform opened, or why it could not be.
type openedMsg struct {
	open  int
	opts  Options
	close func()
	err   error
}

// NewPicker makes the picker of an index's platforms. ctx bounds the
// platforms opened; Close the final model to stop their analysis.
func NewPicker(ctx context.Context, o PickerOptions) Picker {
	ctx, cancel := context.WithCancel(ctx)
	p := Picker{opts: o, ctx: ctx, cancel: cancel, st: o.Styles, keys: o.Keys, list: picker.New(o.Styles),
		help: common.NewHelpPage(o.Styles), viewer: viewer.New(o.Styles)}
	p.list.SetKeyMap(o.Keys.Picker)
	p.help.SetKeys(o.Keys.Global, o.Keys.Input.Cancel, o.Keys.Picker.Nav())
	p.viewer.SetKeyMap(o.Keys.Viewer, o.Keys.Input)
	p.list.SetRows(o.Rows)
	p.list.SetAttestations(o.Attestations)
	return p
}

// measuredMsg are the rows with what Measure found.
type measuredMsg struct{ rows []index.Row }

// Init measures the rows in the background, when there is a way to: they
// are drawn meanwhile.
func (p Picker) Init() tea.Cmd {
	f, ctx := p.opts.Measure, p.ctx
	if f == nil {
		return nil
	}
	return common.Guard(func() tea.Msg {
		rows, err := f(ctx)
		if err != nil {
			return nil // the sizes stay unknown
		}
		return measuredMsg{rows}
	})
}

// Err is what ended the program, if something did.
func (p Picker) Err() error {
	if p.image != nil && p.image.Err() != nil {
		return p.image.Err()
	}
	return p.fatal
}

// Image is the model of the platform open, if one is.
func (p Picker) Image() (Model, bool) {
	if p.image == nil {
		return Model{}, false
	}
	return *p.image, true
}

// Close stops the analysis of the platform open and closes its image.
func (p Picker) Close() {
	p.cancel()
	p.closeOpen()
}

func (p *Picker) closeOpen() {
	if p.image != nil {
		p.image.Close()
		p.image = nil
	}
	if p.closeImage != nil {
		p.closeImage()
		p.closeImage = nil
	}
}

// Update handles a message: the image's when a platform is open, else
// the picker's.
func (p Picker) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			p.fatal = common.Recovered(r)
			p.cancel()
			model, cmd = p, tea.Quit
		}
	}()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.width, p.height = msg.Width, msg.Height
		p.list.SetSize(p.width, p.height-2)
		p.viewer.SetSize(p.width, p.height-2)
		p.help.SetSize(p.width, p.height-2, p.helpSections())
	case backMsg:
		p.closeOpen()
		p.status = ""
		return p, nil
	case openedMsg:
		return p.opened(msg)
	case picker.StatementsMsg:
		return p.statements(msg), nil
	case measuredMsg:
		if len(msg.rows) == len(p.opts.Rows) {
			p.opts.Rows = msg.rows
			p.list.UpdateRows(msg.rows)
		}
		return p, nil
	}
	if p.image != nil {
		next, cmd := p.image.Update(msg)
		m := next.(Model)
		p.image = &m
		return p, cmd
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		return p.key(k)
	}
	if _, ok := msg.(tea.MouseMsg); ok {
		if p.viewerOpen {
			p.viewer, _ = p.viewer.Update(mouseBelowSummary(msg))
		} else {
			p.list, _ = p.list.Update(mouseBelowSummary(msg))
		}
	}
	return p, nil
}

// mouseBelowSummary moves a mouse event up past the summary line.
func mouseBelowSummary(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.MouseClickMsg:
		msg.Y--
		return msg
	case tea.MouseWheelMsg:
		msg.Y--
		return msg
	}
	return msg
}

func (p Picker) key(msg tea.KeyPressMsg) (Picker, tea.Cmd) {
	g, k := p.keys.Global, p.keys.Picker
	p.status = ""
	if p.help.IsOpen() {
		_, cmd := p.help.Answer(msg, p.cancel)
		return p, cmd
	}
	if p.viewerOpen && (p.viewer.Searching() || p.keys.Viewer.Takes(msg)) {
		var cmd tea.Cmd
		p.viewer, cmd = p.viewer.Update(msg)
		if p.viewer.Closed() {
			p.viewerOpen = false
		}
		return p, cmd
	}
	switch {
	case key.Matches(msg, g.Help):
		p.help.Open()
		return p, nil
	case key.Matches(msg, g.Quit):
		p.cancel()
		return p, tea.Quit
	case key.Matches(msg, g.Suspend):
		return p, tea.Suspend
	case p.viewerOpen:
		return p, nil // the viewer is modal: no picker keys
	case key.Matches(msg, k.Open):
		return p.open()
	case key.Matches(msg, k.Attestations):
		return p.attestations()
	}
	p.list, _ = p.list.Update(msg)
	return p, nil
}

// open opens the selected platform in the background.
func (p Picker) open() (Picker, tea.Cmd) {
	row, ok := p.list.Selected()
	switch {
	case !ok || p.opening != 0:
		return p, nil
	case row.Absent != "":
		p.status = p.st.Error.Render(common.TruncateMessage("cannot open "+row.Platform+": "+row.Absent, 200))
		return p, nil
	}
	p.opens++
	p.opening = p.opens
	p.status = "opening " + common.Truncate(row.Platform, 40) + "…"
	ctx, n, f := p.ctx, p.opens, p.opts.Open
	return p, common.Guard(func() tea.Msg {
		o, closeImage, err := f(ctx, row)
		return openedMsg{open: n, opts: o, close: closeImage, err: err}
	})
}

// attestations reads the statements of the selected platform's
// attestations in the background, for the viewer.
func (p Picker) attestations() (Picker, tea.Cmd) {
	row, ok := p.list.Selected()
	if !ok {
		return p, nil
	}
	atts := p.list.Attestations(p.list.Cursor())
	platform := common.Truncate(row.Platform, 40)
	if len(atts) == 0 {
		p.status = platform + " has no attestations"
		return p, nil
	}
	if len(picker.Statements(atts)) == 0 {
		why := "its attestation holds no statement"
		for _, a := range atts {
			if a.Absent != "" {
				why = "its attestation is not in the store: " + common.Message(a.Absent)
			}
		}
		p.status = p.st.Error.Render(common.TruncateMessage(platform+": "+why, 200))
		return p, nil
	}
	if p.opts.Store == nil {
		what := "this source"
		if p.opts.Source != "" {
			what = "the " + p.opts.Source + " source"
		}
		p.status = p.st.Error.Render(common.TruncateMessage(what+" gives no statements to read", 200))
		return p, nil
	}
	p.reads++
	p.reading = p.reads
	p.status = "reading the attestations of " + platform + "…"
	return p, common.Guard(picker.LoadStatements(p.ctx, p.opts.Store, row.Platform, atts, p.reads, p.opts.Timeout))
}

// statements shows the statements read in the viewer, and what could not
// be read in the status bar.
func (p Picker) statements(msg picker.StatementsMsg) Picker {
	if msg.Read != p.reading || p.image != nil {
		return p
	}
	p.reading, p.status = 0, ""
	if msg.Err != nil {
		p.status = p.st.Error.Render(common.TruncateMessage(msg.Err.Error(), 300))
	}
	if len(msg.Lines) == 0 {
		return p
	}
	headers := map[int]bool{}
	for _, i := range msg.Headers {
		headers[i] = true
	}
	label := p.st.Label
	p.viewer.SetLines(msg.Title, nil, msg.Lines, func(i int) lipgloss.Style {
		if headers[i] {
			return label
		}
		return lipgloss.NewStyle()
	})
	p.viewerOpen = true
	return p
}

// opened shows the platform opened and starts its analysis.
func (p Picker) opened(msg openedMsg) (Picker, tea.Cmd) {
	if msg.open != p.opening || p.ctx.Err() != nil {
		if msg.close != nil {
			msg.close()
		}
		return p, nil
	}
	p.opening = 0
	if msg.err != nil {
		p.status = p.st.Error.Render(common.TruncateMessage(msg.err.Error(), 300))
		return p, nil
	}
	msg.opts.Platforms = true
	m, err := New(p.ctx, msg.opts)
	if err != nil {
		msg.close()
		p.status = p.st.Error.Render(common.TruncateMessage(err.Error(), 300))
		return p, nil
	}
	next, _ := m.Update(tea.WindowSizeMsg{Width: p.width, Height: p.height})
	m = next.(Model)
	p.image, p.closeImage, p.status, p.viewerOpen = &m, msg.close, "", false
	return p, m.Init()
}

// View draws the screen on the alternate screen, with the mouse on.
func (p Picker) View() tea.View {
	if p.image != nil {
		return p.image.View()
	}
	return common.ScreenView("strata "+common.Truncate(p.opts.Reference, 80), p.Render)
}

// Render draws the screen as a string.
func (p Picker) Render() string {
	if p.image != nil {
		return p.image.Render()
	}
	if p.width < minWidth || p.height < 4 {
		return common.TooSmall(p.width, p.height, minWidth, 4)
	}
	facts := fmt.Sprintf("%d platforms · pick one", len(p.opts.Rows))
	if p.opts.Source != "" {
		facts = p.opts.Source + " index · " + facts
	}
	top := common.SummaryLine(p.st, p.width, "strata", "", facts, p.opts.Reference)
	g := p.keys.Global
	if p.help.IsOpen() {
		pane, global := p.help.Bar()
		return ansi.Truncate(top, p.width, "") + "\n" + p.help.View(p.width, p.height-2) + "\n" +
			common.HelpBar(p.st, p.width, pane, global, p.status)
	}
	if p.viewerOpen {
		var pane, global []key.Binding
		if p.viewer.Searching() {
			pane, global = common.TypingBar(p.keys.Input, g, "search", "clear", false)
		} else {
			g.Copy = key.NewBinding() // the picker copies nothing
			pane, global = p.keys.Viewer.Bar(g)
		}
		return ansi.Truncate(top, p.width, "") + "\n" + p.viewer.View() + "\n" + common.HelpBar(p.st, p.width, pane, global, p.status)
	}
	bar := common.HelpBar(p.st, p.width, p.keys.Picker.ShortHelp(), []key.Binding{g.Help, g.Quit}, p.status)
	return ansi.Truncate(top, p.width, "") + "\n" + p.list.View() + "\n" + bar
}

// helpSections are the picker's keys for its help page.
func (p Picker) helpSections() []common.HelpSection {
	g := p.keys.Global
	return []common.HelpSection{
		{Title: "Everywhere", Bindings: []key.Binding{g.Help, g.Quit, g.Suspend}},
		{Title: "Platforms", Bindings: append(slices.Concat(p.keys.Picker.Nav().FullHelp()...), p.keys.Picker.Open, p.keys.Picker.Attestations)},
		{Title: "Attestation viewer (its keys come first: q closes it)", Bindings: slices.Concat(p.keys.Viewer.FullHelp()...)},
	}
}

// goBack is the command of the back key: it returns to the picker.
func goBack() tea.Msg { return backMsg{} }

// backKeys are the key back to the picker, when the image was picked in
// one, for the help bar and the help.
func (m Model) backKeys() []key.Binding {
	if !m.opts.Platforms {
		return nil
	}
	return []key.Binding{m.keys.Picker.Back}
}
