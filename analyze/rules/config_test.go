// This file is over 400 lines: it is the rules files' table of cases (each
// key, its invalid values, misspellings, dive's .dive-ci) with its checks,
// kept together so a new rule adds its rows in one place.

package rules_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/strata-dev/strata/analyze/rules"
)

// diveFile is a real .dive-ci, as dive's documentation shows it.
const diveFile = `---
plugins:
  - plugin1

rules:
  # If the efficiency is measured below X%, mark as failed. (expressed as a percentage between 0-1)
  lowestEfficiency: 0.95

  # If the amount of wasted space is at least X or larger than X, mark as failed. (expressed in B, KB, MB, and GB)
  highestWastedBytes: 20Mb

  # If the amount of wasted space makes up for X% of the image, mark as failed. (fail if the threshold is met or crossed; expressed as a percentage between 0-1)
  highestUserWastedPercent: 0.5

  plugin1/rule1: error
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDiveFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, rules.DiveFile, diveFile)

	c, warnings, err := rules.Load("", dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := rules.Default()
	want.LowestEfficiency = rules.Threshold{Ratio: 0.95, Raw: "0.95", Source: path}
	want.HighestWastedBytes = rules.Threshold{Bytes: 20_000_000, Raw: "20Mb", Source: path}
	want.HighestUserWastedPercent = rules.Threshold{Ratio: 0.5, Raw: "0.5", Source: path}
	want.File = path
	if !reflect.DeepEqual(c, want) {
		t.Errorf("config:\n got %+v\nwant %+v", c, want)
	}
	wantWarnings := []string{path + ": ignoring unknown keys: plugins, rules.plugin1/rule1"}
	if !reflect.DeepEqual(warnings, wantWarnings) {
		t.Errorf("warnings = %q, want %q", warnings, wantWarnings)
	}
}

func TestLoadRelativeDirWarning(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, rules.DiveFile, diveFile)
	t.Chdir(dir)

	c, warnings, err := rules.Load("", "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.File != ".dive-ci" {
		t.Errorf("File = %q, want .dive-ci", c.File)
	}
	want := []string{".dive-ci: ignoring unknown keys: plugins, rules.plugin1/rule1"}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings = %q, want %q", warnings, want)
	}
}

func TestLoadPrecedence(t *testing.T) {
	const (
		strata   = "rules:\n  lowestEfficiency: 0.7\n"
		dive     = "rules:\n  lowestEfficiency: 0.8\n"
		explicit = "rules:\n  lowestEfficiency: 0.6\n"
	)
	tests := []struct {
		name           string
		strata, dive   bool
		explicit       bool
		wantFile       string // base name; "" for defaults
		wantEfficiency float64
	}{
		{name: "none", wantEfficiency: 0.9},
		{name: "dive only", dive: true, wantFile: rules.DiveFile, wantEfficiency: 0.8},
		{name: "strata only", strata: true, wantFile: rules.StrataFile, wantEfficiency: 0.7},
		{name: "strata over dive", strata: true, dive: true, wantFile: rules.StrataFile, wantEfficiency: 0.7},
		{name: "explicit over both", strata: true, dive: true, explicit: true, wantFile: "custom.yaml", wantEfficiency: 0.6},
		{name: "explicit alone", explicit: true, wantFile: "custom.yaml", wantEfficiency: 0.6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.strata {
				writeFile(t, dir, rules.StrataFile, strata)
			}
			if tt.dive {
				writeFile(t, dir, rules.DiveFile, dive)
			}
			explicitPath := ""
			if tt.explicit {
				explicitPath = writeFile(t, t.TempDir(), "custom.yaml", explicit)
			}

			c, warnings, err := rules.Load(explicitPath, dir)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings = %q, want none", warnings)
			}
			if got := filepath.Base(c.File); tt.wantFile != "" && got != tt.wantFile {
				t.Errorf("File = %q, want base name %q", c.File, tt.wantFile)
			}
			if tt.wantFile == "" {
				if !reflect.DeepEqual(c, rules.Default()) {
					t.Errorf("config = %+v, want defaults %+v", c, rules.Default())
				}
				return
			}
			if c.LowestEfficiency.Ratio != tt.wantEfficiency || c.LowestEfficiency.Source != c.File {
				t.Errorf("lowestEfficiency = %+v, want ratio %v from %s", c.LowestEfficiency, tt.wantEfficiency, c.File)
			}
			// Rules the file leaves out keep their defaults.
			if c.HighestWastedBytes != rules.Default().HighestWastedBytes ||
				c.HighestUserWastedPercent != rules.Default().HighestUserWastedPercent {
				t.Errorf("unset rules changed: %+v", c)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string) string // returns the explicit path
		wantErr string
		wantIs  error
	}{
		{
			name:    "explicit file missing",
			setup:   func(t *testing.T, dir string) string { return filepath.Join(dir, "nope.yaml") },
			wantErr: "nope.yaml",
			wantIs:  fs.ErrNotExist,
		},
		{
			name: "explicit file missing although defaults exist",
			setup: func(t *testing.T, dir string) string {
				writeFile(t, dir, rules.DiveFile, diveFile)
				return filepath.Join(dir, "nope.yaml")
			},
			wantErr: "nope.yaml",
			wantIs:  fs.ErrNotExist,
		},
		{
			name: "unreadable strata file does not fall back to dive",
			setup: func(t *testing.T, dir string) string {
				if err := os.Mkdir(filepath.Join(dir, rules.StrataFile), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, rules.DiveFile, diveFile)
				return ""
			},
			wantErr: rules.StrataFile,
		},
		{
			name: "malformed yaml",
			setup: func(t *testing.T, dir string) string {
				writeFile(t, dir, rules.DiveFile, "rules: [\n")
				return ""
			},
			wantErr: "parsing rules file",
		},
		{
			name: "top level is a list",
			setup: func(t *testing.T, dir string) string {
				writeFile(t, dir, rules.DiveFile, "- lowestEfficiency\n")
				return ""
			},
			wantErr: "top level is not a mapping",
		},
		{
			name: "rules is a list",
			setup: func(t *testing.T, dir string) string {
				writeFile(t, dir, rules.DiveFile, "rules:\n  - lowestEfficiency: 0.5\n")
				return ""
			},
			wantErr: "rules is not a mapping",
		},
		{
			name: "duplicate rule",
			setup: func(t *testing.T, dir string) string {
				writeFile(t, dir, rules.DiveFile, "rules:\n  lowestEfficiency: 0.5\n  lowestEfficiency: 0.6\n")
				return ""
			},
			wantErr: `duplicate key "rules.lowestEfficiency"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			explicitPath := tt.setup(t, dir)
			_, _, err := rules.Load(explicitPath, dir)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q is not %v", err, tt.wantIs)
			}
		})
	}
}

