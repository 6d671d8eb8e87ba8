#!/bin/sh
# `cgan train` as a user runs it (issue 7): a tiny synthetic data set, a
# tiny model, a few iterations.  Checks that a run stopped by SIGINT and
# resumed ends with exactly the bytes of an uninterrupted run (the .npz
# writer uses a fixed timestamp, so cmp compares every parameter, buffer,
# optimizer state and the random state), that rows logged after the last
# checkpoint are dropped on resume, that a real `kill -INT` / `kill -TERM`
# stops cleanly with a valid checkpoint, and the error cases.  Run by
# `make check`.
set -e
CGAN=${1:-bin/cgan}
case $CGAN in /*) ;; *) CGAN=$(pwd)/$CGAN ;; esac
tmp=$(mktemp -d /tmp/cgan-cli-train-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "cli_train: $*"; exit 1; }

"$CGAN" synth alloy --out syn --size 256 --images-per-condition 1 --threads 1 > /dev/null
"$CGAN" prepare --manifest syn/manifest.csv --out data.npz --size 64 --um-per-px 0.078125 \
    --patches-per-image 4 --augment none > /dev/null 2>&1
"$CGAN" prepare --manifest syn/manifest.csv --out cdata.npz --size 64 --um-per-px 0.078125 \
    --patches-per-image 4 --augment none --continuous --log strain_rate_per_s > /dev/null 2>&1
# One thread: the bits depend on the thread count.
tiny="--config small --set g_width=8 --set d_width=8 --batch 16 --threads 1"
logcols() { cut -d, -f1-8 "$1"; } # every column but the elapsed time

# 1. Straight: 6 iterations, nothing saved in between.
"$CGAN" train --data data.npz --out straight $tiny --iters 6 --checkpoint-every 0 --sample-every 0 \
    > out.txt 2> err.txt || { cat err.txt; fail "straight run failed"; }
[ -s straight/checkpoint.npz ] && [ -s straight/config.txt ] || fail "no checkpoint or config.txt"
[ -s straight/samples_000006.png ] || fail "no final sample sheet"
[ "$(wc -l < straight/log.csv)" -eq $((1 + 6 * 5)) ] || fail "log.csv should have a header and 6 x (4 + 1) rows"
grep -q 'iteration 6/6 .*img/s.*ETA.*W .*D_wgan.*D_con.*G_wgan.*G_con' err.txt || fail "no progress line: $(cat err.txt)"
grep -q '^iterations = 6$' straight/config.txt || fail "config.txt does not record the total"

# 2. SIGINT raised after iteration 3 (hidden hook), with periodic checkpoints
# and sheets at another cadence, then --resume with the total from config.txt.
set +e
CGAN_TRAIN_INTERRUPT_AT=3 "$CGAN" train --data data.npz --out resumed $tiny --iters 6 \
    --checkpoint-every 2 --sample-every 1 > /dev/null 2> err.txt
st=$?
set -e
[ $st -eq 130 ] || { cat err.txt; fail "SIGINT: exit status $st, expected 130"; }
grep -q 'stopped by SIGINT after iteration 3 of 6' err.txt || fail "no stop message: $(cat err.txt)"
"$CGAN" info resumed/checkpoint.npz | grep -q 'trained   3 iterations (12 critic steps)' ||
    fail "the interrupted run's checkpoint is not at iteration 3"
[ -s resumed/samples_000002.png ] || fail "no periodic sample sheet"
# (no --threads: a resumed run takes the thread count from config.txt)
"$CGAN" train --data data.npz --out resumed --resume > /dev/null 2> err.txt ||
    { cat err.txt; fail "--resume failed"; }
cmp -s straight/checkpoint.npz resumed/checkpoint.npz ||
    fail "interrupted + resumed run differs from the uninterrupted one"
logcols straight/log.csv > a.csv
logcols resumed/log.csv > b.csv
cmp -s a.csv b.csv || fail "the resumed run's log differs from the uninterrupted one"

# 3. Rows logged after the last checkpoint (a run killed between
# checkpoints) and a half-written row are dropped on resume.
set +e
CGAN_TRAIN_INTERRUPT_AT=2 "$CGAN" train --data data.npz --out crash $tiny --iters 6 > /dev/null 2>&1
set -e
cp crash/checkpoint.npz at2.npz
CGAN_TRAIN_INTERRUPT_AT=4 "$CGAN" train --data data.npz --out crash --resume --threads 1 > /dev/null 2>&1 || true
cp at2.npz crash/checkpoint.npz   # the log now runs 2 iterations past the checkpoint
printf 'critic,5,17,0.1' >> crash/log.csv
"$CGAN" train --data data.npz --out crash --resume --threads 1 > /dev/null 2> err.txt ||
    { cat err.txt; fail "resume after a crash failed"; }
grep -q 'dropped 10 rows' err.txt || fail "stale rows not reported: $(cat err.txt)"
cmp -s straight/checkpoint.npz crash/checkpoint.npz || fail "resume after a crash differs"
logcols crash/log.csv > c.csv
cmp -s a.csv c.csv || fail "the log after a crash and resume is not the uninterrupted one"

# 4. A real signal while training: clean stop, exit 128 + signal, a valid
# checkpoint at a whole iteration, no temporary files.
for sig in INT TERM; do
    "$CGAN" train --data data.npz --out kill$sig $tiny --iters 100000 > /dev/null 2> err$sig.txt &
    pid=$!
    n=0
    while rows=$(grep -c '^generator' kill$sig/log.csv 2> /dev/null) || true; [ "${rows:-0}" -lt 2 ]; do
        n=$((n + 1))
        [ $n -lt 600 ] || fail "training never started"
        sleep 0.1
    done
    kill -$sig $pid
    set +e
    wait $pid
    st=$?
    set -e
    pid=
    want=130
    [ $sig = TERM ] && want=143
    [ $st -eq $want ] || { cat err$sig.txt; fail "kill -$sig: exit status $st, expected $want"; }
    grep -q "stopped by SIG$sig after iteration" err$sig.txt || fail "kill -$sig: no clean stop: $(cat err$sig.txt)"
    iters=$("$CGAN" info kill$sig/checkpoint.npz | sed -n 's/^trained *\([0-9]*\) iterations.*/\1/p')
    [ -n "$iters" ] && [ "$iters" -ge 2 ] || fail "kill -$sig: checkpoint unreadable or early ($iters)"
    [ "$(grep -c '^generator' kill$sig/log.csv)" -eq "$iters" ] || fail "kill -$sig: log and checkpoint disagree"
    [ -z "$(ls kill$sig | grep tmp)" ] || fail "kill -$sig: a temporary file was left"
