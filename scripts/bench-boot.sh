#!/usr/bin/env bash
# Benchmark (not a test): where the time of a VM sandbox goes, under this machine's accelerator (TCG here).
#  (a) bare boot: the same kernel + a tiny initramfs whose /init powers off at once (QEMU start -> exit)
#  (b) cold `vcj run --hypervisor=qemu -- true` (a fresh CLI JVM, VM boot, agent, container, teardown)
#      and RunSandbox until the container's first output line
#  (c) the agent's start inside the guest (JVM start -> serving, as the agent reports it)
# Prints medians of N runs (default 3) and the ratio (b)/(a). Needs a built distribution (./vcj builds it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${VCJ_DIST:-$repo/distribution/target/vcj}; guest="$dist/guest"; n=${1:-3}
[[ -f $guest/vmlinux ]] || { echo "no guest in $guest; run ./vcj once or mvn install" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

mkdir -p "$work/init/bin"; cp /bin/busybox "$work/init/bin/"
printf '#!/bin/busybox sh\n/bin/busybox poweroff -f\n' > "$work/init/init"; chmod +x "$work/init/init"
(cd "$work/init" && find . | cpio -o -H newc --quiet) > "$work/bare.cpio"
for i in $(seq "$n"); do
  s=$(now)
  qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m 1024 -nodefaults -no-user-config -nographic -no-reboot \
    -serial file:"$work/bare.log" -kernel "$guest/vmlinux" -initrd "$work/bare.cpio" -append "console=ttyS0 panic=-1 quiet"
  echo "$(now) - $s" | bc
done > "$work/a"
root="$work/root"
for i in $(seq "$n"); do
  s=$(now); "$dist/bin/vcj" --root="$root" run --hypervisor=qemu -- true; echo "$(now) - $s" | bc
done > "$work/b"
for i in $(seq "$n"); do
  s=$(now); "$dist/bin/vcj" --root="$root" run --hypervisor=qemu --detach --id="b$i" -- sh -c 'echo first; sleep 600' >/dev/null
  grep -ho "agent ready [0-9]* ms" "$root/sandboxes/b$i/vm/console.log" | grep -o '[0-9]*' >> "$work/c"
  "$dist/bin/vcj" --root="$root" delete --force "b$i" >/dev/null
done
for i in $(seq "$n"); do
  s=$(now); "$dist/bin/vcj" --root="$root" run --hypervisor=qemu -- echo first | { read -r _; echo "$(now) - $s" | bc; cat >/dev/null; }
done > "$work/d"
a=$(median < "$work/a"); b=$(median < "$work/b"); c=$(median < "$work/c"); d=$(median < "$work/d")
printf '(a) bare boot to poweroff:            %6.2f s\n' "$a"
printf '(b) cold vcj run --hypervisor=qemu:   %6.2f s   (RunSandbox to the first output line: %.2f s)\n' "$b" "$d"
printf '(c) agent start inside the guest:     %6.2f s\n' "$(echo "$c / 1000" | bc -l)"
printf 'ratio (b)/(a): %.2f   (target on this machine: <= 1.5)\n' "$(echo "$b / $a" | bc -l)"
