// Package rules is the CI gate of `strata inspect --ci` and `strata diff --ci`.
//
// It loads pass/fail thresholds from a rules file (strata's .strata-ci.yaml
// or dive's .dive-ci, read unchanged), lets command-line flags override
// them, evaluates them against the metrics of an analysed image, and writes
// the outcome as plain text or JUnit XML.
//
// dive's three rules are evaluated first, in this order:
//
//   - lowestEfficiency (default 0.9): fails when the image efficiency is
//     below the threshold.
//   - highestWastedBytes (default disabled): fails when the wasted bytes
//     exceed the threshold. Thresholds are sizes as go-humanize parses them
//     ("20MB", "20Mb", "1.5 GiB"); a plain integer is a number of bytes.
//   - highestUserWastedPercent (default 0.1): fails when the wasted bytes,
//     as a fraction of the bytes added by user layers, exceed the threshold.
//
// strata adds rules on the image's findings (package findings), reported
// after dive's three when they are on:
//
//   - highestImageSize (default disabled): fails when the image's size
//     exceeds the threshold, a size budget such as "500MB".
//   - highestReclaimableBytes (default disabled): fails when the bytes the
//     image ships that no container sees exceed the threshold.
//   - noHiddenSecrets (default on): fails on a hidden-secret finding, a
//     secret a later step deleted that a layer still holds. true or false.
//   - noRootUser (default off): fails when the image runs as root.
//   - failOn (default none): fails on any finding of the listed ids, or of
//     at least the listed severity ("warning" fails on warnings and
//     errors); a YAML list or a comma-separated string.
//
// A threshold of "disabled" or "off" (in any case) skips its rule.
//
// A key the file spells a few letters away from a rule (lowestEfficency,
// lowest-efficiency), or a rule put in the wrong section, is an error that
// says which rule it means: left as a warning, it would let the rule's
// default, a looser gate than the one written, apply. Other unknown keys,
// such as dive's plugins:, are only warned about.
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
// to image B and taken from the rules: section when diff: leaves it out.
// The first two are disabled unless configured; each fails when its value
// is above (lowestEfficiency: below) the threshold.
//
// The package knows nothing about images: the caller fills in [Metrics]
// and [DiffMetrics].
package rules
