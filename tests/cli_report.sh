#!/bin/sh
# `cgan compare` + `cgan report` as a user runs them after training (run by
# `make check`): real images from `cgan synth alloy` seed 1, "generated"
# images from seed 2 in the DIR/<condition dirname>/ layout of `cgan
# generate --all-classes`, a fabricated training log and sample sheets.
# Checks that report.html references only files that exist, that every
# SVG is well-formed, and that summary.json is valid JSON with the numbers
# issue 7 asks for.
set -e
cgan=${1:-bin/cgan}
tmp=$(mktemp -d /tmp/cgan-cli-report-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_report: $*" >&2; exit 1; }

"$cgan" report --help | grep -q -- '--compare' || fail "report --help"
set +e
"$cgan" report --out "$tmp/x" > /dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "missing --compare: rc $rc"

for s in 1 2; do
    "$cgan" synth alloy --out "$tmp/s$s" --size 192 --images-per-condition 3 --seed $s \
        --temperatures 800,1100 --strain-rates 0.001,0.1 --threads 1 > /dev/null
done
# seed 2 as the generated set: DIR/temperature_C=800,strain_rate_per_s=0.001/...
tail -n +2 "$tmp/s2/manifest.csv" | while IFS=, read -r path um mask t r; do
    d="$tmp/gen/temperature_C=$t,strain_rate_per_s=$r"
    mkdir -p "$d"
    cp "$tmp/s2/$path" "$d/"
done
[ "$(ls "$tmp/gen" | wc -l)" -eq 4 ] || fail "generated layout"

# the grain recipe of docs/analysis.md section 5, passed as options
"$cgan" compare --real "$tmp/s1/manifest.csv" --generated "$tmp/gen" --out "$tmp/cmp" \
    --bootstrap 10 --smooth 2 --window 60:108 --min-size 20 > "$tmp/out.txt"
for f in recognition.csv confusion.csv recognition_images.csv settings.csv confusion.svg; do
    [ -s "$tmp/cmp/$f" ] || fail "compare lacks $f"
done
grep -q '^generated,.*,all,12,' "$tmp/cmp/recognition.csv" || fail "recognition.csv rows"
grep -q '^CGAN_ANALYSIS_SMOOTH_SIGMA,2$' "$tmp/cmp/settings.csv" || fail "settings.csv"

# a run directory: two sample sheets (the later one is shown) and a log
# whose header differs from the trainer's in case and spacing
mkdir -p "$tmp/run"
"$cgan" prepare --manifest "$tmp/s2/manifest.csv" --out "$tmp/g.npz" --size 64 \
    --um-per-px 0.078125 --patches-per-image 2 --augment none --min-per-class 1 \
    --sheet "$tmp/run/samples_000020.png" > /dev/null
cp "$tmp/run/samples_000020.png" "$tmp/run/samples_000010.png"
{
    echo "Step kind,Iteration,Critic step,Wasserstein,critic_wgan,critic_contrastive,gen_wgan,elapsed seconds"
    for it in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        for c in 0 1 2 3; do echo "critic,$it,$c,$((40 - it)).5,-$((40 - it)).5,3.$c,,0.$it"; done
        echo "generator,$it,,,,,$it.25,0.$it"
    done
} > "$tmp/run/log.csv"

"$cgan" report --compare "$tmp/cmp" --run "$tmp/run" --out "$tmp/out/report" > /dev/null
o="$tmp/out/report"
[ -s "$o/report.html" ] && [ -s "$o/summary.json" ] || fail "report files"
# every file the page references exists next to it, and the pictures are there
refs=$(grep -o -E '(src|href)="[^"]*"' "$o/report.html" | sed -E 's/^(src|href)="//; s/"$//')
[ -n "$refs" ] || fail "no references in report.html"
for r in $refs; do [ -s "$o/$r" ] || fail "report.html references missing $r"; done
for p in sample_sheet.png losses.svg scatter_size.svg scatter_density.svg scatter_ar.svg \
         deviations.svg dist_area.svg dist_ar.svg confusion.svg summary.json; do
    echo "$refs" | grep -qx "$p" || fail "report.html does not show $p"
done
ls "$o" | grep -q tmp && fail "temporary files left in $o"
# 4 loss panels: Wasserstein, critic_wgan, critic_contrastive, gen_wgan
[ "$(grep -c '<path fill="none"' "$o/losses.svg")" -eq 4 ] || fail "loss panels"
grep -q 'Wasserstein estimate' "$o/losses.svg" || fail "Wasserstein panel"

if command -v python3 > /dev/null 2>&1; then
    python3 - "$o" <<'EOF' || fail "summary.json / SVG check"
import json, sys, os, xml.etree.ElementTree as ET
o = sys.argv[1]
s = json.load(open(os.path.join(o, "summary.json")))
for k in ("headline", "conditions", "mapd_pct", "recognition", "noise_floor", "settings", "training"):
    assert k in s, k
h = s["headline"]
assert 0 <= h["recognition_accuracy"] <= 1 and h["recognition_chance"] == 0.25, h
assert len(s["conditions"]) == 4
for c in s["conditions"]:
    for k in ("real", "generated", "deviation_pct", "floor_pct"):
        assert "MeanArea" in c[k] and "Density" in c[k] and "MeanAR" in c[k], (c["name"], k)
    d = 100 * (c["generated"]["MeanArea"] - c["real"]["MeanArea"]) / abs(c["real"]["MeanArea"])
    assert abs(d - c["deviation_pct"]["MeanArea"]) < 1e-9 * max(1, abs(d)), c["name"]
mapd = sum(abs(c["deviation_pct"]["MeanArea"]) for c in s["conditions"]) / 4
assert abs(mapd - s["mapd_pct"]["MeanArea"]) < 1e-9 * max(1, mapd)
assert abs(mapd - h["mapd_grain_size_pct"]) < 1e-9 * max(1, mapd)
r = s["recognition"]
for k in ("generated", "real_leave_one_out"):
    m = r[k]["confusion"]
    assert len(m) == 4 and all(len(row) == 4 and sum(row) == 3 for row in m), m
    assert r[k]["correct"] == sum(m[i][i] for i in range(4))
    assert abs(r[k]["accuracy"] - r[k]["correct"] / 12) < 1e-12
assert s["noise_floor"]["recognition_accuracy_real_loo"] == r["real_leave_one_out"]["accuracy"]
assert "MeanArea" in s["noise_floor"]["mapd_pct"]
m = s["settings"]["measurement"]
assert m["CGAN_ANALYSIS_SMOOTH_SIGMA"] == 2 and m["CGAN_ANALYSIS_WINDOW_HI"] == 108, m
assert len(s["settings"]["recognition"]["features"]) == 15
t = s["training"]
assert t["iterations"] == 20 and t["last_iteration"] == 20, t
assert t["final"]["Wasserstein"] == 20.5 and t["final"]["gen_wgan"] == 20.25, t["final"]
assert s["inputs"]["sheet"].endswith("samples_000020.png")
for f in os.listdir(o):
    if f.endswith(".svg"):
        ET.parse(os.path.join(o, f))
EOF
else
    echo "cli_report: python3 not found, JSON checked by grep only"
    for k in '"headline"' '"conditions"' '"mapd_pct"' '"recognition"' '"confusion"' '"noise_floor"' '"settings"'; do
        grep -q "$k" "$o/summary.json" || fail "summary.json lacks $k"
    done
fi

# without a run: no loss section, and nothing referenced that is not there
"$cgan" report --compare "$tmp/cmp" --sheet "$tmp/run/samples_000010.png" --out "$tmp/out2" > /dev/null
grep -q 'losses.svg' "$tmp/out2/report.html" && fail "losses.svg referenced without a run"
grep -q '"training": null' "$tmp/out2/summary.json" || fail "training without a run"
[ -s "$tmp/out2/sample_sheet.png" ] || fail "--sheet not copied"

# errors name the missing input
set +e
"$cgan" report --compare "$tmp/nothere" --out "$tmp/out3" 2> "$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q nothere "$tmp/err.txt" || fail "missing compare dir: rc $rc"
mkdir -p "$tmp/emptyrun"
set +e
"$cgan" report --compare "$tmp/cmp" --run "$tmp/emptyrun" --out "$tmp/out4" 2> "$tmp/err.txt"; rc=$?
set -e
[ $rc -eq 1 ] && grep -q 'log.csv' "$tmp/err.txt" || fail "run without log.csv: rc $rc"
echo "cli_report: ok"
