package io.ocimount.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Hand-made layer tars, hostile ones included: every entry is written exactly as asked (names are not
 * cleaned), so tests can feed the unpacker traversal, absolute paths, links out, binary xattrs and more.
 */
public final class TarBuilder {
    public static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;
    private long uid;
    private long gid;

    public TarBuilder() {
        tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Owner of the entries added after this call. */
    public TarBuilder owner(long u, long g) {
        uid = u;
        gid = g;
        return this;
    }

    public TarBuilder dir(String name, int mode) {
        TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode);
        return put(e, new byte[0]);
    }

    public TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public TarBuilder file(String name, byte[] content, int mode) {
        return put(entry(name, TarConstants.LF_NORMAL, mode), content);
    }

    /** A regular file with PAX xattrs written by commons-compress (text values only). */
    public TarBuilder fileWithXattrs(String name, String content, Map<String, String> xattrs) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644);
        xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
        return put(e, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file preceded by a PAX header we write byte for byte, so the xattr value can be any bytes. */
    public TarBuilder fileWithBinaryXattr(String name, String content, String xattr, byte[] value) {
        byte[] key = (" SCHILY.xattr." + xattr + "=").getBytes(StandardCharsets.UTF_8);
        int body = key.length + value.length + 1;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
        rec.writeBytes(key);
        rec.writeBytes(value);
        rec.write('\n');
        put(entry("PaxHeaders/" + name, TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0644), rec.toByteArray());
        return file(name, content);
    }

    public TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return put(e, new byte[0]);
    }

    public TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return put(e, new byte[0]);
    }

    public TarBuilder charDevice(String name, int major, int minor) {
        TarArchiveEntry e = entry(name, TarConstants.LF_CHR, 0600);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, new byte[0]);
    }

    public TarBuilder fifo(String name) {
        return put(entry(name, TarConstants.LF_FIFO, 0640), new byte[0]);
    }

    /** An OCI whiteout for {@code path}: an empty file named {@code .wh.<base>} beside it. */
    public TarBuilder whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
        return file(name, new byte[0], 0644);
    }

    public TarBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644);
    }

    /** An entry of any type flag (for the unsupported ones). */
    public TarBuilder raw(String name, byte type, byte[] content) {
        return put(entry(name, type, 0644), content);
    }

    private TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true); // preserve the name as given, ../ and / included
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(FileTime.from(MTIME));
        return e;
    }

    private TarBuilder put(TarArchiveEntry e, byte[] content) {
        try {
            e.setSize(e.isFile() || e.isPaxHeader() ? content.length : 0);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    public byte[] build() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
