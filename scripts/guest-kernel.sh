#!/usr/bin/env bash
# Builds the vcj guest kernel from Debian's linux-source-6.1 package: `make tinyconfig` (x86_64) with the fragment
# scripts/guest-kernel.config merged on top, everything built in (no modules), an uncompressed and stripped vmlinux
# that QEMU boots directly through its PVH entry note.
# The result is cached in the repository, outside every Maven target/ (mvn clean keeps it):
#   build/guest-kernel/<hash of the fragment, this script and the source package version>/{vmlinux,config,release}
# Usage: scripts/guest-kernel.sh          builds the kernel unless cached; prints the vmlinux path on stdout
#        scripts/guest-kernel.sh --hash   prints only the hash (what guest-build.sh puts in its input hash)
# Needs apt (the source package), and make, gcc, bc, flex, bison, libelf-dev (scripts/setup.sh installs them).
# A kill at any point leaves no half vmlinux: the kernel is built in a work directory, and the vmlinux is renamed into
# place last. Concurrent runs wait for each other (flock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="$(cd "$here/.." && pwd)/build/guest-kernel"
frag="$here/guest-kernel.config"
pkg=linux-source-6.1
log() { echo "vcj kernel: $*" >&2; }

version=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
[[ -n $version && $version != "(none)" ]] || { log "apt knows no package $pkg; run apt-get update"; exit 1; }
hash=$( { cat "$0" "$frag"; echo "$pkg $version"; } | sha256sum | cut -c1-16)
if [[ ${1:-} == --hash ]]; then echo "$hash"; exit 0; fi
dir="$cache/$hash"
if [[ -f $dir/vmlinux ]]; then echo "$dir/vmlinux"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ -f $dir/vmlinux ]]; then echo "$dir/vmlinux"; exit 0; fi  # built by a concurrent run while this one waited
rm -rf "$cache"/.work-*                                             # left by a killed run (we hold the lock)
work=$(mktemp -d "$cache/.work-XXXXXX"); trap 'rm -rf "$work"' EXIT
for tool in make gcc bc flex bison; do
  command -v "$tool" >/dev/null || { log "'$tool' not found; run scripts/setup.sh"; exit 1; }
done
[[ -f /usr/include/libelf.h || -f /usr/include/libelf/libelf.h ]] || { log "libelf.h not found; run scripts/setup.sh (libelf-dev)"; exit 1; }
start=$(date +%s)

log "1/4 source: downloading $pkg $version"
(cd "$work" && apt-get download -q "$pkg=$version" >/dev/null 2>&1) || { log "apt-get download $pkg=$version failed"; exit 1; }
dpkg-deb --fsys-tarfile "$work"/"$pkg"_*.deb | tar -x -C "$work" ./usr/src/"$pkg".tar.xz
tar -xJf "$work/usr/src/$pkg.tar.xz" -C "$work"
rm -rf "$work/usr" "$work"/*.deb
src="$work/$pkg"
[[ -f $src/Makefile ]] || { log "no kernel tree in $pkg"; exit 1; }

log "2/4 config: tinyconfig + $(basename "$frag")"
kmake() { make -C "$src" ARCH=x86_64 KBUILD_BUILD_USER=vcj KBUILD_BUILD_HOST=vcj "$@"; }
{ kmake tinyconfig && (cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m .config "$frag") \
  && kmake olddefconfig; } > "$work/config.log" 2>&1 || { cat "$work/config.log" >&2; log "configuration failed"; exit 1; }
missing=()
while IFS= read -r line; do
  if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
    opt=${BASH_REMATCH[1]}; want=${BASH_REMATCH[2]}
  elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
    opt=${BASH_REMATCH[1]}; want=n
  else
    continue
  fi
  got=$(grep -m1 "^$opt=" "$src/.config" | cut -d= -f2- || true); [[ -n $got ]] || got=n
  [[ $got == "$want" ]] || missing+=("$opt (asked $want, got $got)")
done < "$frag"
if ((${#missing[@]})); then
  log "the kernel configuration lacks what $(basename "$frag") asks (a dependency is missing or the option is gone):"
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

log "3/4 build: make -j$(nproc) vmlinux (log in $work/build.log while it runs)"
kmake -j"$(nproc)" vmlinux > "$work/build.log" 2>&1 || { tail -n 60 "$work/build.log" >&2; log "kernel build failed"; exit 1; }
objcopy --strip-all "$src/vmlinux" "$work/vmlinux"
readelf -n "$work/vmlinux" | grep -q 'Xen' || { log "the vmlinux has no PVH (Xen ELF note) entry: CONFIG_PVH?"; exit 1; }

log "4/4 cache: $dir"
mkdir -p "$dir"
cp "$src/.config" "$dir/config"
kmake -s kernelrelease > "$dir/release"
cp "$work/vmlinux" "$dir/vmlinux.tmp"
mv "$dir/vmlinux.tmp" "$dir/vmlinux"
log "built $(cat "$dir/release") in $(( $(date +%s) - start )) s: $(du -h "$dir/vmlinux" | cut -f1) vmlinux"
echo "$dir/vmlinux"
