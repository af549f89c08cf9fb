#!/usr/bin/env bash
# Makes the host-side CDS archives of a distribution, so that a JVM maps the classes it needs instead of parsing and
# verifying them again on every start:
#   DIST/lib/vcj.jsa              a CLI call (JDK, Felix, bundles): a mock `run -- true` in a throw-away root, or,
#                                 where containers cannot run, a `list`
#   DIST/agent/vcj-agent.classlist the classes the mock's agent loaded through that whole sandbox cycle (start,
#                                 CreateSandbox, CreateContainer, StartContainer, I/O, WaitProcess, teardown); the
#                                 guest build (scripts/guest-build.sh) adds them to the guest agent's archive
#   DIST/agent/vcj-agent.jsa      the agent's archive, dumped from that class list (or, without one, of its start)
# bin/vcj and the mock use them when they are there; a missing archive, or one another JDK made, only costs speed.
# Usage: scripts/cli-cds.sh DIST
set -euo pipefail
dist=$(cd "${1:?usage: cli-cds.sh DIST}" && pwd)
work=$(mktemp -d); trap 'kill "${agent:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
off="-Xlog:cds=off -Xlog:cds+dynamic=off"
jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dio.grpc.netty.shaded.io.netty.jfr.enabled=false"  # as AgentCommand
list="$dist/agent/vcj-agent.classlist"
rm -f "$dist/lib/vcj.jsa" "$dist/agent/vcj-agent.jsa" "$list"

dump() { VCJ_JAVA_OPTS="-XX:ArchiveClassesAtExit=$dist/lib/vcj.jsa $off" "$dist/bin/vcj" --root="$work/root" "$@" >/dev/null 2>&1; }
if VCJ_AGENT_JAVA_OPTS="-XX:DumpLoadedClassList=$work/agent.lst" dump run --hypervisor=mock -- true; then
  # ids are per JVM run (dropped, so lists can be merged); classes of custom loaders ("source:") are not archived
  grep -v ' source: ' "$work/agent.lst" | sed 's/ id: [0-9]*$//' | awk '!seen[$0]++' > "$list"
else
  dump list || { echo "vcj: no CLI CDS archive (vcj list failed); CLI calls start slower" >&2; rm -f "$dist/lib/vcj.jsa"; }
fi

if [[ -s $list ]]; then
  java $jvm -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$dist/agent/vcj-agent.jsa" \
    -Xlog:cds=error -cp "$dist/agent/vcj-agent.jar" >"$work/dump.log" 2>&1 \
    || { echo "vcj: no agent CDS archive (dump failed)" >&2; cat "$work/dump.log" >&2; rm -f "$dist/agent/vcj-agent.jsa"; }
else  # no sandbox cycle here: the agent's start only
  java $jvm -XX:ArchiveClassesAtExit="$dist/agent/vcj-agent.jsa" $off -jar "$dist/agent/vcj-agent.jar" \
    --listen="unix://$work/agent.sock" --state-dir="$work/agent" --oci-runtime=auto >"$work/agent.log" 2>&1 &
  agent=$!
  for _ in $(seq 300); do grep -qs "agent ready" "$work/agent.log" && break; sleep 0.1; done
  kill -TERM "$agent"; wait "$agent" || true
  grep -qs "agent ready" "$work/agent.log" || { echo "vcj: no agent CDS archive (the agent did not start)" >&2; rm -f "$dist/agent/vcj-agent.jsa"; }
fi
