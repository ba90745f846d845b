package io.ocimount.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a source tree as a tar whose bytes depend only on the content: uid/gid 0 without names, one mtime for
 * every entry, modes 0755 for directories and executables, 0644 for other files, PAX headers for long names.
 */
final class ReproducibleTar {
    private static final int DIR_MODE = 040755;
    private static final int EXEC_MODE = 0100755;
    private static final int FILE_MODE = 0100644;
    private static final int LINK_MODE = 0120777;
    private static final int COPY_BUFFER = 128 << 10; // most files in one read (transferTo reads 8 KiB at a time)

    private ReproducibleTar() {
    }

    static void write(List<SourceTree.Entry> entries, long mtimeSeconds, OutputStream out) throws IOException {
        try (FileReadAhead ahead = new FileReadAhead(entries)) {
            write(entries, mtimeSeconds, out, ahead);
        }
    }

    private static void write(List<SourceTree.Entry> entries, long mtimeSeconds, OutputStream out, FileReadAhead ahead)
            throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        byte[] buffer = new byte[COPY_BUFFER];
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (SourceTree.Entry e : entries) {
            TarArchiveEntry t = switch (e.kind()) {
                case DIR -> new TarArchiveEntry(e.path() + "/");
                case FILE -> new TarArchiveEntry(e.path());
                case SYMLINK, HARDLINK -> {
                    TarArchiveEntry l = new TarArchiveEntry(e.path(),
                            e.kind() == SourceTree.Kind.SYMLINK ? TarConstants.LF_SYMLINK : TarConstants.LF_LINK);
                    l.setLinkName(e.linkTarget());
                    yield l;
                }
            };
            t.setMode(switch (e.kind()) {
                case DIR -> DIR_MODE;
                case FILE, HARDLINK -> e.executable() ? EXEC_MODE : FILE_MODE;
                case SYMLINK -> LINK_MODE;
            });
            t.setIds(0, 0);
            t.setUserName(""); // commons-compress fills in the packing user's name otherwise
            t.setGroupName("");
            t.setModTime(mtimeSeconds * 1000);
            if (e.kind() == SourceTree.Kind.FILE) {
                t.setSize(e.size());
            }
            tar.putArchiveEntry(t);
            if (e.kind() == SourceTree.Kind.FILE) {
                try (InputStream in = Files.newInputStream(e.source())) {
                    long copied = copy(in, tar, buffer);
                    if (copied != e.size()) {
                        throw new IOException(e.source() + " changed while being packed");
                    }
                    ahead.took(copied);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    private static long copy(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; total += n) {
            out.write(buffer, 0, n);
        }
        return total;
    }
}
