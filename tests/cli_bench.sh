#!/bin/sh
# `cgan bench` as a user runs it, on the small configuration (seconds): the
# report's fields are there and consistent; bad options are usage errors.
# Nothing is checked about time.
set -e
CGAN=${1:-bin/cgan}
tmp=$(mktemp -d /tmp/cgan-cli-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_bench: $*"; exit 1; }

$CGAN bench --config small --batch 4 --iters 2 --threads 2 > "$tmp/out.txt"
for f in 'train iteration: median' 'inference (eval, batch 4)' 'peak RSS' 'OpenBLAS core' \
         'critic    conv3    conv2d' 'generator attn     self_attention'; do
    grep -q "$f" "$tmp/out.txt" || fail "no '$f' in the report"
done
$CGAN bench --config small --batch 4 --iters 1 --no-layers --json > "$tmp/out.json"
grep -q '"iter_s": {"median"' "$tmp/out.json" || fail "JSON lacks iter_s"
grep -q '"layers"' "$tmp/out.json" && fail "--no-layers still lists layers"
if command -v /usr/bin/python3 > /dev/null; then
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["batch"] == 4 and d["iter_s"]["min"] <= d["iter_s"]["max"]' "$tmp/out.json" || fail "bad JSON"
fi
# --set changes the benchmarked model: no self-attention node, settings echoed
$CGAN bench --config small --batch 4 --iters 1 --set self_attention=0 --set g_width=8 > "$tmp/set.txt"
grep -q 'settings: self_attention=0 g_width=8' "$tmp/set.txt" || fail "--set not echoed"
grep -q 'attn' "$tmp/set.txt" && fail "--set self_attention=0 ignored"
set +e
$CGAN bench --set nonsense=1 > "$tmp/err.txt" 2>&1
[ $? -eq 2 ] || fail "--set nonsense=1: exit status should be 2"
grep -q 'nonsense' "$tmp/err.txt" || fail "--set nonsense=1: the message does not name it"
$CGAN bench --batch 1 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--batch 1: exit status should be 2"
$CGAN bench --config huge > /dev/null 2>&1
[ $? -eq 2 ] || fail "--config huge: exit status should be 2"
$CGAN bench --help > /dev/null || fail "--help failed"
echo "cli_bench: ok"
