#!/usr/bin/env bash
# Installs the Debian packages vcj needs (idempotent: only what is missing).
# Runs apt-get as root, or through sudo when not root. Safe to run any number of times.
set -euo pipefail
PKGS=(qemu-system-x86 qemu-utils crun runc busybox-static cpio xz-utils erofs-utils tmux containerd  # tmux: the terminal tests (TerminalIT); containerd: ContainerdShimIT, CriPodIT
      containernetworking-plugins  # CNI (bridge, host-local, loopback in /usr/lib/cni): the CRI tests (CriPodIT) and bench-cri.sh
      make gcc bc flex bison libelf-dev)  # the guest kernel (scripts/guest-kernel.sh)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "vcj setup: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "vcj setup: '$tool' not found; install a JDK 17 and Maven 3.8+" >&2; exit 1; }
done
# qemu.user: a system user of QEMU's own (no home, no shell, no password), so a QEMU escape is not root and shares no
# files with another daemon's user (nobody)
if ! getent passwd vcj-qemu >/dev/null; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vcj-qemu
fi
# a QEMU that runs as vcj-qemu opens /dev/net/tun itself for a hot-plugged NIC (and a template clone's NICs): the
# distributions' udev rule makes it 0666 (the kernel still lets only root create a tap, and only a tap's owner attach
# to it); a host without that rule (a minimal VM's devtmpfs) has 0600
if [[ -c /dev/net/tun && $(stat -c %a /dev/net/tun) != 666 ]]; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO chmod 0666 /dev/net/tun
fi
