package packages_test

import (
	"os"
	"testing"

	"github.com/strata-dev/strata/analyze/packages"
	"github.com/strata-dev/strata/internal/imagetest"
)

func apkEntry(name, version, origin string, files ...string) string {
	s := "C:Q1abc=\nP:" + name + "\nV:" + version + "\nA:x86_64\nS:1000\nI:2000\nT:test\no:" + origin + "\n"
	dir := ""
	for _, f := range files {
		d, base := f[:lastSlash(f)], f[lastSlash(f)+1:]
		if d != dir {
			s += "F:" + d + "\n"
			dir = d
		}
		s += "R:" + base + "\na:0:0:755\nZ:Q1xyz=\n"
	}
	return s + "\n"
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

func TestAlpine(t *testing.T) {
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "ADD alpine-minirootfs.tar.gz /", Entries: []imagetest.Entry{
			imagetest.Reg("lib/ld-musl-x86_64.so.1", bytesOf(600, "m")),
			imagetest.Reg("bin/busybox", bytesOf(800, "b")),
			imagetest.Reg("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n"),
			imagetest.Reg("lib/apk/db/installed", apkEntry("musl", "1.2.5-r0", "musl", "lib/ld-musl-x86_64.so.1")+
				apkEntry("busybox", "1.36.1-r29", "busybox", "bin/busybox")),
		}},
		{CreatedBy: "RUN apk upgrade musl && apk del busybox && apk add zlib", Entries: []imagetest.Entry{
			imagetest.Reg("lib/ld-musl-x86_64.so.1", bytesOf(610, "M")),
			imagetest.Whiteout("bin/busybox"),
			imagetest.Reg("usr/lib/libz.so.1.3.1", bytesOf(100, "z")),
			imagetest.Symlink("usr/lib/libz.so.1", "libz.so.1.3.1"),
			imagetest.Reg("lib/apk/db/installed", apkEntry("musl", "1.2.5-r1", "musl", "lib/ld-musl-x86_64.so.1")+
				apkEntry("zlib", "1.3.1-r1", "zlib", "usr/lib/libz.so.1", "usr/lib/libz.so.1.3.1")),
		}},
	})
	same(t, "packages", lines(r), []string{
		"apk busybox 1.36.1-r29 x86_64 /lib/apk/db/installed 800/1 [0:added→1.36.1-r29(800/1), 1:removed 1.36.1-r29(800/1)] REMOVED",
		"apk musl 1.2.5-r1 x86_64 /lib/apk/db/installed 610/1 [0:added→1.2.5-r0(600/1), 1:upgraded 1.2.5-r0→1.2.5-r1(610/1)]",
		"apk zlib 1.3.1-r1 x86_64 /lib/apk/db/installed 100/2 [1:added→1.3.1-r1(100/2)]",
	})
	if d := r.Summary.Distro; d == nil || d.ID != "alpine" || d.VersionID != "3.20.3" {
		t.Errorf("distro: %+v", d)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRPM reads real sqlite databases (testdata/rpm/make-sqlite.sh): an
// upgrade and an erase in the second layer.
func TestRPM(t *testing.T) {
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "ADD fedora-rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Reg("usr/share/strata-hello/hello.txt", "hello 1.0\n"),
			imagetest.Reg("usr/share/strata-world/hello.txt", "world 2.0\n"), // the spec names it so
			imagetest.Reg("usr/lib/sysimage/rpm/rpmdb.sqlite", readFile(t, "testdata/rpm/sqlite-1/rpmdb.sqlite")),
			imagetest.Symlink("var/lib/rpm", "../../usr/lib/sysimage/rpm"),
		}},
		{CreatedBy: "RUN dnf upgrade -y strata-hello && dnf remove -y strata-world", Entries: []imagetest.Entry{
			imagetest.Reg("usr/share/strata-hello/hello.txt", "hello 1.1\n"),
			imagetest.Whiteout("usr/share/strata-world"),
			imagetest.Reg("usr/lib/sysimage/rpm/rpmdb.sqlite", readFile(t, "testdata/rpm/sqlite-2/rpmdb.sqlite")),
		}},
	})
	same(t, "packages", lines(r), []string{
		"rpm strata-hello 1.1-1 noarch /usr/lib/sysimage/rpm/rpmdb.sqlite 10/1 [0:added→1.0-1(10/1), 1:upgraded 1.0-1→1.1-1(10/1)]",
		"rpm strata-world 2.0-1 noarch /usr/lib/sysimage/rpm/rpmdb.sqlite 10/1 [0:added→2.0-1(10/1), 1:removed 2.0-1(10/1)] REMOVED",
	})
	for _, p := range r.Packages {
		if p.Source != p.Name+"-"+p.Version+".src.rpm" {
			t.Errorf("%s: source rpm %q", p.Name, p.Source)
		}
	}
}

