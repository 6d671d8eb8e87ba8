#!/bin/sh
# `cgan prepare` as a new user runs it: a folder of TIFF micrographs with a
# manifest becomes a data set in one command; a manifest with one bad row
# (missing file, unreadable image, non-numeric condition) names the row,
# exits non-zero and leaves no output file.  Run by `make check`.
set -e
CGAN=${1:-bin/cgan}
case $CGAN in /*) ;; *) CGAN=$(pwd)/$CGAN ;; esac
tmp=$(mktemp -d /tmp/cgan-cli-prepare-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp tests/data/data/micrographs/* "$tmp/"
cd "$tmp"
fail() { echo "cli_prepare: $*"; exit 1; }

"$CGAN" prepare --manifest manifest.csv --out data.npz --size 32 --um-per-px 1 \
    --patches-per-image 4 --log strain_rate_per_s --sheet sheet.png > out.txt 2> err.txt ||
    { cat out.txt err.txt; fail "prepare failed on a good manifest"; }
[ -s data.npz ] && [ -s sheet.png ] || fail "no data set or sheet written"
[ "$(grep -c 'patches kept' out.txt)" = 5 ] || fail "expected one report line per image"
grep -q 'area excluded 3.3%' out.txt || fail "masked area not reported"
grep -q 'warning: class' err.txt || fail "no warning for classes with few patches"
"$CGAN" sheet data.npz --out sheet2.png --cols 3 > /dev/null || fail "cgan sheet failed"

# one bad row at a time: exit 1, the line named, nothing written
check_bad() { # $1 = row to append, $2 = text the message must contain
    { head -n 3 manifest.csv; echo "$1"; } > bad.csv
    rm -f bad.npz
    if "$CGAN" prepare --manifest bad.csv --out bad.npz --size 32 --um-per-px 1 > /dev/null 2> err.txt; then
        fail "prepare accepted a bad row: $1"
    fi
    grep -q "bad.csv line 4" err.txt || { cat err.txt; fail "the bad row's line is not named"; }
    grep -q "$2" err.txt || { cat err.txt; fail "the problem '$2' is not named"; }
    [ ! -e bad.npz ] || fail "a partial output file was written"
    [ -z "$(ls | grep 'bad.npz.tmp')" ] || fail "a temporary file was left behind"
}
check_bad "missing.tif,1.0,900,0.001,," "not found"
printf 'II*\000garbage' > unreadable.tif
check_bad "unreadable.tif,1.0,900,0.001,," "unreadable.tif"
check_bad "t900_r0.001_a.tif,1.0,hot,0.001,," "not a number"

# 90-degree rotations need --isotropic
set +e
"$CGAN" prepare --manifest manifest.csv --out iso.npz --um-per-px 1 --size 32 --augment rot90 > /dev/null 2>&1
[ $? = 2 ] || fail "--augment rot90 without --isotropic should be a usage error"
set -e
"$CGAN" prepare --manifest manifest.csv --out iso.npz --um-per-px 1 --size 32 --isotropic \
    --patches-per-image 2 --continuous > /dev/null 2>&1 || fail "--isotropic --continuous failed"
echo "cli_prepare: ok"
