package io.ocimount.policy.audit;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.BufferedReader;
import io.ocimount.content.BoundedInputStream;
import io.ocimount.content.Fsync;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * The audit file: one JSON line per pull and per mount, synced before the call returns, so what a node mounted
 * survives a crash. Rotated by size; root-only, since it names pods and images.
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger("io.ocimount.audit");
    private final AuditSettings settings;

    public AuditLog(AuditSettings settings) {
        this.settings = settings;
    }

    /** Writes {@code record} to the file and the log. A file that cannot be written is logged, never fatal. */
    public synchronized void append(AuditRecord record) {
        LOG.info(record::summary);
        byte[] line = (Json.MAPPER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path file = settings.path();
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) + line.length > settings.maxBytes()) {
                rotate(file);
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Fsync.directory(file.getParent()); // the new file's name survives a crash with its first line
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
        } catch (IOException e) {
            LOG.warning("audit: cannot write " + settings.path() + ": " + e);
        }
    }

    /** audit.jsonl → .1 → .2 …, the oldest beyond {@code keep} deleted. */
    private void rotate(Path file) throws IOException {
        Files.deleteIfExists(numbered(file, settings.keep()));
        for (int i = settings.keep() - 1; i >= 1; i--) {
            Path from = numbered(file, i);
            if (Files.exists(from)) {
                Files.move(from, numbered(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (settings.keep() > 0) {
            Files.move(file, numbered(file, 1), StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(file);
        }
        Fsync.directory(file.getParent());
    }

    private static Path numbered(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /**
     * The records at or after {@code since} (null: all) that {@code filter} keeps, oldest first, rotated files too.
     * The files are opened under the writers' lock and read after it: a long history never holds up pulls and
     * mounts, and a rotation meanwhile changes nothing read (open files keep their content).
     */
    public List<AuditRecord> read(Instant since, Predicate<AuditRecord> filter) {
        List<Opened> files = new ArrayList<>();
        try {
            synchronized (this) {
                for (int i = settings.keep(); i >= 0; i--) {
                    Path file = i == 0 ? settings.path() : numbered(settings.path(), i);
                    try {
                        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                        files.add(new Opened(file, ch, ch.size()));
                    } catch (NoSuchFileException notRotatedThatFarYet) {
                        // nothing to read there
                    }
                }
            }
            List<AuditRecord> out = new ArrayList<>();
            for (Opened f : files) {
                readInto(f, since, filter, out);
            }
            return out;
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "read audit file: " + e.getMessage(), e);
        } finally {
            files.forEach(f -> {
                try {
                    f.channel().close();
                } catch (IOException ignored) {
                    // read-only: nothing was lost
                }
            });
        }
    }

    private record Opened(Path file, FileChannel channel, long size) {
    }

    /** The whole lines of {@code f} up to the size it had when it was opened. */
    private static void readInto(Opened f, Instant since, Predicate<AuditRecord> filter, List<AuditRecord> out)
            throws IOException {
        InputStream in = new BoundedInputStream(Channels.newInputStream(f.channel()), f.size());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                AuditRecord rec = parse(line, f.file(), n);
                if (rec != null && (since == null || !Instant.parse(rec.time()).isBefore(since)) && filter.test(rec)) {
                    out.add(rec);
                }
            }
        }
    }

    /** A line cut by a crash mid-write is skipped, not fatal: the lines around it are still whole. */
    private static AuditRecord parse(String line, Path file, int n) {
        if (line.isBlank()) {
            return null;
        }
        try {
            AuditRecord r = Json.MAPPER.readValue(line, AuditRecord.class);
            Instant.parse(r.time());
            return r;
        } catch (RuntimeException e) {
            LOG.warning("audit: " + file + " line " + n + " is not a record; skipped");
            return null;
        }
    }
}
