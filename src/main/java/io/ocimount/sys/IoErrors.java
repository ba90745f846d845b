package io.ocimount.sys;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Reads the JDK's I/O errors the way an operator needs them: which file, and what errno said. The JDK gives a
 * failed write only strerror's text and a failed rename only its two paths, so both are filled in here.
 */
public final class IoErrors {
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;
    private static final String NO_SPACE = "No space left on device";
    private static final String QUOTA = "Disk quota exceeded";

    private IoErrors() {
    }

    /** Whether {@code t}, or a cause of it, is a full disk (ENOSPC) or an exhausted quota (EDQUOT). */
    public static boolean isDiskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SysException s && (s.errno() == ENOSPC || s.errno() == EDQUOT)) {
                return true;
            }
            String text = c instanceof FileSystemException f ? f.getReason() : c.getMessage();
            if (text != null && (text.contains(NO_SPACE) || text.contains(QUOTA))) {
                return true;
            }
        }
        return false;
    }

    /** "{@code a -> b: No such file or directory}" where the JDK would say only "{@code a -> b}". */
    public static String describe(IOException e) {
        if (!(e instanceof FileSystemException f) || f.getReason() != null || f.getFile() == null) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String what = f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
        return what + ": " + reasonOf(f);
    }

    private static String reasonOf(FileSystemException f) {
        if (f instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (f instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return f.getClass().getSimpleName();
    }
}
