#!/bin/sh
# Side-by-side benchmark: libcgan (`cgan bench --json`) then PyTorch
# (bench/torch_bench.py, the same networks and training iteration) in the
# same process environment, then both figures and the ratios.
#
#   bench/compare.sh [--batch B] [--iters N] [--threads T] [--infer-batch B]
#                    [--rounds R] [--keep-coretype] [--cgan PATH]
#
# --rounds R runs the pair R times, alternating (C, PyTorch, C, ...), and
# prints each round's ratio and the medians over the rounds: on a shared
# machine whose speed drifts over minutes, one pair can catch the two
# sides in different states.
# OPENBLAS_CORETYPE is unset for both sides unless --keep-coretype (then
# whatever the environment presets applies to both).  PyTorch gets the tuning
# of ../shared/reference/performance.md: OPENBLAS_THREAD_TIMEOUT=4,
# OMP_WAIT_POLICY=PASSIVE and jemalloc with decay off when libjemalloc is
# installed.  A benchmark: nothing passes or fails on time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cgan="$here/../bin/cgan"
batch=64 iters=5 threads=2 infer=0 keep=0 rounds=1
while [ $# -gt 0 ]; do
    case "$1" in
    --batch) batch=$2; shift 2 ;;
    --iters) iters=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --infer-batch) infer=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --keep-coretype) keep=1; shift ;;
    --cgan) cgan=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
case "$rounds" in
''|*[!0-9]*|0) echo "compare.sh: --rounds $rounds: expected a positive whole number" >&2; exit 2 ;;
esac
[ "$keep" = 1 ] || unset OPENBLAS_CORETYPE
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jemalloc=$(ldconfig -p 2>/dev/null | sed -n 's/.*libjemalloc\.so\.2 .*=> //p' | head -n1)
r=1
while [ "$r" -le "$rounds" ]; do
    echo "== libcgan: $cgan bench --batch $batch --iters $iters --threads $threads --infer-batch $infer --json (round $r of $rounds)"
    echo "   OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}; load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$cgan" bench --batch "$batch" --iters "$iters" --threads "$threads" --infer-batch "$infer" \
        --json > "$tmp/c$r.json"
    echo "== PyTorch: bench/torch_bench.py (same options; jemalloc: ${jemalloc:-not installed})"
    echo "   load: $(cut -d' ' -f1-3 /proc/loadavg)"
    (
        export OPENBLAS_THREAD_TIMEOUT=4 OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads"
        if [ -n "$jemalloc" ]; then
            export LD_PRELOAD="$jemalloc" MALLOC_CONF="dirty_decay_ms:-1,muzzy_decay_ms:-1"
        fi
        /usr/bin/python3 "$here/torch_bench.py" --batch "$batch" --iters "$iters" \
            --threads "$threads" --infer-batch "$infer"
    ) > "$tmp/t$r.json"
    r=$((r + 1))
done
/usr/bin/python3 - "$tmp" "$rounds" <<'PY'
import json, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
cs = [json.load(open("%s/c%d.json" % (tmp, r))) for r in range(1, rounds + 1)]
ts = [json.load(open("%s/t%d.json" % (tmp, r))) for r in range(1, rounds + 1)]
def it(r):
    s = r["iter_s"]
    return "%.3f s (%.3f-%.3f)" % (s["median"], s["min"], s["max"])
c, t = cs[0], ts[0]
print("%-34s %-26s %-26s %s" % ("", "libcgan", "PyTorch", "ratio C/PyTorch"))
print("%-34s %-26s %-26s" % ("OpenBLAS core", c["env"]["blas_core"], t["env"]["blas_core"]))
for r, (c, t) in enumerate(zip(cs, ts), 1):
    label = "train iteration, batch %d" % c["batch"] + (", round %d" % r if rounds > 1 else "")
    print("%-34s %-26s %-26s %.2f" % (label, it(c), it(t),
          c["iter_s"]["median"] / t["iter_s"]["median"]))
if rounds > 1:
    cm = statistics.median(x["iter_s"]["median"] for x in cs)
    tm = statistics.median(x["iter_s"]["median"] for x in ts)
    rm = statistics.median(a["iter_s"]["median"] / b["iter_s"]["median"] for a, b in zip(cs, ts))
    print("%-34s %-26s %-26s %.2f" % ("median over the %d rounds" % rounds, "%.3f s" % cm,
          "%.3f s" % tm, rm))
def med(rs, key):
    return statistics.median(x[key] for x in rs)
ci, ti = med(cs, "infer_images_per_s"), med(ts, "infer_images_per_s")
print("%-34s %-26s %-26s %.2f" % ("inference images/s, batch %d" % cs[0]["infer_batch"],
      "%.1f" % ci, "%.1f" % ti, ci / ti))
cr, tr = max(x["peak_rss_mib"] for x in cs), max(x["peak_rss_mib"] for x in ts)
print("%-34s %-26s %-26s %.2f" % ("peak RSS MiB", "%.0f" % cr, "%.0f" % tr, cr / tr))
PY