// TestRPMBerkeleyAndNDB reads the Berkeley DB and ndb databases go-rpmdb
// tests with.
func TestRPMBerkeleyAndNDB(t *testing.T) {
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "ADD centos-rootfs.tar /", Entries: []imagetest.Entry{
			imagetest.Reg("var/lib/rpm/Packages", readFile(t, "testdata/rpm/bdb/Packages")),
			imagetest.Reg("usr/lib64/libuuid.so.1.3.0", bytesOf(20, "u")),
		}},
		{CreatedBy: "ADD sle-rootfs.tar /opt/sle", Entries: []imagetest.Entry{
			imagetest.Reg("opt/sle/usr/lib/sysimage/rpm/Packages.db", readFile(t, "testdata/rpm/ndb/Packages.db")),
		}},
	})
	counts := map[string]int{}
	for _, p := range r.Packages {
		counts[p.Location]++
		if p.Name == "libuuid" && (p.Version != "2.32.1-42.el8_8" || p.Arch != "x86_64" || p.SizeBytes != 20 || p.FileCount != 1 || p.Layer != 0) {
			t.Errorf("libuuid: %s", line(p))
		}
		if p.Name == "glibc" && (p.Version != "2.31-9.3.2" || p.Layer != 1) {
			t.Errorf("glibc: %s", line(p))
		}
	}
	if counts["/var/lib/rpm/Packages"] != 1 || counts["/opt/sle/usr/lib/sysimage/rpm/Packages.db"] != 35 {
		t.Errorf("packages per database: %v", counts)
	}
	if len(r.Summary.Warnings) != 0 {
		t.Errorf("warnings: %v", r.Summary.Warnings)
	}
}

func TestPython(t *testing.T) {
	site := "usr/local/lib/python3.11/site-packages/"
	venv := "opt/venv/lib/python3.11/site-packages/"
	metadata := func(name, version string) string {
		return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\nSummary: test\n\nA long description.\nName: not-this\n"
	}
	record := func(files ...string) string {
		s := ""
		for _, f := range files {
			s += f + ",sha256=abc,10\n"
		}
		return s
	}
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "RUN pip install requests==2.31.0 Flask_Login", Entries: []imagetest.Entry{
			imagetest.Reg(site+"requests/__init__.py", bytesOf(400, "r")),
			imagetest.Reg(site+"requests/api.py", bytesOf(200, "a")),
			imagetest.Reg(site+"requests-2.31.0.dist-info/METADATA", metadata("requests", "2.31.0")),
			imagetest.Reg(site+"requests-2.31.0.dist-info/RECORD", record("requests/__init__.py", "requests/api.py",
				"requests-2.31.0.dist-info/METADATA", "requests-2.31.0.dist-info/RECORD", "../../../bin/requests-cli")),
			imagetest.Reg("usr/local/bin/requests-cli", bytesOf(30, "b")),
			imagetest.Reg(site+"Flask_Login-0.6.3.egg-info/PKG-INFO", metadata("Flask-Login", "0.6.3")),
			imagetest.Reg(site+"Flask_Login-0.6.3.egg-info/installed-files.txt", "../flask_login/__init__.py\nPKG-INFO\n"),
			imagetest.Reg(site+"flask_login/__init__.py", bytesOf(90, "f")),
			imagetest.Reg(site+"six-1.16.0.egg-info", metadata("six", "1.16.0")),
		}},
		{CreatedBy: "RUN python -m venv /opt/venv && /opt/venv/bin/pip install requests==2.32.3 attrs", Entries: []imagetest.Entry{
			imagetest.Reg(venv+"requests/__init__.py", bytesOf(410, "R")),
			imagetest.Reg(venv+"requests-2.32.3.dist-info/METADATA", metadata("requests", "2.32.3")),
			imagetest.Reg(venv+"attrs-23.2.0.dist-info/METADATA", metadata("attrs", "23.2.0")),
			imagetest.Reg(venv+"attrs-23.2.0.dist-info/licenses/LICENSE", bytesOf(60, "l")),
		}},
		{CreatedBy: "RUN pip install --upgrade requests==2.32.3", Entries: []imagetest.Entry{
			imagetest.Whiteout(site + "requests-2.31.0.dist-info"),
			imagetest.Reg(site+"requests/__init__.py", bytesOf(410, "R")),
			imagetest.Reg(site+"requests-2.32.3.dist-info/METADATA", metadata("requests", "2.32.3")),
			imagetest.Reg(site+"requests-2.32.3.dist-info/RECORD", record("requests/__init__.py", "requests/api.py",
				"requests-2.32.3.dist-info/METADATA", "requests-2.32.3.dist-info/RECORD")),
		}},
	})
	m1, m2 := int64(len(metadata("requests", "2.31.0"))), int64(len(metadata("requests", "2.32.3")))
	rec1 := int64(len(record("requests/__init__.py", "requests/api.py", "requests-2.31.0.dist-info/METADATA",
		"requests-2.31.0.dist-info/RECORD", "../../../bin/requests-cli")))
	rec2 := int64(len(record("requests/__init__.py", "requests/api.py", "requests-2.32.3.dist-info/METADATA", "requests-2.32.3.dist-info/RECORD")))
	attrs := int64(len(metadata("attrs", "23.2.0")))
	flask := int64(len(metadata("Flask-Login", "0.6.3")))
	six := int64(len(metadata("six", "1.16.0")))
	s, v := "/"+site, "/"+venv
	same(t, "packages", lines(r), []string{
		"python Flask-Login 0.6.3  " + s + "Flask_Login-0.6.3.egg-info " + itoa(90+flask) + "/2 [0:added→0.6.3(" + itoa(90+flask) + "/2)]",
		"python attrs 23.2.0  " + v + "attrs-23.2.0.dist-info " + itoa(60+attrs) + "/2 [1:added→23.2.0(" + itoa(60+attrs) + "/2)]",
		"python requests 2.32.3  " + v + "requests-2.32.3.dist-info " + itoa(m2) + "/1 [1:added→2.32.3(" + itoa(m2) + "/1)]",
		"python requests 2.32.3  " + s + "requests-2.32.3.dist-info " + itoa(410+200+m2+rec2) + "/4 [0:added→2.31.0(" + itoa(400+200+m1+rec1+30) + "/5), 2:upgraded 2.31.0→2.32.3(" + itoa(410+200+m2+rec2) + "/4)]",
		"python six 1.16.0  " + s + "six-1.16.0.egg-info " + itoa(six) + "/1 [0:added→1.16.0(" + itoa(six) + "/1)]",
	})
}

