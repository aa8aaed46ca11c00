package packages_test

import (
	"testing"

	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/internal/imagetest"
)

// debianSteps install two packages in the base layer (libc6's files through
// a merged /usr's /lib symlink), add curl, upgrade libc6, remove curl and
// downgrade base-files.
func debianSteps() []imagetest.Step {
	base := paragraph("base-files", "12.4", "amd64", installed) +
		paragraph("libc6", "2.36-9", "amd64", installed, "Multi-Arch: same", "Source: glibc") +
		paragraph("oldpkg", "1.0", "amd64", "Status: deinstall ok config-files")
	withCurl := base + paragraph("curl", "7.88.1-10", "amd64", installed)
	upgraded := paragraph("base-files", "12.4", "amd64", installed) +
		paragraph("libc6", "2.36-9+deb12u4", "amd64", installed, "Multi-Arch: same", "Source: glibc (2.36-9+deb12u4)") +
		paragraph("curl", "7.88.1-10", "amd64", installed)
	return []imagetest.Step{
		{CreatedBy: "/bin/sh -c #(nop) ADD file:rootfs in /", Entries: []imagetest.Entry{
			imagetest.Symlink("lib", "usr/lib"),
			imagetest.Reg("usr/lib/x86_64-linux-gnu/libc.so.6", bytesOf(1000, "c")),
			imagetest.Reg("usr/share/doc/libc6/copyright", bytesOf(50, "l")),
			imagetest.Reg("etc/debian_version", "12.4\n"),
			imagetest.Reg("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"),
			imagetest.Reg("app/data", bytesOf(77, "d")),
			imagetest.Reg("var/lib/dpkg/status", base),
			imagetest.Reg("var/lib/dpkg/info/base-files.list", "/.\n/etc\n/etc/debian_version\n/etc/os-release\n"),
			imagetest.Reg("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n/usr/share/doc/libc6/copyright\n"),
			imagetest.Reg("var/lib/dpkg/info/libc6:amd64.md5sums", "x  lib/x86_64-linux-gnu/libc.so.6\n"),
		}},
		{CreatedBy: "/bin/sh -c apt-get install -y curl", Entries: []imagetest.Entry{
			imagetest.Reg("usr/bin/curl", bytesOf(300, "u")),
			imagetest.Reg("var/lib/dpkg/status", withCurl),
			imagetest.Reg("var/lib/dpkg/info/curl.list", "/usr\n/usr/bin\n/usr/bin/curl\n"),
		}},
		{CreatedBy: "/bin/sh -c apt-get upgrade -y", Entries: []imagetest.Entry{
			imagetest.Reg("usr/lib/x86_64-linux-gnu/libc.so.6", bytesOf(1100, "C")),
			imagetest.Reg("var/lib/dpkg/status", upgraded),
		}},
		{CreatedBy: "/bin/sh -c apt-get purge -y curl", Entries: []imagetest.Entry{
			imagetest.Whiteout("usr/bin/curl"),
			imagetest.Whiteout("var/lib/dpkg/info/curl.list"),
			imagetest.Reg("var/lib/dpkg/status", paragraph("base-files", "12.4", "amd64", installed)+
				paragraph("libc6", "2.36-9+deb12u4", "amd64", installed, "Multi-Arch: same")),
		}},
		{CreatedBy: "/bin/sh -c apt-get install -y --allow-downgrades base-files=12.3", Entries: []imagetest.Entry{
			imagetest.Reg("etc/debian_version", "12.3\n"),
			imagetest.Reg("var/lib/dpkg/status", paragraph("base-files", "12.3", "amd64", installed)+
				paragraph("libc6", "2.36-9+deb12u4", "amd64", installed, "Multi-Arch: same")),
		}},
	}
}

func TestDebian(t *testing.T) {
	osRelease := int64(len("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"))
	_, r := analyzed(t, debianSteps())
	same(t, "packages", lines(r), []string{
		"deb base-files 12.3 amd64 /var/lib/dpkg/status " + itoa(5+osRelease) + "/2 [0:added→12.4(" + itoa(5+osRelease) + "/2), 4:downgraded 12.4→12.3(" + itoa(5+osRelease) + "/2)]",
		"deb curl 7.88.1-10 amd64 /var/lib/dpkg/status 300/1 [1:added→7.88.1-10(300/1), 3:removed 7.88.1-10(300/1)] REMOVED",
		"deb libc6 2.36-9+deb12u4 amd64 /var/lib/dpkg/status 1150/2 [0:added→2.36-9(1050/2), 2:upgraded 2.36-9→2.36-9+deb12u4(1150/2)]",
	})
	for _, p := range r.Packages {
		if p.Name == "libc6" && p.Source != "glibc" {
			t.Errorf("libc6's source is %q, want glibc", p.Source)
		}
	}
	s := r.Summary
	if s.Packages != 2 || s.SizeBytes != 1150+5+osRelease || s.FileCount != 4 || s.Ecosystems[packages.Deb] != 2 {
		t.Errorf("summary: %+v", s)
	}
	// Unowned: /app/data, the status file, the libc6 and base-files lists
	// and libc6's md5sums, as the last layers left them.
	status := int64(len(paragraph("base-files", "12.3", "amd64", installed) + paragraph("libc6", "2.36-9+deb12u4", "amd64", installed, "Multi-Arch: same")))
	lists := int64(len("/.\n/etc\n/etc/debian_version\n/etc/os-release\n") +
		len("/.\n/lib\n/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n/usr/share/doc/libc6/copyright\n") +
		len("x  lib/x86_64-linux-gnu/libc.so.6\n"))
	if s.UnownedFileCount != 5 || s.UnownedSizeBytes != 77+status+lists {
		t.Errorf("unowned: %d files, %d bytes; want 5, %d", s.UnownedFileCount, s.UnownedSizeBytes, 77+status+lists)
	}
	if s.Distro == nil || s.Distro.ID != "debian" || s.Distro.VersionID != "12" {
		t.Errorf("distro: %+v", s.Distro)
	}
	if len(s.Warnings) != 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
}

