package io.ocimount.volume;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.mount.BindTarget;
import io.ocimount.sys.Fds;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mount targets on the host: a directory for a directory, a file for a file (Kubernetes issue 134894 asks for
 * single files). The part of the target that exists is resolved once (a node's kubelet directory may be a
 * symlink) and opened; the missing components are created one at a time below that descriptor, each opened
 * without following links, so nothing the daemon creates is reached through a link, and the mount is made onto
 * the descriptor of what was opened ({@code /proc/self/fd/N}), so a swap after the checks changes nothing.
 */
final class Targets {
    private static final int DIR_FLAGS = Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC;
    private final TargetRules rules;

    Targets(TargetRules rules) {
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
        while (!Files.isDirectory(existing)) { // follows links: the part that exists is resolved once, here
            if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw OciMountException.invalid("target " + Quote.of(target) + ": " + existing + " is not a directory");
            }
            missing.add(0, existing.getFileName().toString());
            existing = existing.getParent();
        }
        int fd;
        Path resolved;
        try {
            fd = Fds.open(existing, Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC);
        } catch (SysException e) {
            throw new OciMountException(ErrorKind.INVALID_ARGUMENT, "target " + Quote.of(target) + ": open " + existing
                    + ": " + e.getMessage(), e);
        }
        try {
            resolved = Path.of(Fds.pathOf(fd)); // the kernel's name for what was opened, links and all resolved
            for (String m : missing) {
                resolved = resolved.resolve(m);
            }
            resolved = resolved.resolve(clean.getFileName().toString());
            rules.check(target, resolved);
        } catch (SysException e) {
            Fds.close(fd);
            throw new OciMountException(ErrorKind.INTERNAL, "target " + Quote.of(target) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Fds.close(fd);
            throw e;
        }
        return new Plan(target, fd, resolved, missing, directory);
    }

    /**
     * Removes what {@link Plan#toCreate()} named, deepest first: directories only when empty, the file only when
     * still empty, nothing through a link. What is gone already, or holds something now, is left alone.
     */
    void remove(List<String> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            Path p = Path.of(created.get(i));
            try {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) > 0) {
                    continue; // written to since: someone else's now
                }
                Files.deleteIfExists(p); // a directory only when empty; a link is removed, never followed
            } catch (DirectoryNotEmptyException someoneElses) {
                // something was put there after us: leave it
            } catch (IOException e) {
                throw new OciMountException(ErrorKind.INTERNAL, "remove target " + Quote.of(p.toString()) + ": "
                        + e.getMessage(), e);
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
        Path mountPoint() {
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

        /** The opened target, to mount onto. */
        @Override
        public Path place() {
            return Path.of("/proc/self/fd/" + leaf);
        }

        /** The mount now on the target: its name looked up again in the opened parent, never through a link. */
        @Override
        public Path mounted() {
            try {
                return Path.of("/proc/self/fd/" + keep(Fds.openat(leafParent, mountPoint.getFileName().toString(),
                        Fds.O_PATH | Fds.O_NOFOLLOW | Fds.O_CLOEXEC)));
            } catch (SysException e) {
                throw new OciMountException(ErrorKind.INTERNAL, "reopen target " + Quote.of(target) + " after the bind: "
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
            int type = Fds.type(fd);
            String problem = type == Fds.S_IFLNK ? "is a symlink, which is never followed"
                    : directory && type != Fds.S_IFDIR ? "is a file but the sub path is a directory"
                    : !directory && type == Fds.S_IFDIR ? "is a directory but the sub path is a file"
                    : !directory && type != Fds.S_IFREG ? "is not a regular file"
                    : null;
            if (problem != null) {
                throw OciMountException.invalid("target " + Quote.of(target) + " " + problem);
            }
            return fd;
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
