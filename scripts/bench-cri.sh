#!/usr/bin/env bash
# Benchmark (not a test): vcj pods under Kubernetes' CRI, in one run on this machine (TCG here), through the CRI
# plugin of a containerd of its own (the CRI integration test's harness, CriContainerd: own root, socket, CNI bridge
# on 198.51.100.0/24 without host address) and a Java CRI client (crictl is not in Debian 12):
#  - pod start = RunPodSandbox + CreateContainer + StartContainer + ExecSync of `echo`, on the mock and on QEMU with
#    the template factory (made first): the first pod and the next ones (each pod kept running)
#  - the baseline, in the same run: the same sandbox made inside one warm JVM (`vcj shell -c` with several vc:run,
#    minus the same shell with none)
#  - 10 mock pods started in parallel: wall time until all are Ready
#  - PSS of vcj's host processes (shims, the mock's agents; QEMU not counted) per pod at 1 and at 10 pods
# and the ratios against the targets of issue 16. Usage: scripts/bench-cri.sh [MOCK_PODS [QEMU_PODS]] (default 4 3).
# Needs root, containerd and containernetworking-plugins (scripts/setup.sh), and a built tree (mvn install).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=${VCJ_DIST:-$repo/distribution/target/vcj}
[[ -f $dist/guest/vmlinux ]] || { echo "no guest in $dist/guest; run mvn install first" >&2; exit 1; }
cp=$("$repo/scripts/test-classpath.sh")
exec java -Dvcj.dist="$dist" -cp "$cp" org.vcj.distribution.CriBench "$@"
