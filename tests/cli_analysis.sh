#!/bin/sh
# Smoke test of `cgan analyze` and `cgan compare` (run by `make check`):
# outputs exist and agree with ImageJ's count, errors exit 1, usage 2.
set -e
cgan=${1:-bin/cgan}
data=$(cd "$(dirname "$0")" && pwd)/data
tmp=$(mktemp -d /tmp/cgan-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_analysis: $*" >&2; exit 1; }

"$cgan" analyze --help | grep -q -- '--include-holes' || fail "analyze --help"
"$cgan" analyze --particles "$tmp/p.csv" --summary "$tmp/s.csv" \
    "$data/imagej/r000.pgm" "$data/imagej/r001.pgm"
head -1 "$tmp/p.csv" | grep -qx 'Image,Area,X,Y,Perim.,Major,Minor,Angle,Circ.,AR' || fail "particle header"
# ImageJ found 77 + 17 particles (tests/data/imagej/*.default.summary.txt)
[ "$(($(wc -l < "$tmp/p.csv") - 1))" -eq 94 ] || fail "particle rows"
[ "$(($(wc -l < "$tmp/s.csv") - 1))" -eq 2 ] || fail "summary rows"
"$cgan" analyze --exclude-edges --include-holes --bright --min-size 3 --um-per-px 0.5 \
    --window 10:120 --smooth 1.5 "$data/imagej/r002.pgm" > "$tmp/out.txt" 2>&1 && fail "--bright with --window accepted" || true
"$cgan" analyze --window 10:120 --smooth 1.5 --exclude-edges "$data/imagej/r002.pgm" > "$tmp/out.txt"
grep -q r002 "$tmp/out.txt" || fail "window summary"

# --mask: a mask over the lower half of the 128x128 image leaves fewer particles
{ printf 'P5\n128 128\n255\n'; head -c 8192 /dev/zero; head -c 8192 /dev/zero | tr '\000' '\377'; } > "$tmp/half.pgm"
"$cgan" analyze --summary "$tmp/all.csv" "$data/imagej/r000.pgm"
"$cgan" analyze --open 1 --summary "$tmp/half.csv" --mask "$tmp/half.pgm" "$data/imagej/r000.pgm"
n_all=$(sed -n 2p "$tmp/all.csv" | cut -d, -f4); n_half=$(sed -n 2p "$tmp/half.csv" | cut -d, -f4)
[ "${n_half%.*}" -gt 0 ] && [ "${n_half%.*}" -lt "${n_all%.*}" ] || fail "--mask: $n_half of $n_all particles"
set +e
"$cgan" analyze "$data/imagej/r000.pgm" --mask "$tmp/half.pgm" > /dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "--mask without an image: rc $rc"
set +e
"$cgan" analyze /nonexistent.png 2> "$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q nonexistent.png "$tmp/err.txt" || fail "missing image: rc $rc"
set +e
"$cgan" analyze > /dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "no images: rc $rc"

for s in real gen; do mkdir -p "$tmp/$s/A" "$tmp/$s/B"; done
cp "$data/imagej/r000.pgm" "$data/imagej/r001.pgm" "$tmp/real/A/"
cp "$data/imagej/r002.pgm" "$data/imagej/r003.pgm" "$tmp/real/B/"
cp "$data/imagej_gen/blobs2.pgm" "$tmp/gen/A/"
cp "$data/imagej_gen/blobs4.pgm" "$tmp/gen/B/"
"$cgan" compare --real "$tmp/real" --generated "$tmp/gen" --out "$tmp/report" --bootstrap 20 \
    --min-size 4 > "$tmp/out.txt"
grep -q 'MAPD grain size' "$tmp/out.txt" || fail "compare summary"
for f in means.csv deviations.csv distances.csv histograms.csv s2.csv images.csv \
         scatter_size.svg scatter_density.svg scatter_ar.svg deviations.svg dist_area.svg dist_ar.svg; do
    [ -s "$tmp/report/$f" ] || fail "report lacks $f"
done
# the same real images as a manifest (conditions in directory form) against
# generated images in DIR/<condition dirname>/: a manifest row with a roi
printf 'path,um_per_px,temperature_C,roi\n%s,0.5,900,\n%s,0.5,900,8:8:100:100\n%s,0.5,1000,\n' \
    "$data/imagej/r000.pgm" "$data/imagej/r001.pgm" "$data/imagej/r002.pgm" > "$tmp/real.csv"
mkdir -p "$tmp/gen2/temperature_C=900" "$tmp/gen2/temperature_C=1000"
cp "$data/imagej_gen/blobs2.pgm" "$tmp/gen2/temperature_C=900/"
cp "$data/imagej_gen/blobs4.pgm" "$tmp/gen2/temperature_C=1000/"
"$cgan" compare --real "$tmp/real.csv" --generated "$tmp/gen2" --out "$tmp/report2" --bootstrap 5 \
    --um-per-px 0.5 > "$tmp/out.txt" || fail "compare with a manifest"
grep -q '^3 real and 2 generated images, 2 conditions' "$tmp/out.txt" || fail "manifest summary"
grep -q 'temperature_C=1000' "$tmp/report2/means.csv" || fail "manifest condition names"
printf 'path,um_per_px,temperature_C\n%s,0.5,900\nnothere.png,0.5,900\n' "$data/imagej/r000.pgm" > "$tmp/bad.csv"
set +e
"$cgan" compare --real "$tmp/bad.csv" --generated "$tmp/gen2" --out "$tmp/r3" 2> "$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'line 3' "$tmp/err.txt" && grep -q nothere.png "$tmp/err.txt" || fail "bad manifest: rc $rc"
mkdir -p "$tmp/empty"
set +e
"$cgan" compare --real "$tmp/empty" --generated "$tmp/gen" --out "$tmp/r2" 2> "$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'no images' "$tmp/err.txt" || fail "empty set: rc $rc"
echo "cli_analysis: ok"
