package rules

import "github.com/strata-dev/strata/analyze/findings"

// Metrics are the image measurements the rules are evaluated against. The
// caller computes them from its analysis.
type Metrics struct {
	// SizeBytes is the total size of all layers.
	SizeBytes uint64
	// UserSizeBytes is the size of the layers added on top of the base
	// layer.
	UserSizeBytes uint64
	// WastedBytes is the size of files that are duplicated or deleted by a
	// later layer.
	WastedBytes uint64
	// ReclaimableBytes is how much of WastedBytes could be reclaimed by
	// rebuilding the image.
	ReclaimableBytes uint64

	// Efficiency is the share of stored bytes that end up in the final
	// filesystem, between 0 and 1.
	Efficiency float64
	// UserWastedPercent is WastedBytes as a fraction of UserSizeBytes. The
	// caller should set it to 0 when UserSizeBytes is 0.
	UserWastedPercent float64

	// Findings are the image's findings, for the rules on them.
	Findings []findings.Finding

	// Signature is what checking the image's signatures found, for
	// requireSignature.
	Signature Signature
}
