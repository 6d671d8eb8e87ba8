#!/bin/sh
# Side-by-side benchmark: libcgan (`cgan bench --json`) then PyTorch
# (bench/torch_bench.py, the same networks and training iteration) in the
# same process environment, then both figures and the ratios.
#
#   bench/compare.sh [--batch B] [--iters N] [--threads T] [--infer-batch B]
#                    [--keep-coretype] [--cgan PATH]
#
# OPENBLAS_CORETYPE is unset for both sides unless --keep-coretype (then
# whatever the environment presets applies to both).  PyTorch gets the tuning
# of ../shared/reference/performance.md: OPENBLAS_THREAD_TIMEOUT=4,
# OMP_WAIT_POLICY=PASSIVE and jemalloc with decay off when libjemalloc is
# installed.  A benchmark: nothing passes or fails on time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cgan="$here/../bin/cgan"
batch=64 iters=5 threads=2 infer=0 keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --batch) batch=$2; shift 2 ;;
    --iters) iters=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --infer-batch) infer=$2; shift 2 ;;
    --keep-coretype) keep=1; shift ;;
    --cgan) cgan=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$keep" = 1 ] || unset OPENBLAS_CORETYPE
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== libcgan: $cgan bench --batch $batch --iters $iters --threads $threads --infer-batch $infer --json"
echo "   OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$cgan" bench --batch "$batch" --iters "$iters" --threads "$threads" --infer-batch "$infer" \
    --json > "$tmp/c.json"
jemalloc=$(ldconfig -p 2>/dev/null | sed -n 's/.*libjemalloc\.so\.2 .*=> //p' | head -n1)
echo "== PyTorch: bench/torch_bench.py (same options; jemalloc: ${jemalloc:-not installed})"
echo "   load: $(cut -d' ' -f1-3 /proc/loadavg)"
(
    export OPENBLAS_THREAD_TIMEOUT=4 OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$threads"
    if [ -n "$jemalloc" ]; then
        export LD_PRELOAD="$jemalloc" MALLOC_CONF="dirty_decay_ms:-1,muzzy_decay_ms:-1"
    fi
    /usr/bin/python3 "$here/torch_bench.py" --batch "$batch" --iters "$iters" \
        --threads "$threads" --infer-batch "$infer"
) > "$tmp/t.json"
/usr/bin/python3 - "$tmp/c.json" "$tmp/t.json" <<'PY'
import json, sys
c, t = (json.load(open(p)) for p in sys.argv[1:3])
def it(r):
    s = r["iter_s"]
    return "%.3f s (%.3f-%.3f)" % (s["median"], s["min"], s["max"])
print("%-34s %-26s %-26s %s" % ("", "libcgan", "PyTorch", "ratio C/PyTorch"))
print("%-34s %-26s %-26s" % ("OpenBLAS core", c["env"]["blas_core"], t["env"]["blas_core"]))
print("%-34s %-26s %-26s %.2f" % ("train iteration, batch %d" % c["batch"], it(c), it(t),
      c["iter_s"]["median"] / t["iter_s"]["median"]))
print("%-34s %-26s %-26s %.2f" % ("inference images/s, batch %d" % c["infer_batch"],
      "%.1f" % c["infer_images_per_s"], "%.1f" % t["infer_images_per_s"],
      c["infer_images_per_s"] / t["infer_images_per_s"]))
print("%-34s %-26s %-26s %.2f" % ("peak RSS MiB", "%.0f" % c["peak_rss_mib"],
      "%.0f" % t["peak_rss_mib"], c["peak_rss_mib"] / t["peak_rss_mib"]))
PY
