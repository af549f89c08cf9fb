#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent; Debian packages, as root or via sudo),
# then builds every module and runs all tests — unit tests, the Felix/pax-exam integration tests,
# and the tests that boot real QEMU VMs (under TCG where KVM is not usable).
# Benchmarks are not tests: run them with scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec mvn -B ${VCJ_MVN_ARGS:-} -DexcludedGroups=benchmark verify
