// Package app is strata's root terminal model. It lays the panes out,
// moves the focus between them, loads the image progressively — the
// window shows at once with the layers and history from the config, and
// each layer's tree arrives as it is analyzed — and fans typed messages
// out to the panes.
package app