func TestLoadValues(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string // the rules: entries
		check func(t *testing.T, c rules.Config)
	}{
		{
			name: "numbers and strings",
			yaml: "lowestEfficiency: \"0.8\"\n  highestWastedBytes: 1048576\n  highestUserWastedPercent: 0.25",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.LowestEfficiency, rules.Threshold{Ratio: 0.8, Raw: "0.8"})
				wantThreshold(t, c.HighestWastedBytes, rules.Threshold{Bytes: 1048576, Raw: "1048576"})
				wantThreshold(t, c.HighestUserWastedPercent, rules.Threshold{Ratio: 0.25, Raw: "0.25"})
			},
		},
		{
			name: "human sizes",
			yaml: "highestWastedBytes: 1.5 GiB",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.HighestWastedBytes, rules.Threshold{Bytes: 1610612736, Raw: "1.5 GiB"})
			},
		},
		{
			name: "SI megabytes",
			yaml: "highestWastedBytes: 20MB",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.HighestWastedBytes, rules.Threshold{Bytes: 20_000_000, Raw: "20MB"})
			},
		},
		{
			name: "bounds are allowed",
			yaml: "lowestEfficiency: 1\n  highestWastedBytes: 0\n  highestUserWastedPercent: 0",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.LowestEfficiency, rules.Threshold{Ratio: 1, Raw: "1"})
				wantThreshold(t, c.HighestWastedBytes, rules.Threshold{Bytes: 0, Raw: "0"})
				wantThreshold(t, c.HighestUserWastedPercent, rules.Threshold{Ratio: 0, Raw: "0"})
			},
		},
		{
			name: "disabled and off in any case",
			yaml: "lowestEfficiency: disabled\n  highestWastedBytes: \"OFF\"\n  highestUserWastedPercent: Off",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.LowestEfficiency, rules.Threshold{Disabled: true, Raw: "disabled"})
				wantThreshold(t, c.HighestWastedBytes, rules.Threshold{Disabled: true, Raw: "OFF"})
				wantThreshold(t, c.HighestUserWastedPercent, rules.Threshold{Disabled: true, Raw: "Off"})
			},
		},
		{
			name: "Disabled",
			yaml: "highestUserWastedPercent: Disabled",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.HighestUserWastedPercent, rules.Threshold{Disabled: true, Raw: "Disabled"})
			},
		},
		{
			name: "alias",
			yaml: "lowestEfficiency: &x 0.75\n  highestUserWastedPercent: *x",
			check: func(t *testing.T, c rules.Config) {
				wantThreshold(t, c.LowestEfficiency, rules.Threshold{Ratio: 0.75, Raw: "0.75"})
				wantThreshold(t, c.HighestUserWastedPercent, rules.Threshold{Ratio: 0.75, Raw: "0.75"})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, rules.StrataFile, "rules:\n  "+tt.yaml+"\n")
			c, warnings, err := rules.Load("", dir)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings = %q, want none", warnings)
			}
			for _, th := range []*rules.Threshold{&c.LowestEfficiency, &c.HighestWastedBytes, &c.HighestUserWastedPercent} {
				if th.Source == path {
					th.Source = "" // wantThreshold compares without the source
				}
			}
			tt.check(t, c)
		})
	}
}

