package main

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/vt"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// faces are the fonts cells are painted with.
type faces struct{ regular, bold font.Face }

// padding is the margin around the cells, in cells.
const padding = 1

// paint draws the emulator's screen.
func paint(term *vt.Emulator, cols, rows int, f faces) *image.RGBA {
	adv, _ := f.regular.GlyphAdvance('M')
	m := f.regular.Metrics()
	cw := adv.Round()
	ch := (m.Ascent + m.Descent).Ceil() + 2
	ascent := m.Ascent.Ceil() + 1
	pic := image.NewRGBA(image.Rect(0, 0, (cols+2*padding)*cw, (rows+2*padding)*ch))
	draw.Draw(pic, pic.Bounds(), image.NewUniform(defaultBg), image.Point{}, draw.Src)

	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			c := term.CellAt(x, y)
			if c == nil || c.Width == 0 {
				continue
			}
			fg, bg := colors(c.Style)
			cell := image.Rect((x+padding)*cw, (y+padding)*ch, (x+padding+c.Width)*cw, (y+padding+1)*ch)
			draw.Draw(pic, cell, image.NewUniform(bg), image.Point{}, draw.Src)
			r := []rune(c.Content)
			if len(r) == 0 || c.Content == " " {
				continue
			}
			if len(r) == 1 && drawBox(pic, cell, r[0], fg) {
				continue
			}
			face := f.regular
			if c.Style.Attrs&uv.AttrBold != 0 {
				face = f.bold
			}
			d := font.Drawer{Dst: pic, Src: image.NewUniform(fg), Face: face,
				Dot: fixed.P(cell.Min.X, cell.Min.Y+ascent)}
			d.DrawString(c.Content)
		}
	}
	return pic
}

// colors resolves a cell's style to the colours it is painted in.
func colors(s uv.Style) (fg, bg color.Color) {
	fg, bg = defaultFg, defaultBg
	if s.Fg != nil {
		fg = s.Fg
	}
	if s.Bg != nil {
		bg = s.Bg
	}
	if s.Attrs&uv.AttrReverse != 0 {
		fg, bg = bg, fg
	}
	if s.Attrs&uv.AttrFaint != 0 {
		fg = mix(fg, bg)
	}
	return fg, bg
}

// mix is halfway between two colours.
func mix(a, b color.Color) color.Color {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return color.RGBA{uint8((ar + br) >> 9), uint8((ag + bg) >> 9), uint8((ab + bb) >> 9), 0xff}
}

// arms says, for a box-drawing character, how thick its line is toward
// each side of the cell: 0 none, 1 light, 2 heavy; round marks the
// rounded corners.
type arms struct {
	up, down, left, right uint8
	round                 bool
}

// boxChars are the box-drawing characters the UI uses.
func boxChars(r rune) (arms, bool) {
	switch r {
	case '─':
		return arms{left: 1, right: 1}, true
	case '━':
		return arms{left: 2, right: 2}, true
	case '│':
		return arms{up: 1, down: 1}, true
	case '┃':
		return arms{up: 2, down: 2}, true
	case '┌':
		return arms{down: 1, right: 1}, true
	case '┏':
		return arms{down: 2, right: 2}, true
	case '┐':
		return arms{down: 1, left: 1}, true
	case '┓':
		return arms{down: 2, left: 2}, true
	case '└':
		return arms{up: 1, right: 1}, true
	case '┗':
		return arms{up: 2, right: 2}, true
	case '┘':
		return arms{up: 1, left: 1}, true
	case '┛':
		return arms{up: 2, left: 2}, true
	case '├':
		return arms{up: 1, down: 1, right: 1}, true
	case '┤':
		return arms{up: 1, down: 1, left: 1}, true
	case '┬':
		return arms{down: 1, left: 1, right: 1}, true
	case '┴':
		return arms{up: 1, left: 1, right: 1}, true
	case '┼':
		return arms{up: 1, down: 1, left: 1, right: 1}, true
	case '╭':
		return arms{down: 1, right: 1, round: true}, true
	case '╮':
		return arms{down: 1, left: 1, round: true}, true
	case '╯':
		return arms{up: 1, left: 1, round: true}, true
	case '╰':
		return arms{up: 1, right: 1, round: true}, true
	}
	return arms{}, false
}

// drawBox draws a box-drawing character as lines from the middle of the
// cell to its sides, so that neighbours join whatever the font; it says
// whether r is one.
func drawBox(pic *image.RGBA, cell image.Rectangle, r rune, fg color.Color) bool {
	a, ok := boxChars(r)
	if !ok {
		return false
	}
	w := cell.Dx()
	light := max(1, w/9)
	heavy := 3 * light
	thick := func(n uint8) int {
		if n == 2 {
			return heavy
		}
		return light
	}
	cx, cy := cell.Min.X+w/2, cell.Min.Y+cell.Dy()/2
	src := image.NewUniform(fg)
	fill := func(x0, y0, x1, y1 int) {
		draw.Draw(pic, image.Rect(x0, y0, x1, y1), src, image.Point{}, draw.Over)
	}
	if a.round {
		// A quarter circle from the middle of one side to the middle of
		// the other, around the corner the arms point to.
		rad := float64(min(w, cell.Dy())) / 2
		ox, oy := float64(cx), float64(cy)
		if a.right != 0 {
			ox += rad
		} else {
			ox -= rad
		}
		if a.down != 0 {
			oy += rad
		} else {
			oy -= rad
		}
		for i := 0; i <= 64; i++ {
			t := float64(i) / 64 * math.Pi / 2
			dx, dy := rad*math.Cos(t), rad*math.Sin(t)
			if a.right != 0 {
				dx = -dx
			}
			if a.down != 0 {
				dy = -dy
			}
			x, y := int(math.Round(ox+dx)), int(math.Round(oy+dy))
			fill(x-light/2, y-light/2, x-light/2+light, y-light/2+light)
		}
		// The straight rest of each arm, to the cell's side.
		if a.right != 0 {
			fill(int(ox), cy-light/2, cell.Max.X, cy-light/2+light)
		} else {
			fill(cell.Min.X, cy-light/2, int(ox)+1, cy-light/2+light)
		}
		if a.down != 0 {
			fill(cx-light/2, int(oy), cx-light/2+light, cell.Max.Y)
		} else {
			fill(cx-light/2, cell.Min.Y, cx-light/2+light, int(oy)+1)
		}
		return true
	}
	// The horizontal and vertical strokes reach past the middle by half
	// the other's thickness, so that corners are square.
	hv := max(thick(a.up), thick(a.down))
	hh := max(thick(a.left), thick(a.right))
	if a.left != 0 {
		t := thick(a.left)
		fill(cell.Min.X, cy-t/2, cx+hv-hv/2, cy-t/2+t)
	}
	if a.right != 0 {
		t := thick(a.right)
		fill(cx-hv/2, cy-t/2, cell.Max.X, cy-t/2+t)
	}
	if a.up != 0 {
		t := thick(a.up)
		fill(cx-t/2, cell.Min.Y, cx-t/2+t, cy+hh-hh/2)
	}
	if a.down != 0 {
		t := thick(a.down)
		fill(cx-t/2, cy-hh/2, cx-t/2+t, cell.Max.Y)
	}
	return true
}
