#!/usr/bin/env bash
# Soak (prints figures, not a test): scripts/soak.sh N [Q]
#  N cycles of `vcj run` on the mock; Q (default N/4, at least 1) template-factory runs on QEMU; Q cycles of a VM
#  cache server (size 1, from the template) started, used by one run and stopped by SIGTERM; one more cache server
#  used Q times; N `vcj monitor` scrapes (one monitor, one detached mock sandbox); N containerd pod cycles on the mock
#  (CriSoak: the CRI harness's own containerd and CNI bridge, RunPodSandbox to RemovePodSandbox through the root's
#  warm shim service). Before and after, it counts what a leak would leave: processes of its root, QEMU processes,
#  network namespaces and taps, mounts, cgroups, files under the root; and the open fds and threads of each
#  long-running vcj process from after its first use to after its last (the monitor, the server used Q times, the
#  shim service). It prints each count and its delta (target: every delta 0).
#  VCJ_SOAK_PARTS picks parts (default "mock template cache server monitor pods"; pods need containerd and the CNI
#  plugins: scripts/setup.sh).
#  Other engineers' VMs and namespaces on the same machine do not count: only this run's root and names are counted.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${VCJ_DIST:-$repo/distribution/target/vcj}
n=${1:-20}; q=${2:-$(( n / 4 > 0 ? n / 4 : 1 ))}
parts=${VCJ_SOAK_PARTS:-mock template cache server monitor pods}
[[ -x $dist/bin/vcj ]] || { echo "no distribution in $dist; run mvn install" >&2; exit 1; }
work=$(mktemp -d /tmp/vcj-soak.XXXXXX); root="$work/root"; mkdir -p "$root"; echo "$root" > "$work/pattern"
vcj() { "$dist/bin/vcj" --root="$root" --storage=fs "$@"; }
monitor=""; server=""
cleanup() {
  [[ -n $monitor ]] && { kill "$monitor" 2>/dev/null || true; wait "$monitor" 2>/dev/null || true; }
  [[ -n $server ]] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  for id in $(vcj list 2>/dev/null | awk 'NR>1 {print $1}'); do vcj delete --force "$id" >/dev/null 2>&1 || true; done
  vcj factory destroy --factory=cache >/dev/null 2>&1 || true
  vcj factory destroy >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- counters: each prints one number ---
# the root is read from a file, so that grep's own command line does not name it
with_root() { grep -l -s -F -f "$work/pattern" /proc/[0-9]*/cmdline 2>/dev/null | grep -v "^/proc/$$/" || true; }
ours() { with_root | wc -l; }
qemus() { for f in $(with_root); do { tr '\0' ' ' < "$f"; } 2>/dev/null | grep -q qemu-system && echo; done | wc -l; }
cache_ids() { cat "$work/cache-ids" 2>/dev/null || true; }
netns() { { ls /var/run/netns 2>/dev/null | grep -E '^vcj-soak-' || true; ls /var/run/netns 2>/dev/null | grep -F -f <(cache_ids; echo @none@) || true; } | sort -u | wc -l; }
taps() { ip -o link show type tun 2>/dev/null | grep -c -E 'vcj|soak' || true; }
mounts() { grep -c -F "$root" /proc/self/mountinfo || true; }
cgroups() { find /sys/fs/cgroup -maxdepth 4 -type d -name 'soak-*' 2>/dev/null | wc -l; }
files() { find "$root" -xdev ! -name 'vcj.log*' ! -path "$root/factory/template*" 2>/dev/null | wc -l; }
fds() { { ls "/proc/$1/fd" 2>/dev/null || true; } | wc -l; }
# threads, not counting the JVM's compiler threads (they come and go with the JIT's queue)
threads() { cat /proc/"$1"/task/*/comm 2>/dev/null | grep -c -v CompilerThre || true; }
snapshot() { printf '%s %s %s %s %s %s %s\n' "$(ours)" "$(qemus)" "$(netns)" "$(taps)" "$(mounts)" "$(cgroups)" "$(files)"; }
remember_cache_ids() { ls "$root/factory/cache/vms" 2>/dev/null >> "$work/cache-ids" || true; }
wait_for() { local what=$1 secs=$2; shift 2; for _ in $(seq $(( secs * 4 ))); do "$@" && return 0; sleep 0.25; done; echo "timed out waiting for $what" >&2; return 1; }

echo "soak ($parts): $n mock runs, $q template runs, $q cache cycles, one server used $q times, $n monitor scrapes, $n pod cycles; root $root" >&2
echo "making the template and one mock run, which makes the root's directories (not counted)..." >&2
vcj factory init --hypervisor=qemu >/dev/null
vcj run --hypervisor=mock --id=soak-warm -- true >/dev/null
read -r -a before < <(snapshot)
listing() { find "$root" -xdev ! -name 'vcj.log*' ! -path "$root/factory/template*" 2>/dev/null | sort; }
listing > "$work/files-before"
t0=$(date +%s)

part() { [[ " $parts " == *" $1 "* ]]; }
fail=0
t0=$(date +%s)
if part mock; then
  echo "mock runs..." >&2
  for i in $(seq "$n"); do vcj run --hypervisor=mock --id="soak-m$i" -- true >/dev/null 2>>"$work/errors" || fail=$((fail + 1)); done
fi
t1=$(date +%s)

if part template; then
  echo "template runs on QEMU..." >&2
  for i in $(seq "$q"); do
    vcj run --hypervisor=qemu --factory=template --id="soak-t$i" -- true >/dev/null 2>>"$work/errors" || fail=$((fail + 1))
  done
fi
t2=$(date +%s)

cache_ready() { remember_cache_ids; vcj factory status --factory=cache 2>/dev/null | grep -q '^cache .* ready '; }
# bin/vcj directly (not the function): $! is then the JVM itself (bin/vcj execs), which gets the SIGTERM
serve() { "$dist/bin/vcj" --root="$root" --storage=fs factory serve --factory=cache --size=1 --hypervisor=qemu --from=template \
    >>"$work/serve.log" 2>&1 & server=$!; }
stop_server() { local code=0; kill -TERM "$server"; wait "$server" || code=$?; (( code == 143 || code == 0 )) || term_fail=$((term_fail + 1)); server=""; }
# one use of the cache (a run that takes its VM) and its refill
use_cache() {
  vcj run --hypervisor=qemu --factory=cache --id="soak-c$1" -- true >/dev/null 2>>"$work/errors" || fail=$((fail + 1))
  wait_for "the refill" 300 cache_ready || fail=$((fail + 1))
}
term_fail=0
if part cache; then
  echo "cache server cycles (started, used once, SIGTERM)..." >&2
  for i in $(seq "$q"); do
    serve
    wait_for "the cache's VM" 300 cache_ready || fail=$((fail + 1))
    use_cache "$i"
    stop_server
  done
fi
t3=$(date +%s)

# the fds and threads of one server over Q uses, each count taken 65 s after the last call (the JDK's cached pools
# keep an idle thread 60 s)
sfd0=0; sth0=0; sfd1=0; sth1=0
if part server; then
  echo "one cache server, $q uses..." >&2
  serve
  wait_for "the cache's VM" 300 cache_ready || fail=$((fail + 1))
  use_cache s0; sleep 65; sfd0=$(fds "$server"); sth0=$(threads "$server")
  for i in $(seq "$q"); do use_cache "s$i"; done
  sleep 65; sfd1=$(fds "$server"); sth1=$(threads "$server")
  stop_server
fi
t4=$(date +%s)

mfd0=0; mth0=0; mfd1=0; mth1=0
if part monitor; then
  echo "monitor scrapes..." >&2
  vcj run --detach --hypervisor=mock --id=soak-mon -- sleep 3600 >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$dist/bin/vcj" --root="$root" --storage=fs monitor --listen=127.0.0.1:"$port" >"$work/monitor.log" 2>&1 & monitor=$!
  wait_for "the monitor" 60 grep -q serving "$work/monitor.log"
  scrape() { curl -sf "http://127.0.0.1:$port/metrics" -o /dev/null || fail=$((fail + 1)); }
  # counted 1 s after a scrape: the connection just served is then closed on the monitor's side too
  scrape; sleep 1; mfd0=$(fds "$monitor"); mth0=$(threads "$monitor")
  for i in $(seq "$n"); do scrape; done
  sleep 1; mfd1=$(fds "$monitor"); mth1=$(threads "$monitor")
  kill -TERM "$monitor"; wait "$monitor" 2>/dev/null || true; monitor=""
  vcj delete --force soak-mon >/dev/null
fi
t5=$(date +%s)

pods=0
if part pods; then
  echo "containerd pod cycles (mock)..." >&2
  pods=$n
  java -Dvcj.dist="$dist" -cp "$("$repo/scripts/test-classpath.sh")" org.vcj.distribution.CriSoak "$pods" \
    >"$work/pods.out" 2>"$work/pods.err" || { fail=$((fail + 1)); tail -20 "$work/pods.err" >>"$work/errors"; }
fi
t6=$(date +%s)

sleep 2
read -r -a after < <(snapshot)
names=("processes of the root" "QEMU processes" "network namespaces" "taps" "mounts" "cgroups" "files under the root")
printf '\n%-24s %8s %8s %8s\n' "COUNT" "BEFORE" "AFTER" "DELTA"
for k in "${!names[@]}"; do printf '%-24s %8s %8s %8d\n' "${names[$k]}" "${before[$k]}" "${after[$k]}" $(( after[k] - before[k] )); done
printf '%-24s %8s %8s %8d\n' "cache server fds" "$sfd0" "$sfd1" $(( sfd1 - sfd0 ))
printf '%-24s %8s %8s %8d\n' "cache server threads" "$sth0" "$sth1" $(( sth1 - sth0 ))
printf '%-24s %8s %8s %8d\n' "monitor fds" "$mfd0" "$mfd1" $(( mfd1 - mfd0 ))
printf '%-24s %8s %8s %8d\n' "monitor threads" "$mth0" "$mth1" $(( mth1 - mth0 ))
[[ -s $work/pods.out ]] && grep -v '^failed pod cycles' "$work/pods.out"
printf '\nfailed calls: %d; cache servers not ending 143/0 on SIGTERM: %d\n' "$fail" "$term_fail"
times=""
timed_part() { part "$1" && times+="${times:+, }$2 $3 s ($4)"; return 0; }
timed_part mock "mock runs" $((t1 - t0)) "$n"; timed_part template "template runs" $((t2 - t1)) "$q"
timed_part cache "cache cycles" $((t3 - t2)) "$q"; timed_part server "one server" $((t4 - t3)) "$q uses"
timed_part monitor "monitor scrapes" $((t5 - t4)) "$n"; timed_part pods "pod cycles" $((t6 - t5)) "$pods"
printf 'time: %s\n' "$times"
[[ -s $work/pods.out ]] && grep '^failed pod cycles' "$work/pods.out"
listing > "$work/files-after"
added=$(comm -13 "$work/files-before" "$work/files-after" | sed "s|^$root/||")
[[ -n $added ]] && { echo "paths under the root that were not there before:"; echo "$added" | sed 's/^/  /'; }
[[ -s $work/errors ]] && { echo "errors:"; sort "$work/errors" | uniq -c | head -20; }
exit 0
