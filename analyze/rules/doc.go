// Package rules is the CI gate of `strata inspect --ci` and `strata diff --ci`.
//
// It loads pass/fail thresholds from a rules file (strata's .strata-ci.yaml
// or dive's .dive-ci, read unchanged), lets command-line flags override
// them, evaluates them against the metrics of an analysed image, and writes
// the outcome as plain text or JUnit XML.
//
// There are three rules, evaluated in this order:
//
//   - lowestEfficiency (default 0.9): fails when the image efficiency is
//     below the threshold.
//   - highestWastedBytes (default disabled): fails when the wasted bytes
//     exceed the threshold. Thresholds are sizes as go-humanize parses them
//     ("20MB", "20Mb", "1.5 GiB"); a plain integer is a number of bytes.
//   - highestUserWastedPercent (default 0.1): fails when the wasted bytes,
//     as a fraction of the bytes added by user layers, exceed the threshold.
//
// A threshold of "disabled" or "off" (in any case) skips its rule.
//
// The comparisons match dive's runtime/ci/rule.go exactly, and all three are
// strict, so a metric exactly equal to its threshold passes:
//
//	lowestEfficiency          FAIL if Efficiency < threshold
//	highestWastedBytes        FAIL if WastedBytes > threshold
//	highestUserWastedPercent  FAIL if UserWastedPercent > threshold
//
// dive's sample .dive-ci says highestWastedBytes fails at "at least X" and
// highestUserWastedPercent fails when "the threshold is met or crossed".
// dive's code does not do that, and strata follows the code, so a file gives
// the same verdict under both tools. Like dive, strata accepts both ratio
// thresholds only between 0 and 1.
//
// `strata diff --ci` has rules of its own, in the diff: section of the same
// file ([LoadDiff], [EvaluateDiff]): highestSizeIncrease (a size, or a
// percentage of image A's size such as "5%"), highestNewLayerBytes (the
// compressed size of B's layers that A lacks) and lowestEfficiency, applied
// to image B and taken from the rules: section when diff: leaves it out,
// then, when the packages were compared, noNewPackages (true: fail when B
// has a package A lacks) and highestPackageSizeIncrease (a size: fail when
// one package grew by more, an added one counting whole). All but
// lowestEfficiency are disabled unless configured; each fails when its
// value is above (lowestEfficiency: below) the threshold.
//
// The package knows nothing about images: the caller fills in [Metrics]
// and [DiffMetrics].
package rules
