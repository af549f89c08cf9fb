#!/bin/sh
# /init of the vcj guest: pure cgroup2, the guest image (JRE + agent) at /opt, then the agent. The kernel has every
# driver and file system built in (scripts/guest-kernel.sh): nothing to load. The host's shared directory is NOT
# mounted here: the agent mounts it when a sandbox is assigned (CreateSandbox), so that a VM booted to be a template
# can be saved (QEMU refuses to migrate a guest that has a 9p export mounted).
# JVM_FLAGS is also read by guest-build.sh, which dumps the agent's CDS archive with the same flags.
# Under TCG every method the JIT compiles is new guest code QEMU must translate too: C1 only, and only for methods
# ten times hotter than by default (the agent's start: about 5% less wall time than plain C1 in paired cold runs; -Xint was
# 5% faster still at start, but leaves the long-running agent's I/O relay interpreted).
# An idle VM's every wake-up costs the host CPU under TCG: the VM thread and the monitor-deflation thread check for
# work every 10 s instead of every second (GuaranteedSafepointInterval; a safepoint that is needed still happens).
JVM_FLAGS="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=10000 -Dio.grpc.netty.shaded.io.netty.jfr.enabled=false"
export PATH=/bin:/usr/bin
up() { cut -d' ' -f1 /proc/uptime; }
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev
echo "vcj-init: started $(up)"
mkdir -p /dev/pts /dev/shm /dev/virtio-ports; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
for c in cpuset cpu io memory pids; do echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; done
mount -t erofs -o ro /dev/vda /opt || echo "vcj-init: cannot mount the guest image /dev/vda at /opt"
for p in /sys/class/virtio-ports/*; do [ -e "$p/name" ] && ln -sf "/dev/${p##*/}" "/dev/virtio-ports/$(cat "$p/name")"; done
hostname vcj; ip link set lo up 2>/dev/null
cds=""; [ -f /opt/vcj/agent.jsa ] && cds="-XX:SharedArchiveFile=/opt/vcj/agent.jsa"
echo "vcj-init: agent starting $(up)"
/opt/jre/bin/java $JVM_FLAGS -Xshare:auto $cds \
  -jar /opt/vcj/vcj-agent.jar --serial=/dev/virtio-ports/agent.channel.0 --oci-runtime=crun \
  --state-dir=/run/vcj-agent --no-pivot --guest --share-tag=vcjshare &
agent=$!
while kill -0 $agent 2>/dev/null; do wait; done
echo "vcj-init: agent exited; powering off $(up)"
poweroff -f
