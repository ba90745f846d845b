package io.ocimount.sys;

import java.io.IOException;

/** A failed system call: the call, the path and errno, in the form {@code mknod /x/y: Operation not permitted}. */
public final class SysException extends IOException {
    private final int errno;

    SysException(String call, String path, int errno, String text) {
        super(call + " " + path + ": " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
