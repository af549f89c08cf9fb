#!/usr/bin/env bash
# Builds the vcj guest for the QEMU hypervisor, from Debian packages and the agent jar:
#   OUT/vmlinux         vcj's own minimal kernel (scripts/guest-kernel.sh: everything built in, no modules),
#                       uncompressed (booted through its PVH entry: no decompression under TCG)
#   OUT/initramfs.cpio  small and uncompressed: static busybox and /init (mounts, cgroup2, the guest image at /opt,
#                       starts the agent); /lib, /lib64 and /usr/bin/crun are links into /opt
#   OUT/guest.img       read-only erofs image mounted at /opt: crun, the shared libraries of crun and the JRE, a
#                       jlinked JRE, the agent, and a CDS archive of the
#                       classes the agent loads up to serving (JDK and agent classes, dumped at build time in a chroot
#                       of the guest's own files, so the paths and timestamps the JVM checks are the guest's)
#   OUT/manifest        what went in, and the hash of the inputs
# The JRE and agent are on a disk image, not in the initramfs, because the kernel unpacks an initramfs whole into
# guest RAM and QEMU keeps a copy of it: a disk image is read lazily and costs only the pages the agent touches.
# Usage: scripts/guest-build.sh OUT AGENT_JAR [CLASSLIST]    (cached: rebuilt only when an input changes)
#   CLASSLIST: classes an agent loaded through a whole sandbox cycle on the host (scripts/cli-cds.sh); they join the
#   guest archive, so the agent's first RPCs (CreateSandbox, CreateContainer, ...) map their classes too
set -euo pipefail
out=${1:?usage: guest-build.sh OUT AGENT_JAR [CLASSLIST]}; agent_jar=$(readlink -f "${2:?usage: guest-build.sh OUT AGENT_JAR [CLASSLIST]}")
classlist=${3:-}; [[ -n $classlist && -s $classlist ]] || classlist=""
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "vcj guest: $*" >&2; }
JRE_MODULES="java.base,java.logging,java.naming,java.management,jdk.unsupported"
# The JDK the guest's JRE is linked from: VCJ_GUEST_JDK (a JDK home), else the JDK of the java on PATH. With a JDK 24
# or later the agent's archive also holds its classes loaded and linked ahead of time (JEP 483, -XX:+AOTClassLinking).
guest_jdk=${VCJ_GUEST_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[[ -x $guest_jdk/bin/jlink && -x $guest_jdk/bin/java ]] || { log "VCJ_GUEST_JDK=$guest_jdk is not a JDK home (no bin/jlink)"; exit 1; }
jdk_feature=$("$guest_jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[[ $jdk_feature =~ ^[0-9]+$ ]] || { log "cannot tell the version of the JDK in $guest_jdk"; exit 1; }
aot_linking=""; (( jdk_feature < 24 )) || aot_linking="-XX:+AOTClassLinking"

khash=$("$here/guest-kernel.sh" --hash)
hash=$( { cat "$0" "$here/guest-init.sh"; echo "kernel $khash $JRE_MODULES classlist=${classlist:+yes}"; sha256sum "$agent_jar" /usr/bin/crun /bin/busybox; "$guest_jdk/bin/java" -version 2>&1; } | sha256sum | cut -c1-16)
command -v mkfs.erofs >/dev/null || { log "mkfs.erofs not found; run scripts/setup.sh (package erofs-utils)"; exit 1; }
if [[ -f $out/manifest ]] && grep -q "^inputs $hash$" "$out/manifest"; then exit 0; fi

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
log "1/6 kernel (built once, then cached in build/guest-kernel/$khash)"
vmlinux=$("$here/guest-kernel.sh")

log "2/6 initramfs: busybox; crun and the shared libraries (in the image)"
# Only static busybox runs before /opt is mounted: everything dynamically linked, and the libraries, live in the image
# (read lazily), not in the initramfs (which the kernel unpacks whole into guest RAM while QEMU keeps a copy)
r="$work/root"
mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,lib,opt/vcj,opt/bin,opt/lib,opt/lib64,usr/bin,var/tmp}
ln -s ../opt/lib/x86_64-linux-gnu "$r/lib/x86_64-linux-gnu"; ln -s opt/lib64 "$r/lib64"; ln -s ../../opt/bin/crun "$r/usr/bin/crun"
cp /bin/busybox "$r/bin/busybox"
for a in $(/bin/busybox --list); do [[ $a == busybox ]] || ln -sf busybox "$r/bin/$a"; done
cp /usr/bin/crun "$r/opt/bin/crun"
libs_of() { for f in "$@"; do ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true; done | sort -u; }
copy_libs() {  # into /opt/lib/x86_64-linux-gnu and /opt/lib64 (the links in / name them as ldd does)
  for lib in $(libs_of "$@"); do
    [[ $lib != "$r"/* ]] || continue   # the JRE's own
    local to="$r/opt${lib#/usr}"; [[ $lib == /lib64/* || $lib == /lib/* || $lib == /usr/lib/* ]] || { log "unexpected library $lib"; exit 1; }
    [[ -e $to ]] || { mkdir -p "$(dirname "$to")"; cp -L "$lib" "$to"; }
  done
}
copy_libs /usr/bin/crun
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"; printf 'root:x:0:\n' > "$r/etc/group"

log "3/6 JRE: jlink $JRE_MODULES (JDK $jdk_feature, $guest_jdk)"
"$guest_jdk/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages --output "$r/opt/jre" >/dev/null
copy_libs "$r/opt/jre/bin/java" $(find "$r/opt/jre/lib" -name '*.so')
for lib in libdl.so.2 libpthread.so.0 librt.so.1 libm.so.6; do cp -L "/lib/x86_64-linux-gnu/$lib" "$r/opt/lib/x86_64-linux-gnu/$lib"; done  # dlopen()ed by netty's epoll
cp "$agent_jar" "$r/opt/vcj/vcj-agent.jar"

log "4/6 CDS archive of the agent's start (in a chroot of the guest's files)"
# The JVM checks the size and mtime of the jar and the JRE's modules file against the archive: one fixed mtime
# here and in the image (mkfs.erofs -T) keeps them equal in the guest.
find "$r/opt" -exec touch -h -d @1 {} +
jvm_flags=$(sed -n 's/^JVM_FLAGS="\(.*\)"$/\1/p' "$here/guest-init.sh")
cat > "$r/tmp/cds.sh" <<EOF
java="/opt/jre/bin/java $jvm_flags"
\$java -Xshare:off -XX:DumpLoadedClassList=/tmp/classes.lst -jar /opt/vcj/vcj-agent.jar --listen=unix:///tmp/cds.sock \\
  --oci-runtime=crun --state-dir=/tmp/cds-state >/tmp/cds.log 2>&1 &
i=0; until grep -qs "agent ready" /tmp/cds.log; do i=\$((i+1)); [ \$i -lt 1200 ] || { cat /tmp/cds.log; exit 1; }; sleep 0.1; done
kill \$!; wait
cat /tmp/classes.lst /tmp/host.lst 2>/dev/null | grep -v ' source: ' | sed 's/ id: [0-9]*\$//' | awk '!seen[\$0]++' > /tmp/all.lst
\$java -Xshare:dump $aot_linking -XX:SharedClassListFile=/tmp/all.lst -XX:SharedArchiveFile=/opt/vcj/agent.jsa \\
  -Xlog:cds=error -cp /opt/vcj/vcj-agent.jar >/tmp/cds-dump.log 2>&1 || { cat /tmp/cds-dump.log; exit 1; }
EOF
[[ -z $classlist ]] || cp "$classlist" "$r/tmp/host.lst"
cds() {  # in its own pid and mount namespaces (as root, or as root of a user namespace), with /proc and /dev/null
  local as_root=(); [[ $(id -u) -eq 0 ]] || as_root=(-r)
  touch "$r/dev/null"
  timeout 300 unshare "${as_root[@]}" --fork --pid --mount --mount-proc="$r/proc" /bin/sh -c \
    'mount --bind /dev/null "$1/dev/null" && exec chroot "$1" /bin/sh /tmp/cds.sh' sh "$r"
}
if cds >&2; then touch -h -d @1 "$r/opt/vcj/agent.jsa"
else log "no CDS archive (needs root or user namespaces for the chroot): the agent starts slower"; fi
rm -rf "$r/dev/null" "$r/tmp"/* "$r/tmp"/.[!.]*

log "5/6 init"
cp "$here/guest-init.sh" "$r/init"; chmod 755 "$r/init"

log "6/6 guest image (erofs) and cpio"
mkdir -p "$out" "$work/img"
mv "$r/opt"/* "$work/img/"
mkfs.erofs --quiet --all-root -T1 "$out/guest.img.tmp" "$work/img"
(cd "$r" && find . | cpio -o -H newc --quiet) > "$out/initramfs.cpio.tmp"
# cp -p: the cached kernel keeps its mtime (the KVM probe remembers its answer per kernel file, size and mtime)
cp -p "$vmlinux" "$out/vmlinux.tmp"; mv "$out/vmlinux.tmp" "$out/vmlinux"; mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"; mv "$out/guest.img.tmp" "$out/guest.img"
{ echo "kernel $(cat "$(dirname "$vmlinux")/release")"; echo "kernel-build build/guest-kernel/$khash"; echo "jre $JRE_MODULES (JDK $jdk_feature)"; echo "crun $(crun --version | head -1)";
  echo "cds $([[ -f $work/img/vcj/agent.jsa ]] && echo yes || echo no)${classlist:+ (start + host sandbox cycle)}${aot_linking:+ (AOT class linking)}"; echo "inputs $hash"; } > "$out/manifest"
log "done: $out ($(du -sh "$out/initramfs.cpio" | cut -f1) initramfs, $(du -sh "$out/guest.img" | cut -f1) guest image)"
