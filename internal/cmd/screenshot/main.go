package main

import (
	"errors"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/vt"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

func main() {
	out := flag.String("o", "docs/tui.png", "the PNG to write")
	cols := flag.Int("width", 100, "the terminal's width, in cells")
	rows := flag.Int("height", 30, "the terminal's height, in cells")
	img := flag.String("image", "testdata/demo.tar", "the image strata opens")
	keys := flag.String("keys", "Down Down Tab Tab Tab Tab C-u", "tmux send-keys arguments, separated by spaces, sent once the image is loaded")
	ready := flag.String("ready", "Packages.lz4", "text the screen shows once the image is loaded (the demo's largest inefficient file)")
	shown := flag.String("wait", "hiding unmodified", "text the screen shows once the keys took effect")
	ansiFile := flag.String("ansi", "", "paint this capture (tmux capture-pane -e -p) instead of running strata")
	saveANSI := flag.String("save-ansi", "", "also write the capture to this file")
	fontDir := flag.String("fonts", "/usr/share/fonts/truetype/dejavu", "the directory holding DejaVuSansMono.ttf and DejaVuSansMono-Bold.ttf")
	size := flag.Float64("size", 28, "the font size, in pixels")
	flag.Parse()

	if err := run(*out, *cols, *rows, *img, *keys, *ready, *shown, *ansiFile, *saveANSI, *fontDir, *size); err != nil {
		fmt.Fprintf(os.Stderr, "screenshot: %v\n", err)
		os.Exit(1)
	}
}

func run(out string, cols, rows int, img, keys, ready, shown, ansiFile, saveANSI, fontDir string, size float64) error {
	var capture []byte
	var err error
	if ansiFile != "" {
		capture, err = os.ReadFile(ansiFile)
	} else {
		capture, err = captureStrata(cols, rows, img, strings.Fields(keys), ready, shown)
	}
	if err != nil {
		return err
	}
	if saveANSI != "" {
		if err := os.WriteFile(saveANSI, capture, 0o644); err != nil {
			return err
		}
	}
	term := vt.NewEmulator(cols, rows)
	// capture-pane ends lines with \n alone; the last one with nothing.
	term.Write([]byte(strings.ReplaceAll(strings.TrimSuffix(string(capture), "\n"), "\n", "\r\n")))

	regular, err := loadFace(filepath.Join(fontDir, "DejaVuSansMono.ttf"), size)
	if err != nil {
		return err
	}
	bold, err := loadFace(filepath.Join(fontDir, "DejaVuSansMono-Bold.ttf"), size)
	if err != nil {
		return err
	}
	pic := paint(term, cols, rows, faces{regular: regular, bold: bold})
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, pic); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// captureStrata builds strata, runs it on img in a new tmux server of its
// own, waits for ready, sends keys, waits for shown and captures the pane.
func captureStrata(cols, rows int, img string, keys []string, ready, shown string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "strata-screenshot-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "strata")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/strata").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building strata: %v\n%s", err, out)
	}
	sock := filepath.Join(dir, "tmux.sock")
	tmux := func(args ...string) ([]byte, error) {
		out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return out, nil
	}
	script := fmt.Sprintf("CI= NO_COLOR= TERM=xterm-256color COLORTERM=truecolor %s %s; sleep 60", bin, img)
	if _, err := tmux("new-session", "-d", "-s", "shot", "-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), "sh", "-c", script); err != nil {
		return nil, err
	}
	defer tmux("kill-server")
	waitFor := func(text string) error {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			screen, err := tmux("capture-pane", "-p", "-t", "shot")
			if err != nil {
				return err
			}
			if strings.Contains(string(screen), text) {
				return nil
			}
		}
		return fmt.Errorf("the screen never showed %q", text)
	}
	if err := waitFor(ready); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if _, err := tmux("send-keys", "-t", "shot", k); err != nil {
			return nil, err
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := waitFor(shown); err != nil {
		return nil, err
	}
	time.Sleep(300 * time.Millisecond) // the last frame
	return tmux("capture-pane", "-e", "-p", "-t", "shot")
}

func loadFace(path string, size float64) (font.Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the font (apt-get install fonts-dejavu-core): %w", err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := face.GlyphAdvance('M'); !ok {
		return nil, errors.New(path + " has no M")
	}
	return face, nil
}

// The colours of the terminal the picture shows.
var (
	defaultFg = color.RGBA{0xd4, 0xd4, 0xd4, 0xff}
	defaultBg = color.RGBA{0x1e, 0x1e, 0x1e, 0xff}
)