func wantThreshold(t *testing.T, got, want rules.Threshold) {
	t.Helper()
	if got != want {
		t.Errorf("threshold = %+v, want %+v", got, want)
	}
}

func TestLoadEmptyFiles(t *testing.T) {
	for _, content := range []string{"", "---\n", "# only a comment\n", "rules:\n", "rules: {}\n"} {
		dir := t.TempDir()
		path := writeFile(t, dir, rules.DiveFile, content)
		c, warnings, err := rules.Load("", dir)
		if err != nil {
			t.Fatalf("Load(%q): %v", content, err)
		}
		want := rules.Default()
		want.File = path
		if !reflect.DeepEqual(c, want) {
			t.Errorf("Load(%q) = %+v, want defaults from %s", content, c, path)
		}
		if len(warnings) != 0 {
			t.Errorf("Load(%q) warnings = %q, want none", content, warnings)
		}
	}
}

func TestLoadDiffSectionIsSilent(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, rules.StrataFile, `rules:
  lowestEfficiency: 0.5
diff:
  ignore:
    - /var/cache
  whatever: true
`)
	c, warnings, err := rules.Load("", dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings = %q, want none", warnings)
	}
	if c.LowestEfficiency.Ratio != 0.5 {
		t.Errorf("lowestEfficiency = %v, want 0.5", c.LowestEfficiency.Ratio)
	}
}

