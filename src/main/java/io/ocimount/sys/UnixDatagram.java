package io.ocimount.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One datagram to an AF_UNIX socket, as sd_notify(3) sends it: a fresh socket per message, so nothing is held
 * between messages and a socket that went away is noticed at once. The JDK opens AF_UNIX stream sockets only.
 */
public final class UnixDatagram {
    private static final short AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sun_path) on Linux. */
    private static final int SUN_PATH = 108;
    private static final int SUN_PATH_OFFSET = 2; // after sa_family_t

    private UnixDatagram() {
    }

    /**
     * @param address a socket path, or systemd's "@name" for a name in the abstract namespace
     * @throws SysException when the socket cannot be opened or the message is not taken (ECONNREFUSED, ENOENT, …)
     */
    public static void send(String address, byte[] message) throws SysException {
        byte[] addr = sockaddr(address);
        int fd = Syscalls.libc().socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Syscalls.error("socket", address);
        }
        try {
            long sent = Syscalls.libc().sendto(fd, message, message.length, MSG_NOSIGNAL, addr, addr.length);
            if (sent < 0) {
                throw Syscalls.error("sendto", address);
            }
        } finally {
            Fds.close(fd);
        }
    }

    /**
     * struct sockaddr_un, exactly as long as the address needs: a path ends with its NUL; an abstract name starts
     * with a NUL and has none at the end (the kernel takes every byte up to the length as the name).
     */
    static byte[] sockaddr(String address) throws SysException {
        boolean abstractName = address.startsWith("@");
        byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        int pathBytes = name.length + 1; // the leading NUL of an abstract name, or the trailing one of a path
        if (address.isEmpty() || pathBytes > SUN_PATH || address.indexOf('\0') >= 0) {
            throw new SysException("sockaddr_un", address, Mounts.EINVAL, "not a unix socket address of at most "
                    + (SUN_PATH - 1) + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(SUN_PATH_OFFSET + pathBytes).order(ByteOrder.nativeOrder());
        b.putShort(AF_UNIX);
        if (abstractName) {
            b.put((byte) 0).put(name);
        } else {
            b.put(name).put((byte) 0);
        }
        return b.array();
    }
}
