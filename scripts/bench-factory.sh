#!/usr/bin/env bash
# Benchmark (not a test): what the VM factories save, measured in one run on this machine (TCG here).
#  (a) bare boot: the same kernel + a tiny initramfs whose /init powers off at once (QEMU start -> exit)
#  (b) cold `vcj run --hypervisor=qemu -- true` (direct factory: VM boot, agent, container, teardown)
#  (c) the same with --factory=template (the template is made first, its making timed apart)
#  (d) the same with --factory=cache, the pool warm (a cache server of 2 VMs from the template)
#  (e) a template sandbox cycle (run of /bin/true: create, start, wait, delete) inside one warm JVM: `vcj shell -c` with
#      K+1 runs minus the same shell with one, over K (the JVM's first-run class loading and JIT are in both shells, so
#      they cancel), and where its time goes: the core's phase times (logged at debug level with
#      -Dvcj.log.debug=org.vcj.timing), median per phase over the K+1 runs; what they do not cover is the CLI's
#      part (stdio relay, waiting for the exit, the verb's own work)
#  (f) the same with --factory=cache (a server of K+2 VMs from the template, pool full before each shell starts, so
#      that every run takes a ready VM, not one being refilled)
#  PSS (proportional set size, /proc/PID/smaps_rollup) of a cold VM's QEMU, and of one clone while three run.
# b and c alternate, N rounds (default 3); then d, N runs, each with the cache's pool full (its server runs only then:
# its idle VMs take CPU under TCG); medians, and c and d as ratios to b. Needs a built distribution.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${VCJ_DIST:-$repo/distribution/target/vcj}; guest="$dist/guest"; n=${1:-3}; k=${K:-5}
[[ -f $guest/vmlinux ]] || { echo "no guest in $guest; run ./vcj once or mvn install" >&2; exit 1; }
work=$(mktemp -d); root="$work/root"; vcj() { "$dist/bin/vcj" --root="$root" "$@"; }
server=""
cleanup() {
  [[ -n $server ]] && { vcj factory destroy --factory=cache >/dev/null 2>&1 || true; kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  for id in $(vcj list 2>/dev/null | awk 'NR>1 {print $1}'); do vcj delete --force "$id" >/dev/null 2>&1 || true; done
  vcj factory destroy >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { local s; s=$(now); "$@" >/dev/null 2>&1; echo "$(now) - $s" | bc; }
pss_kib() { awk '/^Pss:/ {print $2}' "/proc/$(cat "$root/sandboxes/$1/vm/qemu.pid")/smaps_rollup"; }
cached_ready() { vcj factory status --factory=cache 2>/dev/null | grep -c '^cache .* ready ' || true; }
# every cache run starts with the pool full: a refill booting in the background would slow the run it overlaps
pool_full() { for _ in $(seq 480); do (( $(cached_ready) >= ${1:-2} )) && return; sleep 0.5; done; }
# seconds per cycle of `vcj shell -c` with K+1 runs of "$@" beyond the same shell with one, over K; the phase log of
# the K+1 runs in $work/phases.$tag. A cache pool is refilled to $pool before each shell.
warm_cycle() {
  local tag=$1 pool=$2 one runs t1 tk; shift 2
  one="vc:run $* -- /bin/true"
  runs=$(for _ in $(seq "$k"); do printf '; vc:run %s -- /bin/true' "$*"; done)
  (( pool == 0 )) || pool_full "$pool"
  t1=$(timed vcj shell -c "vc:list; $one")
  (( pool == 0 )) || pool_full "$pool"
  : > "$root/log/vcj.log"
  tk=$(VCJ_JAVA_OPTS="-Dvcj.log.debug=org.vcj.timing" timed vcj shell -c "vc:list; $one$runs")
  grep -ao 'phase [^ ]* [^ ]* [0-9.]* ms' "$root/log/vcj.log" > "$work/phases.$tag" || true
  echo "($tk - $t1) / $k" | bc -l
}
# the phases of a warm_cycle log: median ms per phase over the runs, in the order they first occur, then the rest
breakdown() {
  local tag=$1 cycle=$2
  awk -v cycle="$cycle" -v k="$((k + 1))" '
    { name = $3; ms = $4; if (!(name in seen)) { seen[name] = 1; order[++n] = name } v[name, ++cnt[name]] = ms }
    END {
      total = 0
      for (i = 1; i <= n; i++) {
        name = order[i]; c = cnt[name]
        for (a = 1; a <= c; a++) s[a] = v[name, a]
        for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
        med = s[int((c + 1) / 2)]; per = med * c / k; total += per
        printf "    %-32s %7.1f ms  (%.0f%%)\n", name, per, 100 * per / (cycle * 1000)
      }
      printf "    %-32s %7.1f ms  (%.0f%%)\n", "CLI: relay, exit wait, verb", cycle * 1000 - total, 100 * (cycle * 1000 - total) / (cycle * 1000)
    }' "$work/phases.$tag"
}

mkdir -p "$work/init/bin"; cp /bin/busybox "$work/init/bin/"
printf '#!/bin/busybox sh\n/bin/busybox poweroff -f\n' > "$work/init/init"; chmod +x "$work/init/init"
(cd "$work/init" && find . | cpio -o -H newc --quiet) > "$work/bare.cpio"
for i in $(seq "$n"); do
  timed qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m 1024 -nodefaults -no-user-config -nographic -no-reboot \
    -serial file:"$work/bare.log" -kernel "$guest/vmlinux" -initrd "$work/bare.cpio" -append "console=ttyS0 panic=-1 quiet"
done > "$work/a"

echo "making the template..." >&2
tmake=$(timed vcj factory init --hypervisor=qemu)
for i in $(seq "$n"); do
  echo "round $i/$n (cold, template)..." >&2
  timed vcj run --hypervisor=qemu -- true >> "$work/b"
  timed vcj run --hypervisor=qemu --factory=template -- true >> "$work/c"
done
echo "template cycles inside one JVM ($k)..." >&2
e=$(warm_cycle template 0 --hypervisor=qemu --factory=template)
# the cache server only now: its ready VMs idle under TCG and take CPU from whatever runs beside them
vcj factory serve --factory=cache --size=2 --hypervisor=qemu --from=template >"$work/serve.log" 2>&1 & server=$!
for i in $(seq "$n"); do
  echo "round $i/$n (cache)..." >&2
  pool_full; timed vcj run --hypervisor=qemu --factory=cache -- true >> "$work/d"
done
vcj factory destroy --factory=cache >/dev/null 2>&1 || true; wait "$server" 2>/dev/null || true; server=""
echo "cache cycles inside one JVM ($k, from a pool of $((k + 2)))..." >&2
vcj factory serve --factory=cache --size="$((k + 2))" --hypervisor=qemu --from=template >>"$work/serve.log" 2>&1 & server=$!
f=$(warm_cycle cache "$((k + 2))" --hypervisor=qemu --factory=cache)
vcj factory destroy --factory=cache >/dev/null 2>&1 || true; wait "$server" 2>/dev/null || true; server=""

vcj run --detach --hypervisor=qemu --id=pss-cold -- sleep 600 >/dev/null
sleep 5; cold=$(pss_kib pss-cold); vcj delete --force pss-cold >/dev/null
for c in 1 2 3; do vcj run --detach --hypervisor=qemu --factory=template --id="pss-clone$c" -- sleep 600 >/dev/null; done
sleep 5; for c in 1 2 3; do pss_kib "pss-clone$c"; done > "$work/pss"; clone=$(median < "$work/pss")

a=$(median < "$work/a"); b=$(median < "$work/b"); c=$(median < "$work/c"); d=$(median < "$work/d")
printf 'medians of %d rounds (b and c alternating, then d):\n' "$n"
printf '(a) bare boot to poweroff:                    %6.2f s\n' "$a"
printf '(b) cold vcj run --hypervisor=qemu -- true:   %6.2f s   (%.2f x bare boot)\n' "$b" "$(echo "$b / $a" | bc -l)"
printf '(c) the same, --factory=template:             %6.2f s   (%.2f x cold; target <= 0.3)\n' "$c" "$(echo "$c / $b" | bc -l)"
printf '(d) the same, --factory=cache (pool warm):    %6.2f s   (%.2f x cold; target <= 0.2)\n' "$d" "$(echo "$d / $b" | bc -l)"
printf '    making the template once:                 %6.2f s\n' "$tmake"
printf '(e) template cycle inside one warm JVM:       %6.2f s   (%.2f x bare boot; target <= 0.9), per phase:\n' "$e" "$(echo "$e / $a" | bc -l)"
breakdown template "$e"
printf '(f) cache cycle inside one warm JVM:          %6.2f s   (%.2f x bare boot), per phase:\n' "$f" "$(echo "$f / $a" | bc -l)"
breakdown cache "$f"
printf 'PSS of a cold VM QEMU:                        %6.1f MiB\n' "$(echo "$cold / 1024" | bc -l)"
printf 'PSS of one clone while three run (median):    %6.1f MiB   (%.2f x cold; target <= 0.3)\n' \
  "$(echo "$clone / 1024" | bc -l)" "$(echo "$clone / $cold" | bc -l)"
