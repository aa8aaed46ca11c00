// Package metrics works out an image's efficiency figures as its layers
// are stacked: dive's efficiency score, wasted bytes, user-wasted percent
// and inefficient paths, exactly as dive defines them so that .dive-ci
// thresholds keep their meaning, and strata's own reclaimable bytes.
//
// [Efficiency.AddLayer] costs time proportional to the layer's entries;
// [Efficiency.Metrics] to the number of inefficient paths.
package metrics