// TestDistroless reads status.d: one file per package without Status, its
// files in NAME.md5sums, as distroless images have them.
func TestDistroless(t *testing.T) {
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "bazel build //base", Entries: []imagetest.Entry{
			imagetest.Reg("usr/lib/x86_64-linux-gnu/libc.so.6", bytesOf(900, "c")),
			imagetest.Reg("etc/ssl/certs/ca-certificates.crt", bytesOf(200, "s")),
			imagetest.Reg("var/lib/dpkg/status.d/libc6", paragraph("libc6", "2.36-9+deb12u7", "amd64", "Source: glibc")),
			imagetest.Reg("var/lib/dpkg/status.d/libc6.md5sums", "0123  usr/lib/x86_64-linux-gnu/libc.so.6\n"),
			imagetest.Reg("var/lib/dpkg/status.d/ca-certificates", paragraph("ca-certificates", "20230311", "all")),
			imagetest.Reg("var/lib/dpkg/status.d/ca-certificates.md5sums", "4567  etc/ssl/certs/ca-certificates.crt\n"),
		}},
		{CreatedBy: "bazel build //app", Entries: []imagetest.Entry{
			imagetest.Whiteout("var/lib/dpkg/status.d/ca-certificates"),
			imagetest.Whiteout("var/lib/dpkg/status.d/ca-certificates.md5sums"),
			imagetest.Whiteout("etc/ssl/certs/ca-certificates.crt"),
		}},
	})
	same(t, "packages", lines(r), []string{
		"deb ca-certificates 20230311 all /var/lib/dpkg/status.d/ca-certificates 200/1 [0:added→20230311(200/1), 1:removed 20230311(200/1)] REMOVED",
		"deb libc6 2.36-9+deb12u7 amd64 /var/lib/dpkg/status.d/libc6 900/1 [0:added→2.36-9+deb12u7(900/1)]",
	})
}

// TestUnreadableDatabase keeps the packages of the layer below when a
// layer's database is over the limit, and says why.
func TestUnreadableDatabase(t *testing.T) {
	big := paragraph("curl", "7.88.1-10", "amd64", installed) + bytesOf(2000, "#")
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "base", Entries: []imagetest.Entry{imagetest.Reg("var/lib/dpkg/status", paragraph("curl", "7.88.1-9", "amd64", installed))}},
		{CreatedBy: "upgrade", Entries: []imagetest.Entry{imagetest.Reg("var/lib/dpkg/status", big)}},
	}, packages.WithMaxDatabaseSize(1000))
	same(t, "packages", lines(r), []string{"deb curl 7.88.1-9 amd64 /var/lib/dpkg/status 0/0 [0:added→7.88.1-9(0/0)]"})
	if len(r.Summary.Warnings) != 1 || !contains(r.Summary.Warnings[0], "layer 1: /var/lib/dpkg/status: ") {
		t.Errorf("warnings: %q", r.Summary.Warnings)
	}
}

// TestListNamesNotUTF8 sizes a package whose list names a file in
// Latin-1, as the tree and the tar have it: byte for byte.
func TestListNamesNotUTF8(t *testing.T) {
	name := "usr/share/doc/caf\xe9/README" // "café" in Latin-1
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "base", Entries: []imagetest.Entry{
			imagetest.Reg(name, bytesOf(123, "r")),
			imagetest.Reg("usr/bin/cafe", bytesOf(40, "b")),
			imagetest.Reg("var/lib/dpkg/status", paragraph("cafe", "1.0", "amd64", installed)),
			imagetest.Reg("var/lib/dpkg/info/cafe.list", "/usr\n/usr/bin\n/usr/bin/cafe\n/"+name+"\n"),
		}},
	})
	same(t, "packages", lines(r), []string{"deb cafe 1.0 amd64 /var/lib/dpkg/status 163/2 [0:added→1.0(163/2)]"})
}
