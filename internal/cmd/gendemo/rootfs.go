package main

import "github.com/strata-dev/strata/internal/imagetest"

const (
	passwdBase = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
		"bin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n" +
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n"
	groupBase  = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\nshadow:x:42:\nstaff:x:50:\nnogroup:x:65534:\n"
	shadowBase = "root:*:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n" +
		"sys:*:19700:0:99999:7:::\nnobody:*:19700:0:99999:7:::\n_apt:*:19700:0:99999:7:::\n"
	gshadowBase = "root:*::\ndaemon:*::\nbin:*::\nsys:*::\nadm:*::\nshadow:*::\nstaff:*::\nnogroup:*::\n"
	osRelease   = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n" +
		"VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n"
	profile = "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport PS1='\\h:\\w\\$ '\numask 022\n"
)

// basePackages are the packages the base rootfs claims to hold.
func basePackages() []string {
	return []string{"base-files", "busybox", "libc6", "zlib1g", "apt", "dpkg", "debian-archive-keyring"}
}

// rootfs is the base layer: a tiny Debian-like root filesystem.
func rootfs() []imagetest.Entry {
	const lib = "usr/lib/x86_64-linux-gnu/"
	e := []imagetest.Entry{
		imagetest.Dir("bin/"),
		elf("bin/busybox", 118_000),
	}
	for _, tool := range []string{"cat", "ls", "mkdir", "rm", "sed", "sh", "tar"} {
		e = append(e, imagetest.Symlink("bin/"+tool, "busybox"))
	}
	e = append(e,
		imagetest.Hardlink("bin/mv", "bin/busybox"),
		imagetest.Dir("etc/"),
		imagetest.Dir("etc/apt/"),
		imagetest.Reg("etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm main\n"+
			"deb http://deb.debian.org/debian bookworm-updates main\n"+
			"deb http://deb.debian.org/debian-security bookworm-security main\n"),
		imagetest.Reg("etc/debian_version", "12.5\n"),
		imagetest.Reg("etc/group", groupBase),
		imagetest.Reg("etc/gshadow", gshadowBase).WithMode(0o640).WithOwner(0, 42),
		imagetest.Reg("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"),
		imagetest.Reg("etc/issue", "Debian GNU/Linux 12 \\n \\l\n\n"),
		imagetest.Symlink("etc/os-release", "../usr/lib/os-release"),
		imagetest.Reg("etc/passwd", passwdBase),
		imagetest.Reg("etc/profile", profile),
		imagetest.Reg("etc/shadow", shadowBase).WithMode(0o640).WithOwner(0, 42),
		imagetest.Dir("home/"),
		imagetest.Dir("root/").WithMode(0o700),
		imagetest.Dir("run/"),
		imagetest.Dir("tmp/").WithMode(0o1777),
		imagetest.Dir("usr/"),
		imagetest.Dir("usr/bin/"),
		elf("usr/bin/apt-get", 38_000),
		elf("usr/bin/dpkg", 31_000),
		imagetest.Symlink("usr/bin/env", "/bin/busybox"),
		imagetest.Dir("usr/lib/"),
		imagetest.Reg("usr/lib/os-release", osRelease),
		imagetest.Dir(lib),
		elf(lib+"ld-linux-x86-64.so.2", 41_000),
		elf(lib+"libapt-pkg.so.6.0.0", 84_000),
		imagetest.Symlink(lib+"libapt-pkg.so.6.0", "libapt-pkg.so.6.0.0"),
		elf(lib+"libc.so.6", 176_000),
		elf(lib+"libm.so.6", 52_000),
		elf(lib+"libz.so.1.2.13", 23_000),
		imagetest.Symlink(lib+"libz.so.1", "libz.so.1.2.13"),
		imagetest.Dir("usr/lib64/"),
		imagetest.Symlink("usr/lib64/ld-linux-x86-64.so.2", "/"+lib+"ld-linux-x86-64.so.2"),
		imagetest.Dir("usr/share/"),
		imagetest.Dir("usr/share/doc/"),
	)
	for i, pkg := range basePackages() {
		e = append(e,
			imagetest.Dir("usr/share/doc/"+pkg+"/"),
			gz("usr/share/doc/"+pkg+"/changelog.Debian.gz", int64(1500+i*1700)),
			copyright(pkg, 600+i*350),
		)
	}
	e = append(e,
		imagetest.Dir("var/"),
		imagetest.Dir("var/cache/"),
		imagetest.Dir("var/cache/apt/"),
		imagetest.Dir("var/lib/"),
		imagetest.Dir("var/lib/apt/"),
		imagetest.Dir("var/lib/apt/lists/"),
		imagetest.Dir("var/lib/dpkg/"),
		imagetest.Reg("var/lib/dpkg/status", dpkgStatus(basePackages()...)),
		imagetest.Dir("var/log/"),
		imagetest.Symlink("var/run", "/run"),
	)
	return e
}
