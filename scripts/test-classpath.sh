#!/usr/bin/env bash
# Prints the class path of the distribution's test classes and their dependencies (for the scripts that run a
# benchmark or soak written with the integration tests' harness: bench-cri.sh, soak.sh). Needs a built tree.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[[ -d $repo/distribution/target/test-classes/org/vcj/distribution/cri ]] || { echo "no test classes; run mvn install first" >&2; exit 1; }
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
(cd "$repo" && mvn -B -q -o -pl distribution dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
echo "$repo/distribution/target/test-classes:$(cat "$cp_file")"
