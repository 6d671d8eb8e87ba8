#!/bin/sh
# `make install PREFIX=...`, then a program built outside the tree with
# nothing but pkg-config: as C and as C++, against the shared and the static
# library.  Also: DESTDIR staging puts every file under DESTDIR, and
# uninstall removes them all.
set -e
MAKE=${1:-make} CC=${2:-cc} CXX=${3:-c++} PKG_CONFIG=${4:-pkg-config}
top=$(pwd)
tmp=$(mktemp -d /tmp/cgan-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
$MAKE -s install PREFIX="$prefix" > /dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cflags=$($PKG_CONFIG --cflags cgan)
libs=$($PKG_CONFIG --libs cgan)
slibs=$($PKG_CONFIG --libs --static cgan | sed 's/-lcgan//')
mkdir -p "$tmp/work"
cp "$top/tests/install_consumer.c" "$tmp/work/x.c"
cp "$top/tests/install_consumer.c" "$tmp/work/x.cpp"
cd "$tmp/work"
$CC -std=c99 -Wall -Werror x.c $cflags $libs -o x_shared
LD_LIBRARY_PATH="$prefix/lib" ./x_shared
$CC -std=c99 -Wall -Werror x.c $cflags "$prefix/lib/libcgan.a" $slibs -o x_static
./x_static
if ldd ./x_static | grep -q libcgan; then echo "x_static is linked dynamically"; exit 1; fi
$CXX -Wall -Werror x.cpp $cflags $libs -o x_cxx
LD_LIBRARY_PATH="$prefix/lib" ./x_cxx
"$prefix/bin/cgan" version > /dev/null
readelf -d "$prefix/lib/libcgan.so" | grep -q 'SONAME.*libcgan.so.0'
cd "$top"
$MAKE -s uninstall PREFIX="$prefix" > /dev/null
left=$(find "$prefix" -type f)
if [ -n "$left" ]; then echo "uninstall left files:"; echo "$left"; exit 1; fi
stage="$tmp/stage"
$MAKE -s install DESTDIR="$stage" PREFIX=/opt/cgan > /dev/null
[ -f "$stage/opt/cgan/lib/libcgan.so.0" ] && [ -f "$stage/opt/cgan/include/cgan.h" ]
grep -q '^prefix=/opt/cgan$' "$stage/opt/cgan/lib/pkgconfig/cgan.pc"
$MAKE -s uninstall DESTDIR="$stage" PREFIX=/opt/cgan > /dev/null
[ -z "$(find "$stage" -type f)" ]
echo "install: C, C++, shared and static consumers built with pkg-config and ran; DESTDIR and uninstall clean"
