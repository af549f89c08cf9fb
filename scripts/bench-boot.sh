#!/usr/bin/env bash
# Benchmark (not a test): where the time and memory of a VM sandbox go, under this machine's accelerator, in one run.
#  (a) bare boot: the same kernel + a tiny initramfs whose /init powers off at once (QEMU start -> exit): the baseline
#  (b) cold `vcj run --hypervisor=qemu -- true` (a fresh CLI JVM, VM boot, agent, container, teardown), and RunSandbox
#      until the container's first output line
#  (c) the guest's boot: kernel until /init, and /init until the agent serves (as /init and the agent print them)
#  (d) host memory (PSS) of a default detached sandbox's QEMU, once its container runs
#  (e) `vcj list` (CLI start: JVM + Felix + bundles) and a mock sandbox cycle (create, start, wait, delete of /bin/true)
#      inside one JVM (`vcj shell -c` with K runs, minus the same shell with none)
# Prints medians of N runs (default 3), the ratios to (a), and the targets. Needs a built distribution (./vcj builds it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${VCJ_DIST:-$repo/distribution/target/vcj}; guest="$dist/guest"; n=${1:-3}; k=10
[[ -f $guest/vmlinux ]] || { echo "no guest in $guest; run ./vcj once or mvn install" >&2; exit 1; }
work=$(mktemp -d); root="$work/root"
leftovers() { for id in $("$dist/bin/vcj" --root="$root" list 2>/dev/null | awk 'NR > 1 {print $1}'); do
  "$dist/bin/vcj" --root="$root" delete --force "$id" >/dev/null 2>&1 || true; done; }
trap 'leftovers; rm -rf "$work"' EXIT
vcj() { "$dist/bin/vcj" --root="$root" "$@"; }
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -ao "$1 [0-9.]*" "$2" | head -1 | awk '{print $NF}'; }

mkdir -p "$work/init/bin"; cp /bin/busybox "$work/init/bin/"
printf '#!/bin/busybox sh\n/bin/busybox poweroff -f\n' > "$work/init/init"; chmod +x "$work/init/init"
(cd "$work/init" && find . | cpio -o -H newc --quiet) > "$work/bare.cpio"
for i in $(seq "$n"); do
  s=$(now)
  qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m 1024 -nodefaults -no-user-config -nographic -no-reboot \
    -serial file:"$work/bare.log" -kernel "$guest/vmlinux" -initrd "$work/bare.cpio" -append "console=ttyS0 panic=-1 quiet"
  echo "$(now) - $s" | bc
done > "$work/a"
vcj list >/dev/null  # the root, and the accelerator probe's answer, exist before anything is timed
for i in $(seq "$n"); do
  s=$(now); vcj run --hypervisor=qemu -- true; echo "$(now) - $s" | bc
done > "$work/b"
for i in $(seq "$n"); do
  s=$(now); vcj run --hypervisor=qemu -- echo first | { read -r _; echo "$(now) - $s" | bc; cat >/dev/null; }
done > "$work/d"
for i in $(seq "$n"); do
  vcj run --hypervisor=qemu --detach --id="b$i" -- sleep 600 >/dev/null
  console="$root/sandboxes/b$i/vm/console.log"
  for _ in $(seq 100); do grep -qa "agent ready" "$console" && break; sleep 0.1; done
  init=$(field "vcj-init: started" "$console"); ready=$(field "uptime" "$console")
  echo "$init" >> "$work/kernel"; echo "$ready - $init" | bc >> "$work/toagent"
  grep -ao "agent ready [0-9]* ms" "$console" | grep -o '[0-9]*' >> "$work/jvm"
  sleep 3  # the balloon reports freed pages after a couple of seconds
  pid=$(cat "$root/sandboxes/b$i/vm/qemu.pid")
  awk '/^Pss:/ {print $2 / 1024}' "/proc/$pid/smaps_rollup" >> "$work/pss"
  vcj delete --force "b$i" >/dev/null
done
for i in $(seq "$n"); do s=$(now); vcj list >/dev/null; echo "$(now) - $s" | bc; done > "$work/list"
runs=$(for _ in $(seq "$k"); do printf 'vc:run --hypervisor=mock -- /bin/true; '; done)
for i in $(seq "$n"); do
  s=$(now); vcj shell -c "vc:list" >/dev/null; m=$(now)
  vcj shell -c "vc:list; $runs" >/dev/null; e=$(now)
  echo "(($e - $m) - ($m - $s)) / $k" | bc -l
done > "$work/mock"

a=$(median < "$work/a"); b=$(median < "$work/b"); d=$(median < "$work/d")
printf '(a) bare boot to poweroff:                 %6.2f s\n' "$a"
printf '(b) cold vcj run --hypervisor=qemu -- true: %6.2f s   ratio to (a) %.2f  (target <= 4.0)\n' "$b" "$(echo "$b / $a" | bc -l)"
printf '    RunSandbox to the first output line:    %6.2f s   ratio to (a) %.2f\n' "$d" "$(echo "$d / $a" | bc -l)"
printf '(c) guest kernel until /init:               %6.2f s\n' "$(median < "$work/kernel")"
printf '    /init until the agent serves:           %6.2f s   (of it the agent JVM: %.2f s)\n' \
  "$(median < "$work/toagent")" "$(echo "$(median < "$work/jvm") / 1000" | bc -l)"
printf '(d) default sandbox QEMU PSS:               %6.0f MiB (target <= 200)\n' "$(median < "$work/pss")"
printf '(e) vcj list:                               %6.2f s   (target <= 0.35)\n' "$(median < "$work/list")"
printf '    mock cycle inside one JVM:              %6.3f s   (target <= 0.3; median of %d shells of %d runs)\n' "$(median < "$work/mock")" "$n" "$k"
