#!/bin/sh
# `cgan info` and `cgan generate` as a user runs them, including bad input.
set -e
CGAN=${1:-bin/cgan}
data=tests/data/gan
tmp=$(mktemp -d /tmp/cgan-cli-model-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_model: $*"; exit 1; }

$CGAN info $data/gen.npz > "$tmp/info.txt"
grep -q 'generator .* trainable parameters' "$tmp/info.txt" || fail "info shows no parameter count"
grep -q 'critic     absent' "$tmp/info.txt" || fail "info should say the critic is absent"

# Noise from a file, .npy output: [6, 1, 128, 128] float32 = 80 + 6*128*128*4 bytes (v1 header 128).
$CGAN generate --model $data/gen.npz --class 3 --noise $data/gen_z.npy --out "$tmp/x.npy" 2> /dev/null
[ "$(wc -c < "$tmp/x.npy")" -eq $((128 + 6 * 128 * 128 * 4)) ] || fail "x.npy has the wrong size"
# Seeded noise into PNGs, and every class with the same noise.
$CGAN generate --model $data/gen.npz --class 1 --count 3 --seed 5 --out "$tmp/png" 2> /dev/null
[ -f "$tmp/png/sample_0002.png" ] || fail "no PNGs written"
$CGAN generate --model $data/gen.npz --all-classes --count 2 --seed 5 --out "$tmp/all" 2> /dev/null
[ "$(ls "$tmp/all" | wc -l)" -eq 8 ] || fail "--all-classes should make 8 directories"
cmp -s "$tmp/png/sample_0000.png" "$tmp/all/class_1/sample_0000.png" || fail "same seed, same class, different image"

# Damaged or foreign checkpoints: exit status 1 and a message naming the file.
head -c 5000 $data/gen.npz > "$tmp/trunc.npz"
if $CGAN info "$tmp/trunc.npz" 2> "$tmp/err.txt"; then fail "truncated checkpoint accepted"; fi
[ $? -eq 1 ] || true
grep -q 'trunc.npz' "$tmp/err.txt" || fail "error does not name the file: $(cat "$tmp/err.txt")"
set +e
$CGAN generate --model "$tmp/trunc.npz" --class 0 --count 1 --out "$tmp/y.npy" 2> /dev/null
[ $? -eq 1 ] || fail "truncated model: exit status should be 1"
$CGAN generate --model $data/gen.npz --class 99 --count 1 --out "$tmp/y.npy" 2> /dev/null
[ $? -eq 2 ] || fail "bad class: exit status should be 2"
$CGAN generate --model $data/gen.npz --count 1 --out "$tmp/y.npy" 2> /dev/null
[ $? -eq 2 ] || fail "missing --class: exit status should be 2"
set -e
[ ! -e "$tmp/y.npy" ] || fail "a failed run left an output file"
echo "cli_model: ok"
