#!/bin/sh
# Rebuilds sqlite-1/ and sqlite-2/ with Debian's rpm (apt-get install rpm).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build() { # build NAME VERSION
  sed "s/strata-hello/$1/g; s/hello %{ver}/${1#strata-} %{ver}/" "$here/strata-hello.spec" >"$work/$1.spec"
  rpmbuild --quiet -bb --define "_topdir $work/top" --define "ver $2" "$work/$1.spec"
}
build strata-hello 1.0
build strata-hello 1.1
build strata-world 2.0
rpms=$work/top/RPMS/noarch
rpm --dbpath "$work/db" --initdb
rpm --dbpath "$work/db" -i --justdb --nodeps "$rpms/strata-hello-1.0-1.noarch.rpm" "$rpms/strata-world-2.0-1.noarch.rpm"
cp "$work/db/rpmdb.sqlite" "$here/sqlite-1/rpmdb.sqlite"
rpm --dbpath "$work/db" -U --justdb --nodeps "$rpms/strata-hello-1.1-1.noarch.rpm"
rpm --dbpath "$work/db" -e --justdb --nodeps strata-world
cp "$work/db/rpmdb.sqlite" "$here/sqlite-2/rpmdb.sqlite"
