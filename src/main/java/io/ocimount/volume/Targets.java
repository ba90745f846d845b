package io.ocimount.volume;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.mount.BindTarget;
import io.ocimount.sys.Fds;
import io.ocimount.sys.FileStat;
import io.ocimount.sys.IoErrors;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Mount targets on the host: a directory for a directory, a file for a file (Kubernetes issue 134894 asks for
 * single files). The part of the target that exists is resolved once, through symlinks owned by root only (a
 * node's kubelet directory may be one; a link someone else made is no reason to mount elsewhere), and opened
 * with no link in its resolved path. The missing components are created one at a time below that descriptor,
 * each opened without following links, so nothing the daemon creates is reached through a link, and the mount is
 * made onto the descriptor of what was opened ({@code /proc/self/fd/N}), so a swap after the checks changes nothing.
 */
public final class Targets {
    private static final Logger LOG = Logger.getLogger(Targets.class.getName());
    private static final int DIR_FLAGS = Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC;
    private final TargetRules rules;

    public Targets(TargetRules rules) {
        this.rules = rules;
    }

    /**
     * Resolves and checks {@code target} without creating anything: the caller records {@link Plan#toCreate()}
     * before {@link Plan#open()} creates it, so a crash in between leaves nothing that no record names.
     */
    Plan plan(String target, boolean directory) {
        Path clean = TargetRules.syntax(target);
        Path existing = clean.getParent();
        List<String> missing = new ArrayList<>();
        while (!Files.isDirectory(existing)) {
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw OciMountException.invalid("target " + Quote.of(target) + ": " + existing + " is not a directory");
            }
            missing.add(0, existing.getFileName().toString());
            existing = existing.getParent();
        }
        int fd;
        Path real;
        try {
            real = existing.toRealPath();
            fd = Fds.openNoSymlinks(real, Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC);
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INVALID_ARGUMENT, "target " + Quote.of(target) + ": resolve " + existing
                    + ": " + IoErrors.describe(e), e);
        }
        try {
            onlyRootsLinks(target, existing); // after resolving, so a link that was followed is still there to see
            Path resolved = real;
            for (String m : missing) {
                resolved = resolved.resolve(m);
            }
            resolved = resolved.resolve(clean.getFileName().toString());
            rules.check(target, resolved);
            return new Plan(target, fd, resolved, missing, directory);
        } catch (IOException e) {
            Fds.close(fd);
            throw new OciMountException(ErrorKind.INVALID_ARGUMENT, "target " + Quote.of(target) + ": " + IoErrors.describe(e), e);
        } catch (RuntimeException e) {
            Fds.close(fd);
            throw e;
        }
    }

    /** Refuses a target that {@link #plan} would refuse, creating nothing. */
    void check(String target) {
        plan(target, true).close();
    }

    /** Refuses a path that goes through a symlink owned by anyone but root. */
    private static void onlyRootsLinks(String target, Path existing) throws IOException {
        for (int i = 1; i <= existing.getNameCount(); i++) {
            Path prefix = existing.getRoot().resolve(existing.subpath(0, i));
            Map<String, Object> a = Files.readAttributes(prefix, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) a.get("uid");
            if (((Integer) a.get("mode") & Fds.S_IFMT) == Fds.S_IFLNK && uid != 0) {
                throw OciMountException.invalid("target " + Quote.of(target) + " goes through the symlink " + prefix
                        + ", owned by uid " + uid + ": only links owned by root are followed");
            }
        }
    }

    /**
     * Removes what {@link Plan#toCreate()} named, deepest first, reaching each parent with no link in its path:
     * directories only when empty, the file only when still an empty regular file. What is gone, holds something
     * now, or cannot be reached safely is left alone (and logged), never a reason to fail.
     */
    void remove(List<String> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            Path p = Path.of(created.get(i));
            int parent = -1;
            try {
                parent = Fds.openNoSymlinks(p.getParent(), Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC);
                String name = p.getFileName().toString();
                FileStat st = FileStat.at(parent, name);
                if (st.isDirectory() || st.isRegularFile() && st.size() == 0) {
                    Fds.unlinkat(parent, name, st.isDirectory());
                }
            } catch (SysException e) {
                if (e.errno() != Syscalls.ENOENT && e.errno() != Fds.ENOTEMPTY) {
                    LOG.warning("leaving " + Quote.of(p.toString()) + " in place: " + e.getMessage());
                }
            } finally {
                if (parent >= 0) {
                    Fds.close(parent);
                }
            }
        }
    }

    /** A checked target: the deepest existing directory is open; the rest is created by {@link #open()}. */
    static final class Plan implements BindTarget, AutoCloseable {
        private final String target;
        private final Path mountPoint;
        private final List<String> missing;
        private final boolean directory;
        private final List<Integer> fds = new ArrayList<>();
        private int leafParent = -1;
        private int leaf = -1;

        private Plan(String target, int parentFd, Path mountPoint, List<String> missing, boolean directory) {
            this.target = target;
            this.mountPoint = mountPoint;
            this.missing = missing;
            this.directory = directory;
            fds.add(parentFd);
        }

        /** Where the volume will be mounted, as the kernel names it (and the mount table will show it). */
        @Override
        public Path mountPoint() {
            return mountPoint;
        }

        /** The paths {@link #open()} may create, outermost first, the target itself last. */
        List<String> toCreate() {
            if (missing.isEmpty() && Files.exists(mountPoint, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (Path p = mountPoint; out.size() <= missing.size(); p = p.getParent()) {
                out.add(0, p.toString());
            }
            return out;
        }

        /** Creates what is missing below the opened directory and opens the target itself. */
        void open() {
            try {
                int dir = fds.get(0);
                for (String name : missing) {
                    dir = child(dir, name);
                }
                leafParent = dir;
                leaf = leaf(dir, mountPoint.getFileName().toString());
            } catch (SysException e) {
                throw new OciMountException(ErrorKind.INVALID_ARGUMENT, "create target " + Quote.of(target) + ": "
                        + e.getMessage(), e);
            }
        }

        private int child(int dir, String name) throws SysException {
            try {
                Fds.mkdirat(dir, name, 0755);
            } catch (SysException e) {
                if (e.errno() != Syscalls.EEXIST) {
                    throw e;
                }
            }
            return keep(Fds.openat(dir, name, DIR_FLAGS)); // a link put there meanwhile fails: ELOOP or ENOTDIR
        }

        private int leaf(int dir, String name) throws SysException {
            try {
                if (directory) {
                    Fds.mkdirat(dir, name, 0755);
                } else {
                    return keep(Fds.openat(dir, name, Fds.O_CREAT | Fds.O_EXCL | Fds.O_WRONLY | Fds.O_NOFOLLOW
                            | Fds.O_CLOEXEC, 0644));
                }
            } catch (SysException e) {
                if (e.errno() != Syscalls.EEXIST) {
                    throw e;
                }
            }
            int fd = keep(Fds.openat(dir, name, Fds.O_PATH | Fds.O_NOFOLLOW | Fds.O_CLOEXEC));
            FileStat st = FileStat.of(fd);
            String problem = st.isSymlink() ? "is a symlink, which is never followed"
                    : st.mountRoot() ? "already has something mounted on it"
                    : directory && !st.isDirectory() ? "is a file but the sub path is a directory"
                    : !directory && st.isDirectory() ? "is a directory but the sub path is a file"
                    : !directory && !st.isRegularFile() ? "is not a regular file"
                    : null;
            if (problem != null) {
                throw OciMountException.invalid("target " + Quote.of(target) + " " + problem);
            }
            return fd;
        }

        /** The opened target, to mount onto. */
        @Override
        public Path place() {
            return Path.of("/proc/self/fd/" + leaf);
        }

        /** The mount now on the target: its name looked up again in the opened parent, never through a link. */
        @Override
        public int openMounted() throws SysException {
            return keep(Fds.openat(leafParent, mountPoint.getFileName().toString(), Fds.O_PATH | Fds.O_NOFOLLOW
                    | Fds.O_CLOEXEC));
        }

        private int keep(int fd) {
            fds.add(fd);
            return fd;
        }

        @Override
        public void close() {
            fds.forEach(Fds::close);
            fds.clear();
        }
    }
}
