#!/usr/bin/env bash
# Builds the vcj guest for the QEMU hypervisor, from Debian packages and the agent jar:
#   OUT/vmlinux         the Debian generic kernel, uncompressed (booted through its PVH entry: no xz under TCG)
#   OUT/initramfs.cpio  uncompressed: busybox, the virtio/9p modules, crun and its libraries, a jlinked JRE,
#                       the agent, and /init (mounts, cgroup2, modules, 9p share, starts the agent)
#   OUT/manifest        what went in, and the hash of the inputs
# Usage: scripts/guest-build.sh OUT AGENT_JAR    (cached: rebuilt only when an input changes)
set -euo pipefail
out=${1:?usage: guest-build.sh OUT AGENT_JAR}; agent_jar=$(readlink -f "${2:?usage: guest-build.sh OUT AGENT_JAR}")
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "vcj guest: $*" >&2; }
MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_console virtio_blk netfs fscache 9pnet 9pnet_virtio 9p"
JRE_MODULES="java.base,java.logging,java.naming,java.management,jdk.unsupported"

kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[[ -n $kpkg ]] || { log "no linux-image-*-amd64 package known to apt; run apt-get update"; exit 1; }
hash=$( { cat "$0"; echo "$kpkg $MODULES $JRE_MODULES"; sha256sum "$agent_jar" /usr/bin/crun /bin/busybox; java -version 2>&1; } | sha256sum | cut -c1-16)
if [[ -f $out/manifest ]] && grep -q "^inputs $hash$" "$out/manifest"; then exit 0; fi

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
log "1/5 kernel: downloading $kpkg"
(cd "$work" && apt-get download -q "$kpkg" 2>/dev/null >/dev/null) || { log "apt-get download $kpkg failed"; exit 1; }
dpkg-deb -x "$work"/linux-image-*.deb "$work/k"
kver=${kpkg#linux-image-}
vmlinuz="$work/k/boot/vmlinuz-$kver"
offset=$(LC_ALL=C grep -m1 -obUaP '\xFD7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1 || true)
tail -c +$((offset + 1)) "$vmlinuz" | xz -dcq > "$work/vmlinux" 2>/dev/null || true
head -c4 "$work/vmlinux" | grep -q ELF || { log "could not extract vmlinux from $vmlinuz"; exit 1; }

log "2/5 initramfs: busybox, modules, crun"
r="$work/root"
mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,lib/modules,opt/vcj,usr/bin,var/tmp}
cp /bin/busybox "$r/bin/busybox"
for a in $(/bin/busybox --list); do [[ $a == busybox ]] || ln -sf busybox "$r/bin/$a"; done
for m in $MODULES; do
  f=$(find "$work/k/lib/modules/$kver" -name "$m.ko*" -print -quit)
  [[ -n $f ]] || { log "module $m not found in $kpkg"; exit 1; }
  cp "$f" "$r/lib/modules/$m.ko"
done
echo "$MODULES" > "$r/etc/modules"
cp /usr/bin/crun "$r/usr/bin/crun"
libs_of() { for f in "$@"; do ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true; done | sort -u; }
copy_libs() { for lib in $(libs_of "$@"); do [[ -e $r$lib ]] || { mkdir -p "$r$(dirname "$lib")"; cp -L "$lib" "$r$lib"; }; done; }
copy_libs /usr/bin/crun
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"; printf 'root:x:0:\n' > "$r/etc/group"

log "3/5 JRE: jlink $JRE_MODULES"
jlink --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages --output "$r/opt/jre" >/dev/null
copy_libs "$r/opt/jre/bin/java" $(find "$r/opt/jre/lib" -name '*.so')
for lib in libdl.so.2 libpthread.so.0 librt.so.1 libm.so.6; do cp -L "/lib/x86_64-linux-gnu/$lib" "$r/lib/x86_64-linux-gnu/$lib"; done  # dlopen()ed by netty's epoll
cp "$agent_jar" "$r/opt/vcj/vcj-agent.jar"

log "4/5 init"
cp "$here/guest-init.sh" "$r/init"; chmod 755 "$r/init"

log "5/5 cpio"
mkdir -p "$out"
(cd "$r" && find . | cpio -o -H newc --quiet) > "$out/initramfs.cpio.tmp"
mv "$work/vmlinux" "$out/vmlinux"; mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
{ echo "kernel $kpkg"; echo "modules $MODULES"; echo "jre $JRE_MODULES"; echo "crun $(crun --version | head -1)";
  echo "inputs $hash"; } > "$out/manifest"
log "done: $out ($(du -sh "$out/initramfs.cpio" | cut -f1) initramfs)"