func TestLoadBadValues(t *testing.T) {
	tests := []struct {
		rule, value string
		wantValue   string // as reported in the error
		wantReason  string
	}{
		{rule: "lowestEfficiency", value: "1.5", wantValue: "1.5", wantReason: "must be between 0 and 1"},
		{rule: "lowestEfficiency", value: "-0.1", wantValue: "-0.1", wantReason: "must be between 0 and 1"},
		{rule: "lowestEfficiency", value: "abc", wantValue: "abc", wantReason: "not a number"},
		{rule: "lowestEfficiency", value: "90%", wantValue: "90%", wantReason: "not a number"},
		{rule: "lowestEfficiency", value: ".nan", wantValue: ".nan", wantReason: "not a number"},
		{rule: "lowestEfficiency", value: "NaN", wantValue: "NaN", wantReason: "must be between 0 and 1"},
		{rule: "lowestEfficiency", value: "1e400", wantValue: "1e400", wantReason: "must be between 0 and 1"},
		{rule: "lowestEfficiency", value: "true", wantValue: "true", wantReason: "not a number"},
		{rule: "lowestEfficiency", value: "", wantValue: "", wantReason: "value is empty"},
		{rule: "lowestEfficiency", value: `""`, wantValue: "", wantReason: "value is empty"},
		{rule: "lowestEfficiency", value: "[0.5]", wantValue: "", wantReason: "expected a number or a string"},
		{rule: "highestWastedBytes", value: "-5", wantValue: "-5", wantReason: "must not be negative"},
		{rule: "highestWastedBytes", value: "-5MB", wantValue: "-5MB", wantReason: "must not be negative"},
		{rule: "highestWastedBytes", value: "20XB", wantValue: "20XB", wantReason: "not a size"},
		{rule: "highestWastedBytes", value: "lots", wantValue: "lots", wantReason: "not a size"},
		{rule: "highestWastedBytes", value: "99999999999 EB", wantValue: "99999999999 EB", wantReason: "not a size"},
		{rule: "highestUserWastedPercent", value: "-0.1", wantValue: "-0.1", wantReason: "must be between 0 and 1"},
		{rule: "highestUserWastedPercent", value: "1.01", wantValue: "1.01", wantReason: "must be between 0 and 1"},
		{rule: "highestUserWastedPercent", value: "ten", wantValue: "ten", wantReason: "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.rule+"="+tt.value, func(t *testing.T) {
			dir := t.TempDir()
			path := writeFile(t, dir, rules.DiveFile, "rules:\n  other: 1\n  "+tt.rule+": "+tt.value+"\n")
			_, _, err := rules.Load("", dir)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			var ve *rules.ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("error %q is not a *ValueError", err)
			}
			wantValue := tt.wantValue
			if ve.File != path || ve.Line != 3 || ve.Rule != tt.rule || ve.Value != wantValue {
				t.Errorf("ValueError = %+v, want file %s line 3 rule %s value %q", ve, path, tt.rule, wantValue)
			}
			msg := err.Error()
			for _, want := range []string{path + ":3: ", "rule " + tt.rule, `"` + wantValue + `"`, tt.wantReason} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

func TestOverride(t *testing.T) {
	tests := []struct {
		name, value string
		get         func(rules.Config) rules.Threshold
		want        rules.Threshold
	}{
		{
			name: "lowest-efficiency", value: "0.8",
			get:  func(c rules.Config) rules.Threshold { return c.LowestEfficiency },
			want: rules.Threshold{Ratio: 0.8, Raw: "0.8", Source: rules.SourceOverride},
		},
		{
			name: "lowestEfficiency", value: "1",
			get:  func(c rules.Config) rules.Threshold { return c.LowestEfficiency },
			want: rules.Threshold{Ratio: 1, Raw: "1", Source: rules.SourceOverride},
		},
		{
			name: "highest-wasted-bytes", value: "20MB",
			get:  func(c rules.Config) rules.Threshold { return c.HighestWastedBytes },
			want: rules.Threshold{Bytes: 20_000_000, Raw: "20MB", Source: rules.SourceOverride},
		},
		{
			name: "highestWastedBytes", value: "512",
			get:  func(c rules.Config) rules.Threshold { return c.HighestWastedBytes },
			want: rules.Threshold{Bytes: 512, Raw: "512", Source: rules.SourceOverride},
		},
		{
			name: "highest-user-wasted-percent", value: "off",
			get:  func(c rules.Config) rules.Threshold { return c.HighestUserWastedPercent },
			want: rules.Threshold{Disabled: true, Raw: "off", Source: rules.SourceOverride},
		},
		{
			name: "highestUserWastedPercent", value: " 0.3 ",
			get:  func(c rules.Config) rules.Threshold { return c.HighestUserWastedPercent },
			want: rules.Threshold{Ratio: 0.3, Raw: "0.3", Source: rules.SourceOverride},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, rules.DiveFile, diveFile)
			c, _, err := rules.Load("", dir)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			before := c
			if err := c.Override(tt.name, tt.value); err != nil {
				t.Fatalf("Override: %v", err)
			}
			if got := tt.get(c); got != tt.want {
				t.Errorf("threshold = %+v, want %+v", got, tt.want)
			}
			// Every other rule keeps the file's value.
			changed := 0
			for _, pair := range [][2]rules.Threshold{
				{before.LowestEfficiency, c.LowestEfficiency},
				{before.HighestWastedBytes, c.HighestWastedBytes},
				{before.HighestUserWastedPercent, c.HighestUserWastedPercent},
			} {
				if pair[0] != pair[1] {
					changed++
				}
			}
			if changed != 1 || c.File != before.File {
				t.Errorf("Override changed %d thresholds (file %q -> %q), want exactly 1", changed, before.File, c.File)
			}
		})
	}
}

func TestOverrideErrors(t *testing.T) {
	tests := []struct {
		name, value string
		wantErr     []string
		wantValue   bool // a *ValueError
	}{
		{name: "lowest-efficiency", value: "2", wantErr: []string{"lowestEfficiency", `"2"`, "between 0 and 1"}, wantValue: true},
		{name: "highest-wasted-bytes", value: "-1", wantErr: []string{"highestWastedBytes", `"-1"`, "negative"}, wantValue: true},
		{name: "highest-user-wasted-percent", value: "", wantErr: []string{"highestUserWastedPercent", "empty"}, wantValue: true},
		{name: "largest-layer", value: "1", wantErr: []string{`"largest-layer"`, "unknown rule"}},
		{name: "LowestEfficiency", value: "0.5", wantErr: []string{`"LowestEfficiency"`, "unknown rule"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			c := rules.Default()
			err := c.Override(tt.name, tt.value)
			if err == nil {
				t.Fatal("Override succeeded, want an error")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			var ve *rules.ValueError
			if got := errors.As(err, &ve); got != tt.wantValue {
				t.Errorf("errors.As(%q, *ValueError) = %v, want %v", err, got, tt.wantValue)
			}
			if !reflect.DeepEqual(c, rules.Default()) {
				t.Errorf("failed Override changed the config: %+v", c)
			}
		})
	}
}
