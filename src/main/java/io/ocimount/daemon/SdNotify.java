package io.ocimount.daemon;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainDatagramPacket;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The systemd notification protocol (sd_notify(3)) for {@code Type=notify}: READY=1 once the socket serves,
 * STOPPING=1 on shutdown, and WATCHDOG=1 every half {@code WATCHDOG_USEC} when the unit sets {@code WatchdogSec}.
 * NOTIFY_SOCKET is a datagram unix socket, which the JDK cannot open, so the shaded Netty's epoll channel does
 * it. Without NOTIFY_SOCKET (not under systemd) every call does nothing.
 */
final class SdNotify implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SdNotify.class.getName());
    private final String socket;
    private EventLoopGroup group;
    private Channel channel;
    private ScheduledExecutorService watchdog;

    SdNotify(String notifySocket) {
        this.socket = notifySocket == null || notifySocket.isEmpty() ? null
                : notifySocket.startsWith("@") ? "\0" + notifySocket.substring(1) : notifySocket;
    }

    static SdNotify fromEnvironment() {
        return new SdNotify(System.getenv("NOTIFY_SOCKET"));
    }

    /** READY=1, then starts the watchdog pings when systemd asked for them. */
    void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (socket != null && usec != null && (pid == null || pid.equals(String.valueOf(ProcessHandle.current().pid())))) {
            long periodMicros = Math.max(1, Long.parseLong(usec) / 2);
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ocimount-sd-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.scheduleAtFixedRate(() -> send("WATCHDOG=1"), periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    void stopping() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        send("STOPPING=1");
    }

    private synchronized void send(String message) {
        if (socket == null) {
            return;
        }
        try {
            if (channel == null) {
                group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
                channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                        .handler(new ChannelInboundHandlerAdapter()).bind(new DomainSocketAddress("")).sync().channel();
            }
            channel.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8),
                    new DomainSocketAddress(socket))).sync();
        } catch (Exception e) {
            LOG.warning("sd_notify " + message.lines().findFirst().orElse("") + " to " + socket + " failed: " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            channel = null;
        }
    }
}
