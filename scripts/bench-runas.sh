#!/usr/bin/env bash
# Benchmark (not a test): what qemu.user (QEMU as vcj-qemu, its 9p exports served by root proxy helpers) costs per VM
# start, paired: each round runs the same thing as root QEMU (A, the baseline) and as vcj-qemu (B), alternately, so
# both see the same load. Per round: a cold `vcj run --hypervisor=qemu --volume=DIR:/data -- true` (a VM booted with
# two 9p exports), and a template clone's `vcj run --factory=template -- true` (one template per setting, made
# before timing). Prints the medians of N rounds (default 5) and the ratio B/A. Needs scripts/setup.sh (the user) and
# a built distribution.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${VCJ_DIST:-$repo/distribution/target/vcj}; n=${1:-5}
getent passwd vcj-qemu >/dev/null || { echo "no user vcj-qemu: run scripts/setup.sh" >&2; exit 1; }
work=$(mktemp -d); mkdir -p "$work/vol"
: > "$work/a.cfg"; printf 'qemu.user=vcj-qemu\n' > "$work/b.cfg"
vcj() { local s=$1; shift; VCJ_JAVA_OPTS="-Dvcj.conf=$work/$s.cfg" "$dist/bin/vcj" --root="$work/root-$s" "$@"; }
cleanup() { for s in a b; do vcj "$s" factory destroy >/dev/null 2>&1 || true; done; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for s in a b; do vcj "$s" run --hypervisor=qemu --factory=template -- true; done   # the templates, untimed
for i in $(seq "$n"); do
  for s in a b; do
    t=$(now); vcj "$s" run --hypervisor=qemu --volume="$work/vol:/data" -- true; echo "$(now) - $t" | bc >> "$work/cold-$s"
    t=$(now); vcj "$s" run --hypervisor=qemu --factory=template -- true; echo "$(now) - $t" | bc >> "$work/clone-$s"
  done
done
for what in cold clone; do
  a=$(median < "$work/$what-a"); b=$(median < "$work/$what-b")
  printf '%-6s root QEMU %6.2f s   qemu.user %6.2f s   ratio %.2f   (medians of %d)\n' "$what" "$a" "$b" "$(echo "$b / $a" | bc -l)" "$n"
done
