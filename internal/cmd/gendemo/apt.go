package main

import (
	"github.com/strata-dev/strata/internal/imagetest"
)

// aptList is one file apt-get update leaves in /var/lib/apt/lists.
type aptList struct {
	name  string
	entry imagetest.Entry
}

// aptLists are the package indexes apt-get update downloads.
func aptLists() []aptList {
	const dir = "var/lib/apt/lists/"
	list := func(name string, e imagetest.Entry) aptList {
		e.Path = dir + name
		return aptList{name: name, entry: e}
	}
	return []aptList{
		list("auxfiles", imagetest.Dir("")),
		list("deb.debian.org_debian-security_dists_bookworm-security_InRelease",
			imagetest.Reg("", inRelease("bookworm-security", 40))),
		list("deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4",
			imagetest.Entry{Size: 61_000}),
		list("deb.debian.org_debian_dists_bookworm-updates_InRelease",
			imagetest.Reg("", inRelease("bookworm-updates", 30))),
		list("deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.lz4",
			imagetest.Entry{Size: 4_800}),
		list("deb.debian.org_debian_dists_bookworm_InRelease",
			imagetest.Reg("", inRelease("bookworm", 150))),
		list("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
			imagetest.Entry{Size: 214_000}),
		list("lock", imagetest.Reg("", "").WithMode(0o640)),
		list("partial", imagetest.Dir("").WithMode(0o700).WithOwner(42, 0)),
	}
}

// aptInstall is the layer of `apt-get update && apt-get install -y curl`.
func aptInstall() []imagetest.Entry {
	const lib = "usr/lib/x86_64-linux-gnu/"
	pkgs := append(basePackages(), "ca-certificates", "curl", "libcurl4", "libnghttp2-14", "libssl3")
	e := []imagetest.Entry{
		imagetest.Dir("etc/"),
		imagetest.Entry{Path: "etc/ld.so.cache", Size: 9_400},
		imagetest.Dir("etc/ssl/"),
		imagetest.Dir("etc/ssl/certs/"),
		imagetest.Reg("etc/ssl/certs/ca-certificates.crt", pem("ca-certificates", 60)),
		imagetest.Dir("usr/"),
		imagetest.Dir("usr/bin/"),
		elf("usr/bin/curl", 74_000),
		imagetest.Dir("usr/lib/"),
		imagetest.Dir(lib),
		elf(lib+"libcurl.so.4.8.0", 157_000),
		imagetest.Symlink(lib+"libcurl.so.4", "libcurl.so.4.8.0"),
		elf(lib+"libnghttp2.so.14.24.1", 46_000),
		imagetest.Symlink(lib+"libnghttp2.so.14", "libnghttp2.so.14.24.1"),
		elf(lib+"libssl.so.3", 121_000),
		imagetest.Dir("usr/share/"),
		imagetest.Dir("usr/share/doc/"),
	}
	for i, pkg := range pkgs[len(basePackages()):] {
		e = append(e,
			imagetest.Dir("usr/share/doc/"+pkg+"/"),
			gz("usr/share/doc/"+pkg+"/changelog.Debian.gz", int64(2200+i*900)),
			copyright(pkg, 900+i*200),
		)
	}
	e = append(e,
		imagetest.Dir("var/"),
		imagetest.Dir("var/cache/"),
		imagetest.Dir("var/cache/apt/"),
		imagetest.Entry{Path: "var/cache/apt/pkgcache.bin", Size: 38_000},
		imagetest.Entry{Path: "var/cache/apt/srcpkgcache.bin", Size: 36_500},
		imagetest.Dir("var/lib/"),
		imagetest.Dir("var/lib/apt/"),
		imagetest.Dir("var/lib/apt/lists/"),
	)
	for _, l := range aptLists() {
		e = append(e, l.entry)
	}
	e = append(e,
		imagetest.Dir("var/lib/dpkg/"),
		imagetest.Reg("var/lib/dpkg/status", dpkgStatus(pkgs...)),
		imagetest.Dir("var/log/"),
		imagetest.Dir("var/log/apt/"),
		imagetest.Reg("var/log/apt/history.log", "Start-Date: 2024-01-01  00:03:00\n"+
			"Commandline: apt-get install -y curl\nInstall: curl:amd64 (7.88.1-10), libcurl4:amd64 (7.88.1-10)\n"+
			"End-Date: 2024-01-01  00:03:04\n").WithMode(0o600),
		imagetest.Reg("var/log/dpkg.log", prose("dpkg.log", 3_000)),
	)
	return e
}

// aptCleanup is the layer of `rm -rf /var/lib/apt/lists/*`: one whiteout
// per removed list, leaving the bytes above as wasted space.
func aptCleanup() []imagetest.Entry {
	e := []imagetest.Entry{
		imagetest.Dir("var/"),
		imagetest.Dir("var/lib/"),
		imagetest.Dir("var/lib/apt/"),
		imagetest.Dir("var/lib/apt/lists/"),
	}
	for _, l := range aptLists() {
		e = append(e, imagetest.Whiteout("var/lib/apt/lists/"+l.name))
	}
	return e
}
