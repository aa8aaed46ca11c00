package picker

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/dustin/go-humanize"

	"github.com/strata-dev/strata/internal/textsafe"
	"github.com/strata-dev/strata/source/index"
	"github.com/strata-dev/strata/ui/common"
)

// The columns' widths: the platform's at most (it is as wide as the
// longest platform), then sizes right-aligned, each as wide as its
// header, so that the attestations fit an 80-column terminal.
const (
	platformWidth     = 22
	compressedWidth   = len("Compressed")
	uncompressedWidth = len("Uncompressed")
	sharedWidth       = 8
	layersWidth       = 6
	// attestedWidth is the attestations column's, the last but for
	// "not here".
	attestedWidth = 24
)

// Model is the platform picker pane. Make one with New.
type Model struct {
	list common.ListPane
	keys KeyMap
	rows []index.Row
	// atts are the attestations describing each row's platform.
	atts [][]index.Attestation
	// platformWidth is the platform column's: its longest platform's.
	platformWidth int
}

// New makes an empty picker.
func New(styles common.Styles) Model {
	m := Model{keys: DefaultKeyMap()}
	m.list = common.ListPane{Styles: styles, Keys: m.keys.Nav(), Header: true}
	m.list.Focus()
	return m
}

// SetRows shows the index's platforms, one row each; the cursor goes to
// the first.
func (m *Model) SetRows(rows []index.Row) {
	m.rows, m.atts = rows, nil
	m.list.List.Cursor, m.list.List.Offset = 0, 0
	m.platformWidth = len("Platform")
	for _, r := range rows {
		m.platformWidth = max(m.platformWidth, min(textsafe.Width(common.Safe(r.Platform)), platformWidth))
	}
}

// SetAttestations gives each row the attestations that describe its
// platform: those of atts (index.Index.Attestations) whose Platform is
// the row's index. Call it after SetRows.
func (m *Model) SetAttestations(atts []index.Attestation) {
	m.atts = make([][]index.Attestation, len(m.rows))
	for _, a := range atts {
		if a.Platform >= 0 && a.Platform < len(m.rows) {
			m.atts[a.Platform] = append(m.atts[a.Platform], a)
		}
	}
}

// Attestations are the attestations describing row i's platform.
func (m Model) Attestations(i int) []index.Attestation {
	if i < 0 || i >= len(m.atts) {
		return nil
	}
	return m.atts[i]
}

// Cursor is the index of the row under the cursor.
func (m Model) Cursor() int { return m.list.List.Cursor }

// UpdateRows replaces the rows with the same platforms newly measured;
// the cursor stays.
func (m *Model) UpdateRows(rows []index.Row) {
	if len(rows) == len(m.rows) {
		m.rows = rows
	}
}

// SetSize sets the pane's outer size, border included.
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h, 0, len(m.rows)) }

// SetKeyMap replaces the bindings.
func (m *Model) SetKeyMap(k KeyMap) {
	m.keys = k
	m.list.Keys = k.Nav()
}

// KeyMap returns the bindings, for the help bar.
func (m Model) KeyMap() KeyMap { return m.keys }

// Selected is the row under the cursor; false when there are none.
func (m Model) Selected() (index.Row, bool) {
	if len(m.rows) == 0 {
		return index.Row{}, false
	}
	return m.rows[m.list.List.Cursor], true
}

// Update moves the cursor on keys, clicks and the wheel. The parent acts
// on Open and Attestations.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	m.list.Update(msg, len(m.rows))
	return m, nil
}

// header is the columns' header line.
func (m Model) header() string {
	return fmt.Sprintf("%-*s  %*s  %*s  %*s  %*s  %s", m.platformWidth, "Platform", compressedWidth, "Compressed",
		uncompressedWidth, "Uncompressed", layersWidth, "Layers", sharedWidth, "Shared", "Attestations")
}

// line is a row as the picker draws it, with the kinds of the
// attestations describing it (atts), the platform escaped.
func (m Model) line(r index.Row, atts []index.Attestation) string {
	layers := "?"
	if r.Layers >= 0 {
		layers = fmt.Sprint(r.Layers)
	}
	attested := common.Truncate(Kinds(atts), attestedWidth)
	switch {
	case r.Absent != "" && len(atts) == 0:
		attested = "not here: " + common.Truncate(r.Absent, 60)
	case r.Absent != "":
		attested = common.Pad(attested, attestedWidth) + "  not here: " + common.Truncate(r.Absent, 60)
	}
	return fmt.Sprintf("%s  %*s  %*s  %*s  %*s  %s", common.Pad(common.Truncate(r.Platform, m.platformWidth), m.platformWidth),
		compressedWidth, size(r.CompressedBytes), uncompressedWidth, size(r.UncompressedBytes), layersWidth, layers, sharedWidth, size(r.SharedBytes), attested)
}

// Kinds names what the attestations of a platform hold, each kind once
// in the order they come: "sbom, provenance"; "absent" for an
// attestation the store does not hold; "-" when there is none.
func Kinds(atts []index.Attestation) string {
	var kinds []string
	add := func(k string) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, a := range atts {
		if a.Absent != "" {
			add("absent")
		}
		for _, s := range a.Statements {
			k := s.Kind()
			if strings.HasPrefix(k, "sbom-") {
				k = "sbom"
			}
			add(k)
		}
	}
	if len(kinds) == 0 {
		return "-"
	}
	return strings.Join(kinds, ", ")
}

// size is a size, or "unknown" for -1.
func size(n int64) string {
	if n < 0 {
		return "unknown"
	}
	return humanize.Bytes(uint64(n))
}

// View draws the pane at exactly its outer size.
func (m Model) View() string {
	st := m.list.Styles
	row := func(i, width int) (string, lipgloss.Style) {
		style := lipgloss.NewStyle()
		if m.rows[i].Absent != "" {
			style = st.Muted
		}
		return textsafe.Truncate(m.line(m.rows[i], m.Attestations(i)), width), style
	}
	title := fmt.Sprintf("Platforms (%d) · enter opens one", len(m.rows))
	return m.list.View(title, m.header(), "no platform in the index", len(m.rows), row, nil)
}
