#!/usr/bin/env bash
# Builds the default container rootfs: busybox-static with a symlink for every applet.
# Usage: scripts/build-rootfs.sh DEST   (idempotent: rebuilt only when /bin/busybox changes)
set -euo pipefail
dest=${1:?usage: build-rootfs.sh DEST}
busybox=${BUSYBOX:-/bin/busybox}
[[ -x $busybox ]] || { echo "build-rootfs: $busybox not found; install busybox-static (scripts/setup.sh)" >&2; exit 1; }
stamp="$dest/.vcj-rootfs-stamp"
want=$(sha256sum "$busybox" | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then exit 0; fi
# Build beside the destination, then swap it in, so that an interrupted build never leaves a half rootfs behind.
final=$dest
dest="$final.tmp.$$"
trap 'rm -rf "$dest"' EXIT
rm -rf "$dest"
mkdir -p "$dest"/{bin,etc,proc,sys,dev,tmp,root,run,var/tmp}
chmod 1777 "$dest/tmp" "$dest/var/tmp"
cp "$busybox" "$dest/bin/busybox"
for applet in $("$busybox" --list); do
  [[ $applet == busybox ]] || ln -sf busybox "$dest/bin/$applet"
done
mkdir -p "$dest/usr"; ln -sfn ../bin "$dest/usr/bin"; ln -sfn bin "$dest/sbin"; ln -sfn ../bin "$dest/usr/sbin"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$dest/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$dest/etc/group"
echo vcj > "$dest/etc/hostname"
echo "$want" > "$dest/.vcj-rootfs-stamp"
rm -rf "$final"
mv "$dest" "$final"
trap - EXIT
