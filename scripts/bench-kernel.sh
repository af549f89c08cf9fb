#!/usr/bin/env bash
# Benchmark (not a test): two guest kernels side by side, paired in one run (A, B, A, B, ...), so that the machine's
# load weighs on both alike. Each boot: the kernel with a tiny initramfs whose /init prints the guest's uptime (the
# kernel's time until /init) and /proc/meminfo, then powers off. Prints, per kernel, the medians of the QEMU wall
# time (start to exit), the uptime at /init, MemTotal (RAM minus what the kernel keeps: its code, data, reserved
# areas) and MemAvailable at /init, the vmlinux size; then B - A.
# Usage: scripts/bench-kernel.sh VMLINUX_A VMLINUX_B [N=5]
set -euo pipefail
a=${1:?usage: bench-kernel.sh VMLINUX_A VMLINUX_B [N]}; b=${2:?usage: bench-kernel.sh VMLINUX_A VMLINUX_B [N]}; n=${3:-5}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/init/bin" "$work/init/proc"; cp /bin/busybox "$work/init/bin/"
cat > "$work/init/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
read up _ < /proc/uptime
echo "vcj-bench uptime $up"
/bin/busybox awk '/^Mem(Total|Available):/ {print "vcj-bench " $1 " " $2}' /proc/meminfo
/bin/busybox poweroff -f
INIT
chmod +x "$work/init/init"
(cd "$work/init" && find . | cpio -o -H newc --quiet) > "$work/init.cpio"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
boot() {  # kernel label
  local s log="$work/$2.log"
  s=$(date +%s.%N)
  qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m 1024 -nodefaults -no-user-config -nographic -no-reboot \
    -serial file:"$log" -kernel "$1" -initrd "$work/init.cpio" -append "console=ttyS0 panic=-1 quiet"
  echo "$(date +%s.%N) - $s" | bc >> "$work/$2.wall"
  tr -d '\r' < "$log" > "$log.txt"; log="$log.txt"
  grep -ao 'vcj-bench uptime [0-9.]*' "$log" | awk '{print $3}' >> "$work/$2.up"
  grep -ao 'vcj-bench MemTotal: [0-9]*' "$log" | awk '{print $3}' >> "$work/$2.total"
  grep -ao 'vcj-bench MemAvailable: [0-9]*' "$log" | awk '{print $3}' >> "$work/$2.avail"
}
for i in $(seq "$n"); do boot "$a" A; boot "$b" B; done
printf '%-3s %10s %12s %14s %18s %12s\n' "" "wall s" "to /init s" "MemTotal KiB" "MemAvailable KiB" "vmlinux KiB"
for k in A B; do
  f=$a; [[ $k == B ]] && f=$b
  printf '%-3s %10s %12s %14s %18s %12s\n' "$k" "$(median < "$work/$k.wall")" "$(median < "$work/$k.up")" \
    "$(median < "$work/$k.total")" "$(median < "$work/$k.avail")" "$(( $(stat -c %s "$f") / 1024 ))"
done
echo "B - A: to /init $(echo "$(median < "$work/B.up") - $(median < "$work/A.up")" | bc) s," \
  "MemTotal $(( $(median < "$work/B.total") - $(median < "$work/A.total") )) KiB," \
  "MemAvailable $(( $(median < "$work/B.avail") - $(median < "$work/A.avail") )) KiB ($n boots each, paired)"