func TestNpm(t *testing.T) {
	nm := "app/node_modules/"
	pj := func(name, version string) string {
		return `{"name": "` + name + `", "description": "x", "version": "` + version + `", "dependencies": {"a": "1"}}`
	}
	_, r := analyzed(t, []imagetest.Step{
		{CreatedBy: "RUN npm ci", Entries: []imagetest.Entry{
			imagetest.Reg("app/package.json", pj("app", "1.0.0")),
			imagetest.Reg(nm+"left-pad/package.json", pj("left-pad", "1.3.0")),
			imagetest.Reg(nm+"left-pad/index.js", bytesOf(100, "l")),
			imagetest.Reg(nm+"left-pad/lib/package.json", pj("not-a-package", "0.0.1")),
			imagetest.Reg(nm+"@scope/util/package.json", pj("@scope/util", "2.0.0-beta.1")),
			imagetest.Reg(nm+"@scope/util/node_modules/left-pad/package.json", pj("left-pad", "1.1.0")),
			imagetest.Reg(nm+"@scope/util/node_modules/left-pad/index.js", bytesOf(80, "L")),
			imagetest.Reg(nm+".bin/x", "#!/bin/sh\n"),
		}},
		{CreatedBy: "RUN npm install left-pad@1.2.0", Entries: []imagetest.Entry{
			imagetest.Reg(nm+"left-pad/package.json", pj("left-pad", "1.2.0")),
		}},
	})
	lp, lp2, util, lp1 := int64(len(pj("left-pad", "1.2.0"))), int64(len(pj("left-pad", "1.3.0"))), int64(len(pj("@scope/util", "2.0.0-beta.1"))), int64(len(pj("left-pad", "1.1.0")))
	nested := int64(len(pj("not-a-package", "0.0.1")))
	same(t, "packages", lines(r), []string{
		"npm @scope/util 2.0.0-beta.1  /" + nm + "@scope/util " + itoa(util) + "/1 [0:added→2.0.0-beta.1(" + itoa(util) + "/1)]",
		"npm left-pad 1.1.0  /" + nm + "@scope/util/node_modules/left-pad " + itoa(80+lp1) + "/2 [0:added→1.1.0(" + itoa(80+lp1) + "/2)]",
		"npm left-pad 1.2.0  /" + nm + "left-pad " + itoa(100+lp+nested) + "/3 [0:added→1.3.0(" + itoa(100+lp2+nested) + "/3), 1:downgraded 1.3.0→1.2.0(" + itoa(100+lp+nested) + "/3)]",
	})
	if r.Summary.UnownedFileCount != 2 { // app/package.json, .bin/x
		t.Errorf("unowned: %+v", r.Summary)
	}
	_ = packages.Npm
}
