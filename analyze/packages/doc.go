// Package packages finds the packages an image installs and the step that
// installed, upgraded, downgraded or removed each one.
//
// An [Analyzer] is an analysis observer (analyze.WithObserver): while the
// layers are read once, it keeps the package databases and metadata files
// each layer writes — Debian's /var/lib/dpkg/status, status.d/* and
// info/*.list, Alpine's /lib/apk/db/installed, the rpm database (sqlite,
// Berkeley DB or ndb), Python's *.dist-info and *.egg-info, every
// node_modules/**/package.json — and the build information of Go
// executables (only the few regions of each ELF file that
// debug/buildinfo reads, never the whole binary). Each layer's databases
// are compared with the ones below it, so every package carries the layer
// that installed it and the later layers that changed it; versions are
// compared the way each ecosystem's tools compare them (dpkg, apk, rpm,
// PEP 440, semver).
//
// A package's size is the total size of the regular files its file list
// names, looked up in the tree (symlinked directories such as a merged
// /usr's /lib followed), or, for packages that are a directory (npm
// packages, Python packages without a RECORD), of the files below it.
// Files no package owns are counted as unowned.
package packages
