#!/usr/bin/env bash
# Density benchmark (prints figures, not a test): starts template clones running `sleep` one after the other until N
# are up at once, or says what stopped it (memory, a failed start), then prints the total and per-VM PSS of QEMU and of
# vcj's host processes, the host's idle CPU before and with all of them running, the CPU an idle sandbox VM takes, and
# the time to start the first and the last one. Everything it started is removed afterwards, whatever happened.
# Usage: scripts/bench-density.sh [N=50] [SETTLE_SECONDS=20]
set -euo pipefail
n=${1:-50}; settle=${2:-20}
repo=$(cd "$(dirname "$0")/.." && pwd)
bin="$repo/distribution/target/vcj/bin/vcj"
[[ -x $bin ]] || { echo "bench-density: build first (./vcj builds the distribution)" >&2; exit 1; }
root=$(mktemp -d /tmp/vcj-density.XXXXXX)
vcj() { "$bin" --root="$root" "$@"; }
started=()
cleanup() {
  for id in "${started[@]}"; do vcj delete --force "$id" >/dev/null 2>&1 & done; wait
  vcj factory destroy >/dev/null 2>&1 || true
  vcj cleanup >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT
mem_available_mib() { awk '/MemAvailable:/ {print int($2/1024)}' /proc/meminfo; }
# idle share of the host's CPU over $1 seconds, in percent (from /proc/stat: idle + iowait over all)
idle_pct() {
  read -r _ a1 b1 c1 d1 e1 f1 g1 h1 _ < /proc/stat; sleep "$1"; read -r _ a2 b2 c2 d2 e2 f2 g2 h2 _ < /proc/stat
  local busy=$(( (a2-a1)+(b2-b1)+(c2-c1)+(f2-f1)+(g2-g1)+(h2-h1) )) idle=$(( (d2-d1)+(e2-e1) ))
  awk -v i="$idle" -v b="$busy" 'BEGIN {printf "%.1f", 100*i/(i+b)}'
}
pss_kib() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '/^Pss:/ {s+=$2} END {print s+0}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) )); done; echo "$t"; }
qemu_pids() { pgrep -f "qemu-system.*$root" || true; }
vcj_pids() { pgrep -f "java.*vcj.*$root" || true; }

echo "bench-density: making the template (once)..." >&2
vcj factory init --hypervisor=qemu >/dev/null
idle_before=$(idle_pct 10)
stopped_by=""; first=""; last=""
for i in $(seq 1 "$n"); do
  if (( $(mem_available_mib) < 1536 )); then stopped_by="memory: MemAvailable $(mem_available_mib) MiB < 1536 MiB before clone $i"; break; fi
  t0=$(date +%s.%N)
  if ! out=$(vcj run --detach --hypervisor=qemu --factory=template --id="d$i" -- sleep 1000000 2>&1); then
    stopped_by="clone $i failed to start: $(echo "$out" | tail -1)"; break
  fi
  started+=("d$i")
  dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b-a}')
  [[ -z $first ]] && first=$dt
  last=$dt
  (( i % 10 == 0 )) && echo "bench-density: $i up (last start ${dt} s, MemAvailable $(mem_available_mib) MiB)" >&2
done
up=${#started[@]}
sleep "$settle"
idle_with=$(idle_pct 20)
mapfile -t qp < <(qemu_pids); mapfile -t vp < <(vcj_pids)
qpss=$(pss_kib "${qp[@]}"); vpss=$(pss_kib "${vp[@]}")
echo "== bench-density: $up of $n template clones up at once${stopped_by:+ (stopped: $stopped_by)}"
awk -v up="$up" -v q="$qpss" -v v="$vpss" -v nq="${#qp[@]}" -v nv="${#vp[@]}" -v ib="$idle_before" -v iw="$idle_with" \
    -v f="$first" -v l="$last" -v cores="$(nproc)" 'BEGIN {
  printf "start of the first clone %s s, of the last (%d) %s s\n", f, up, l
  printf "QEMU PSS: total %.0f MiB in %d processes, %.1f MiB per VM\n", q/1024, nq, (up ? q/1024/up : 0)
  printf "vcj host processes PSS: total %.0f MiB in %d processes, %.2f MiB per VM\n", v/1024, nv, (up ? v/1024/up : 0)
  printf "host idle CPU: %.1f %% before, %.1f %% with %d idle sandboxes (%d cores)\n", ib, iw, up, cores
  printf "CPU of one idle sandbox VM: %.2f %% of the host (target <= 1 %%)\n", (up ? (ib-iw)/up : 0)
}'