done

# 5. Errors: a message, a non-zero status, nothing written.
expect() { # $1 = status, $2 = text in the message, rest = arguments
    want=$1 text=$2
    shift 2
    set +e
    "$CGAN" train "$@" > /dev/null 2> err.txt
    st=$?
    set -e
    [ $st -eq "$want" ] || { cat err.txt; fail "train $*: status $st, expected $want"; }
    grep -q -- "$text" err.txt || fail "train $*: message lacks '$text': $(cat err.txt)"
}
expect 1 "nope.npz" --data nope.npz --out bad1 $tiny
expect 2 "unknown setting 'bogus'" --data data.npz --out bad2 $tiny --set bogus=1
expect 2 "lr_d" --data data.npz --out bad3 $tiny --set lr_d=-1
expect 1 "no checkpoint" --data data.npz --out bad4 --resume
expect 1 "prepared with .cgan prepare --continuous" --data data.npz --out bad5 $tiny --continuous
expect 2 "not both" --data data.npz --out bad6 --iters 3 --epochs 1
expect 2 "cannot change" --data data.npz --out straight --resume --set lr_d=1e-4
expect 1 "already holds a checkpoint" --data data.npz --out straight $tiny
for d in bad1 bad2 bad3 bad4 bad5 bad6; do [ ! -e $d ] || fail "a failed run created $d"; done
# A continuous model resumed on a discrete data set: refused, files untouched.
"$CGAN" train --data cdata.npz --out cont $tiny --continuous --iters 1 > /dev/null 2>&1 ||
    fail "continuous training failed"
cp cont/log.csv log_before.csv
cp cont/checkpoint.npz ckpt_before.npz
expect 1 "prepared without --continuous" --data data.npz --out cont --resume --iters 2
cmp -s cont/log.csv log_before.csv && cmp -s cont/checkpoint.npz ckpt_before.npz ||
    fail "a refused resume changed the run directory"

# --epochs: 2 passes over 32 patches at batch 16 x 4 critic steps = 1 iteration.
"$CGAN" train --data data.npz --out ep $tiny --epochs 2 > /dev/null 2> err.txt || fail "--epochs failed"
grep -q '= 1 iterations' err.txt || fail "--epochs does not say the iteration count: $(cat err.txt)"
echo "cli_train: ok"
