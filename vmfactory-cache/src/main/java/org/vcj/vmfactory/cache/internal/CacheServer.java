package org.vcj.vmfactory.cache.internal;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.vcj.api.HypervisorException;
import org.vcj.api.factory.VMRequest;
import org.vcj.api.hypervisor.VM;
import org.vcj.vmfactory.cache.protocol.CacheConfig;
import org.vcj.vmfactory.cache.protocol.CacheStatus;
import org.vcj.vmfactory.cache.protocol.CachedVM;
import org.vcj.vmfactory.cache.protocol.CachedVMStatus;
import org.vcj.vmfactory.cache.protocol.Empty;
import org.vcj.vmfactory.cache.protocol.GetBaseVMRequest;
import org.vcj.vmfactory.cache.protocol.VMCacheGrpc;

/**
 * The VM cache server: the VMCache gRPC service on a Unix socket that only root can use (0600, in a 0700
 * directory), in front of a {@link VmPool}. A VM handed over has its run directory moved into the caller's, so it is
 * the caller's sandbox's own from then on: the server forgets it and never stops it.
 */
final class CacheServer extends VMCacheGrpc.VMCacheImplBase implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CacheServer.class.getName());

    private final CachePaths paths;
    private final VmPool pool;
    private final CacheConfig config;
    private final long startedMillis = System.currentTimeMillis();
    private final CountDownLatch quit = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final EpollEventLoopGroup group = new EpollEventLoopGroup(2, new DefaultThreadFactory("vcj-vmcache", true));
    private Server server;

    CacheServer(CachePaths paths, VmPool pool, CacheConfig config) {
        this.paths = paths;
        this.pool = pool;
        this.config = config;
    }

    /** Binds the socket (refusing when another server answers on it) and starts filling the pool. */
    void start() throws IOException {
        Files.createDirectories(paths.dir());
        Files.setPosixFilePermissions(paths.dir(), PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(paths.socket())) {
            if (CacheClient.answers(paths.socket())) {
                throw new HypervisorException(null, "factory serve", "a VM cache server already serves " + paths.socket()
                        + "; stop it first ('vcj factory destroy --factory=cache')", null);
            }
            Files.delete(paths.socket());
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(CacheServer.class.getClassLoader());
        try {
            server = NettyServerBuilder.forAddress(new DomainSocketAddress(paths.socket().toString()))
                    .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group)
                    .addService(this).build().start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        Files.setPosixFilePermissions(paths.socket(), PosixFilePermissions.fromString("rw-------"));
        pool.start();
        LOG.log(System.Logger.Level.INFO, "VM cache serving on " + paths.socket());
    }

    /** Blocks until a client sends Quit or the thread is interrupted. */
    void awaitQuit() throws InterruptedException {
        quit.await();
    }

    @Override
    public void config(Empty request, StreamObserver<CacheConfig> out) {
        out.onNext(config);
        out.onCompleted();
    }

    @Override
    public void getBaseVM(GetBaseVMRequest req, StreamObserver<CachedVM> out) {
        if (!req.getHypervisorType().equals(config.getHypervisorType()) || !req.getConfigDigest().equals(config.getConfigDigest())) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("this cache holds " + config.getHypervisorType()
                    + " VMs of another configuration (" + config.getConfigDigest() + ")").asRuntimeException());
            return;
        }
        Path target = Path.of(req.getRunDir());
        if (!target.isAbsolute() || !Files.isDirectory(target)) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("run_dir " + target + " is not an existing absolute directory").asRuntimeException());
            return;
        }
        VM vm;
        try {
            vm = pool.take(Duration.ofMillis(Math.max(1000, req.getTimeoutMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.CANCELLED.withDescription("the cache is stopping").asRuntimeException());
            return;
        }
        if (vm == null) {
            out.onError(Status.DEADLINE_EXCEEDED.withDescription("no VM became ready within " + req.getTimeoutMillis()
                    + " ms (booting " + pool.booting() + ", last failure: " + pool.lastFailure() + ")").asRuntimeException());
            return;
        }
        try {
            Files.delete(target);   // must be empty: it becomes the VM's directory
            Files.move(Path.of(vm.runDir()), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (DirectoryNotEmptyException e) {
            pool.giveBack(vm);
            out.onError(Status.INVALID_ARGUMENT.withDescription("run_dir " + target + " is not empty").asRuntimeException());
            return;
        } catch (IOException e) {
            pool.giveBack(vm);
            out.onError(Status.INTERNAL.withDescription("cannot move " + vm.runDir() + " to " + target + ": " + e).asRuntimeException());
            return;
        }
        pool.handedOver(vm);
        LOG.log(System.Logger.Level.INFO, "VM cache: " + vm.id() + " handed over to " + target);
        out.onNext(CacheProtos.toProto(vm.relocated(target.toString())));
        out.onCompleted();
    }

    @Override
    public void status(Empty request, StreamObserver<CacheStatus> out) {
        CacheStatus.Builder b = CacheStatus.newBuilder().setConfig(config).setBooting(pool.booting())
                .setHandedOut(pool.handedOut()).setFailures(pool.failures()).setLastFailure(pool.lastFailure())
                .setStartedMillis(startedMillis);
        for (VmPool.Ready r : pool.ready()) {
            VM vm = r.vm();
            b.addReady(CachedVMStatus.newBuilder().setId(vm.id()).setPid(Long.parseLong(vm.state().getOrDefault("pid", "0")))
                    .setVcpus(vm.vcpus()).setMemoryMib(vm.memoryMiB()).setReadyMillis(r.readyMillis()));
        }
        out.onNext(b.build());
        out.onCompleted();
    }

    @Override
    public void quit(Empty request, StreamObserver<Empty> out) {
        LOG.log(System.Logger.Level.INFO, "VM cache: quit requested");
        out.onNext(Empty.getDefaultInstance());
        out.onCompleted();
        quit.countDown();
    }

    /** Ends {@link #awaitQuit} as a client's Quit does (a signal: SIGTERM, SIGINT, SIGHUP). */
    void requestQuit() {
        quit.countDown();
    }

    /** Stops serving, stops the VMs nobody took and removes the socket and the cache's directories. Idempotent. */
    @Override
    public void close() {
        if (server == null || !closed.compareAndSet(false, true)) return;   // never bound: the socket is not ours
        server.shutdownNow();
        pool.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(paths.socket());
            Files.deleteIfExists(paths.dir());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "VM cache: cannot remove " + paths.dir() + ": " + e.getMessage());
        }
    }

    static CacheConfig config(VMRequest prototype, String sourceType, int size) {
        return CacheConfig.newBuilder().setHypervisorType(prototype.hypervisorType())
                .setConfigDigest(prototype.hypervisor().configDigest(prototype.config())).setSourceFactory(sourceType)
                .setSize(size).build();
    }
}
