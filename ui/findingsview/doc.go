// Package findingsview is inspect's Findings overlay: every finding of
// analyze/findings, largest first, drawn over the panes (severity, bytes,
// kind, title), and under them the selected finding's steps, fix and
// paths, a secret with its kind and fingerprint only (the findings never
// hold a value). Its keys come before the global ones while it is open;
// enter asks the parent to jump to the finding: the layer of its step and
// its first path in the file tree (see Target).
package findingsview
