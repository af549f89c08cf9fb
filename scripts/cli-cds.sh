#!/usr/bin/env bash
# Makes the host-side CDS archives of a distribution, so that a JVM maps the classes it needs instead of parsing and
# verifying them again on every start:
#   DIST/agent/vcj-agent.jsa  the agent up to serving (the mock hypervisor starts one agent JVM per sandbox)
#   DIST/lib/vcj.jsa          a CLI call (JDK, Felix, bundles): a mock `run -- true` in a throw-away root, or, where
#                             containers cannot run, a `list`
# bin/vcj and the mock use them when they are there; a missing archive, or one another JDK made, only costs speed.
# Usage: scripts/cli-cds.sh DIST
set -euo pipefail
dist=$(cd "${1:?usage: cli-cds.sh DIST}" && pwd)
work=$(mktemp -d); trap 'kill "${agent:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
off="-Xlog:cds=off -Xlog:cds+dynamic=off"
rm -f "$dist/lib/vcj.jsa" "$dist/agent/vcj-agent.jsa"

java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$dist/agent/vcj-agent.jsa" $off \
  -Dio.grpc.netty.shaded.io.netty.jfr.enabled=false -jar "$dist/agent/vcj-agent.jar" --listen="unix://$work/agent.sock" \
  --state-dir="$work/agent" --oci-runtime=auto >"$work/agent.log" 2>&1 &
agent=$!
for _ in $(seq 300); do grep -qs "agent ready" "$work/agent.log" && break; sleep 0.1; done
kill -TERM "$agent"; wait "$agent" || true
grep -qs "agent ready" "$work/agent.log" || { echo "vcj: no agent CDS archive (the agent did not start)" >&2; rm -f "$dist/agent/vcj-agent.jsa"; }

dump() { VCJ_JAVA_OPTS="-XX:ArchiveClassesAtExit=$dist/lib/vcj.jsa $off" "$dist/bin/vcj" --root="$work/root" "$@" >/dev/null 2>&1; }
dump run --hypervisor=mock -- true || dump list || { echo "vcj: no CLI CDS archive (vcj list failed); CLI calls start slower" >&2; rm -f "$dist/lib/vcj.jsa"; }
