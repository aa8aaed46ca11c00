package main

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layercache"
	"github.com/strata-dev/strata/analyze/saved"
	"github.com/strata-dev/strata/source"
)

// openCache opens the layer cache, unless --no-cache or there is no home
// to keep it in; a cache that cannot be opened is a warning, not an
// error: strata reads the layers instead.
func openCache(env *environment, noCache bool) *layercache.Cache {
	if noCache || env.getenv("STRATA_NO_CACHE") != "" {
		return nil
	}
	dir, err := layercache.Dir(env.getenv)
	if err != nil {
		return nil
	}
	c, err := layercache.Open(dir)
	if err != nil {
		warn(env.stderr, "not using the layer cache: %v", err)
		return nil
	}
	return c
}

// savedSource is the kind of source a saved analysis records: the one it
// was saved from, whatever opened it this time.
func savedSource(img *source.Image) string {
	return strings.TrimPrefix(string(img.Kind), "saved ")
}

// openSaved opens a saved analysis as an image, with the cache that holds
// its layers.
func openSaved(path string) (*source.Image, analyze.LayerCache, error) {
	s, err := saved.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	platform, _ := source.ParsePlatform(s.Meta.Platform)
	img := &source.Image{Image: s, Reference: s.Meta.Reference, Kind: source.Kind("saved " + s.Meta.Source), Platform: platform}
	return img, s.Cache(), nil
}

func newCacheCmd(env *environment) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Manage the layer cache",
		Long: `strata keeps each layer it analyses — its paths, sizes, modes, owners and
content hashes, never file contents — in a cache by diffID, under
$XDG_CACHE_HOME/strata/layers (else ~/.cache/strata/layers), so that it reads
no layer twice: a second look at an image, a rebuild, or a diff of two
versions reads only the layers it has not seen. The cache stays under 2 GiB,
dropping the layers used least recently. --no-cache (or STRATA_NO_CACHE=1)
reads every layer and keeps none.`,
	}
	var max string
	prune := &cobra.Command{
		Use:   "prune",
		Short: "Remove cached layers, the least recently used first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			limit := uint64(0)
			if max != "" {
				n, err := humanize.ParseBytes(max)
				if err != nil {
					return errUsage(fmt.Sprintf("--max %q is not a size (like 500MB)", max))
				}
				limit = n
			}
			dir, err := layercache.Dir(env.getenv)
			if err != nil {
				return err
			}
			c, err := layercache.Open(dir)
			if err != nil {
				return err
			}
			n, freed, err := c.Prune(int64(limit))
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "removed %d cached %s (%s) from %s\n", n, plural(n, "layer", "layers"), humanize.Bytes(uint64(freed)), dir)
			return nil
		},
	}
	prune.Flags().StringVar(&max, "max", "", "keep up to this `SIZE` of the most recently used layers (default: remove them all)")
	dir := &cobra.Command{
		Use:   "dir",
		Short: "Print the cache directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := layercache.Dir(env.getenv)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(env.stdout, d)
			return err
		},
	}
	cmd.AddCommand(prune, dir)
	return cmd
}
