// Package config reads strata's configuration file: key bindings, theme,
// default compare mode, hidden change types, attribute columns and the
// default source.
package config
