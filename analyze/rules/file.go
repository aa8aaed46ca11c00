package rules

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseFile reads the YAML of a rules file: a top-level rules: map of rule
// names to thresholds (numbers or strings), and a diff: section, the rules
// of strata diff, which LoadDiff reads and parseFile skips. A key that
// misspells a known one is an error; any other key is reported in a single
// warning.
func parseFile(path string, data []byte) (Config, []string, error) {
	c := Default()
	c.File = path

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Config{}, nil, fmt.Errorf("parsing rules file %s: %w", path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = resolve(root.Content[0])
	}
	if root.Kind == 0 || root.Kind == yaml.DocumentNode || isNull(root) {
		return c, nil, nil // empty file
	}
	if root.Kind != yaml.MappingNode {
		return Config{}, nil, fmt.Errorf("parsing rules file %s: line %d: top level is not a mapping", path, root.Line)
	}

	var unknown []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], resolve(root.Content[i+1])
		if seen[key.Value] {
			return Config{}, nil, fmt.Errorf("parsing rules file %s: line %d: duplicate key %q", path, key.Line, key.Value)
		}
		seen[key.Value] = true
		switch key.Value {
		case "rules":
			ignored, err := c.applyRules(path, value)
			if err != nil {
				return Config{}, nil, err
			}
			unknown = append(unknown, ignored...)
		case "diff":
			// strata diff's rules: see LoadDiff.
		default:
			if err := unknownKey(path, key.Line, "", key.Value); err != nil {
				return Config{}, nil, err
			}
			unknown = append(unknown, key.Value)
		}
	}

	var warnings []string
	if len(unknown) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: ignoring unknown keys: %s", path, strings.Join(unknown, ", ")))
	}
	return c, warnings, nil
}

// applyRules sets the thresholds found in the rules: map and returns the
// unknown keys it ignored, as "rules.<key>". A key that misspells a rule is
// an error.
func (c *Config) applyRules(path string, m *yaml.Node) ([]string, error) {
	if isNull(m) {
		return nil, nil
	}
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("parsing rules file %s: line %d: rules is not a mapping", path, m.Line)
	}
	var unknown []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], resolve(m.Content[i+1])
		if seen[key.Value] {
			return nil, fmt.Errorf("parsing rules file %s: line %d: duplicate key \"rules.%s\"", path, key.Line, key.Value)
		}
		seen[key.Value] = true
		field := c.threshold(key.Value)
		if field == nil {
			if err := unknownKey(path, key.Line, "rules", key.Value); err != nil {
				return nil, err
			}
			unknown = append(unknown, "rules."+key.Value)
			continue
		}
		t, err := scalarThreshold(key.Value, value, path)
		if err != nil {
			return nil, &ValueError{File: path, Line: value.Line, Rule: key.Value, Value: value.Value, Err: err}
		}
		*field = t
	}
	return unknown, nil
}

// scalarThreshold parses a YAML value as the named rule's threshold.
func scalarThreshold(name string, n *yaml.Node, source string) (Threshold, error) {
	switch {
	case isNull(n):
		return Threshold{}, errors.New("value is empty")
	case n.Kind == yaml.SequenceNode && name == FailOn:
		var items []string
		for _, c := range n.Content {
			if c = resolve(c); c.Kind != yaml.ScalarNode {
				return Threshold{}, errors.New("expected a list of findings and severities")
			}
			items = append(items, c.Value)
		}
		return parseThreshold(name, strings.Join(items, ","), source)
	case n.Kind != yaml.ScalarNode:
		return Threshold{}, errors.New("expected a number or a string")
	}
	return parseThreshold(name, n.Value, source)
}

// resolve follows YAML aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}
