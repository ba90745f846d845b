package io.ocimount.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel to the daemon's unix socket, built on Netty's epoll transport directly: going through gRPC's
 * provider and name-resolver registries (a {@code unix://} target) costs the CLI about a third of its run time in
 * service loading and in shutting the shared event loops down at exit.
 */
public final class DaemonChannel {
    /** One event loop thread is plenty for a client of one socket. */
    private static final class Loop {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("ocimount-client", true), EpollIoHandler.newFactory());

        static {
            started = true;
        }
    }

    private static volatile boolean started;

    private DaemonChannel() {
    }

    /**
     * Ends the event loop thread, if one was started, for a process about to exit. Being a daemon thread does not
     * spare the exit: the JVM waits up to 300 ms for threads blocked in native code, which an event loop in
     * epoll_wait is (`ocimount version` took 0.25 s or, one run in three, 0.56 s).
     */
    public static void endEventLoopBeforeExit() {
        if (started) {
            Loop.GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(200, TimeUnit.MILLISECONDS);
        }
    }

    /** @throws Cli.CliException (exit 5) when epoll cannot load, e.g. a noexec temporary directory for its library */
    public static ManagedChannel open(Path socket) {
        if (!Epoll.isAvailable()) {
            throw new Cli.CliException(Cli.UNAVAILABLE, "cannot reach the daemon's socket: Netty's epoll transport is"
                    + " unavailable: " + Epoll.unavailabilityCause());
        }
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toAbsolutePath().toString()))
                .eventLoopGroup(Loop.GROUP).channelType(EpollDomainSocketChannel.class).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
    }
}
