package diffview

import (
	"cmp"
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/strata-dev/strata/analyze/diff"
	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/analyze/tree"
	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/ui/common"
	"github.com/strata-dev/strata/ui/packagesview"
)

// packageRow is a package that differs, with its paths in the tree and
// its place in the comparison's order (the largest size change first).
type packageRow struct {
	diff.PackageChange
	nodes []diff.NodeID
	order int
}

// version is the version B has, or A had for a removed package.
func (r *packageRow) version() string {
	if r.Change == packages.Removed {
		return r.VersionA
	}
	return r.VersionB
}

// packagesPane lists, in the tree's place, the packages that differ from
// A to B — added, removed, upgraded, downgraded — with their versions and
// size changes, with inspect's packages view's keys. The parent reads
// what a key asked of it with Asked.
type packagesPane struct {
	styles  common.Styles
	keys    packagesview.KeyMap
	list    common.ListPane
	pkgs    *diff.Packages
	rows    []packageRow
	bySize  bool
	message string
	number  int
	asked   packagesview.Action
}

// packagesFooter is how many lines the pane keeps under its rows: the
// counts, and what enter does.
const packagesFooter = 2

func newPackagesPane(st common.Styles, k packagesview.KeyMap, number int) packagesPane {
	return packagesPane{styles: st, keys: k, number: number, list: common.ListPane{Styles: st, Keys: k.Nav(), Header: true},
		message: "waiting for both images to be analyzed…"}
}

// setPackages shows the comparison's packages, nodes[i] the paths of its
// change i; nil packages says neither image has a package database.
func (p *packagesPane) setPackages(pkgs *diff.Packages, nodes [][]diff.NodeID) {
	p.pkgs, p.rows, p.list.List = pkgs, nil, common.List{}
	if pkgs == nil {
		p.message = "no package database in either image"
		return
	}
	p.message = fmt.Sprintf("no package differences (%d the same in A and B)", pkgs.Unchanged)
	for i, c := range pkgs.Changes {
		r := packageRow{PackageChange: c, order: i}
		if i < len(nodes) {
			r.nodes = nodes[i]
		}
		p.rows = append(p.rows, r)
	}
	p.sort()
	p.setSize(p.list.Size())
}

// setMessage says why there is nothing to list.
func (p *packagesPane) setMessage(s string) {
	p.pkgs, p.rows, p.message, p.list.List = nil, nil, s, common.List{}
}

func (p *packagesPane) setSize(w, h int) { p.list.SetSize(w, h, packagesFooter, len(p.rows)) }

func (p *packagesPane) focus() { p.list.Focus() }
func (p *packagesPane) blur()  { p.list.Blur() }

// Asked is what the last Update asked the parent to do: Stay for
// nothing, Close, or narrow the tree to the selected package's Files.
func (p packagesPane) Asked() packagesview.Action { return p.asked }

// selected is the package under the cursor.
func (p packagesPane) selected() (packageRow, bool) {
	if c := p.list.List.Cursor; c >= 0 && c < len(p.rows) {
		return p.rows[c], true
	}
	return packageRow{}, false
}

// sort orders the rows by name or by size change, the largest first
// (the comparison's own order, the text report's), keeping the cursor on
// its package.
func (p *packagesPane) sort() {
	at := -1
	if r, ok := p.selected(); ok {
		at = r.order
	}
	slices.SortFunc(p.rows, func(a, b packageRow) int {
		if p.bySize {
			return cmp.Compare(a.order, b.order)
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Ecosystem, b.Ecosystem),
			cmp.Compare(a.Location, b.Location), cmp.Compare(a.Arch, b.Arch))
	})
	if i := slices.IndexFunc(p.rows, func(r packageRow) bool { return r.order == at }); i >= 0 {
		p.list.List.Cursor = i
		p.list.List.Scroll(len(p.rows), p.list.RowsHeight())
	}
}

// Update moves the cursor and sorts on the sort key; the close and files
// keys are asks of the parent.
func (p packagesPane) Update(msg tea.Msg) (packagesPane, tea.Cmd) {
	p.asked = packagesview.Stay
	if k, ok := msg.(tea.KeyPressMsg); ok && p.list.Focused() {
		switch {
		case key.Matches(k, p.keys.Close):
			p.asked = packagesview.Close
			return p, nil
		case key.Matches(k, p.keys.Files):
			if r, ok := p.selected(); ok && len(r.nodes) > 0 {
				p.asked = packagesview.Files
			}
			return p, nil
		case key.Matches(k, p.keys.Sort):
			p.bySize = !p.bySize
			p.sort()
			return p, nil
		}
	}
	p.list.Update(msg, len(p.rows))
	return p, nil
}

// View draws the pane at its outer size.
func (p packagesPane) View() string {
	head := fmt.Sprintf("%-10s %9s  %s", "Change", "Δ Size", "Package: A → B")
	row := func(i, width int) (string, lipgloss.Style) {
		r := p.rows[i]
		style := p.styles.Change[tree.Modified]
		switch r.Change {
		case packages.Added:
			style = p.styles.Change[tree.Added]
		case packages.Removed:
			style = p.styles.Change[tree.Removed]
		}
		text := fmt.Sprintf("%-10s %9s  ", r.Change, diff.FormatDelta(r.Delta()))
		return text + textsafe.Truncate(r.Summary(), max(1, width-len([]rune(text)))), style // Summary is escaped
	}
	title := "Packages, A → B"
	switch {
	case p.pkgs == nil:
	case p.bySize:
		title += " · largest change first"
	default:
		title += " · by name"
	}
	return p.list.View(common.Title(p.number, title), head, p.message, len(p.rows), row, p.footer())
}

// footer counts the changes and says what enter does for the selected
// package, and where it is recorded.
func (p packagesPane) footer() []string {
	w, _ := p.list.Size()
	w = max(1, w-2)
	if p.pkgs == nil {
		return nil
	}
	counts := fmt.Sprintf("%s · %d the same", packageCounts(p.pkgs), p.pkgs.Unchanged)
	lines := []string{p.styles.Muted.Render(common.Truncate(counts, w))}
	r, ok := p.selected()
	if !ok {
		return lines
	}
	s := "no files listed"
	if n := len(r.nodes); n > 0 {
		s = fmt.Sprintf("enter shows its %d %s", n, plural(n, "path", "paths"))
	}
	if r.Change == packages.Removed {
		s += " · in A's "
	} else {
		s += " · in B's "
	}
	return append(lines, p.styles.Muted.Render(common.Truncate(s+r.Location, w)))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
