package io.ocimount.volume;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.mount.BindTarget;
import io.ocimount.mount.MountId;
import io.ocimount.mount.Mounter;
import io.ocimount.mount.SubPathResolver;
import io.ocimount.sys.Fds;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A {@link Mounter} for tests without root. A view is the directory the service made for it, filled with a copy
 * of the layers merged bottom first (a whiteout node deletes what is below; opaque markers, which a user cannot
 * read, are not honoured), so sub paths are still resolved for real inside it. A bind changes nothing on disk: it
 * remembers which opened source went onto which target, under a mount id of its own. It refuses what the kernel
 * would allow silently but the service must never ask for: a second view over a view, a second bind on a target.
 */
final class FakeMounter implements Mounter {
    /** One bind: the source's real path inside a view, and the target as the kernel would name it. */
    record Bind(MountId id, Path source, Path mountPoint) {
    }

    private static final String DEVICE = "fake:0";
    private final Map<Path, List<Path>> views = new ConcurrentHashMap<>();
    private final Map<Long, Bind> binds = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    final AtomicInteger viewsMounted = new AtomicInteger();
    private volatile Runnable beforeNextBind;

    @Override
    public void mountView(List<Path> layersBottomFirst, Path target) {
        if (views.putIfAbsent(target, List.copyOf(layersBottomFirst)) != null) {
            throw new IllegalStateException("a second view mounted over the view at " + target);
        }
        try {
            for (Path layer : layersBottomFirst) {
                merge(layer, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fake view at " + target, e);
        }
        viewsMounted.incrementAndGet();
    }

    private static void merge(Path layer, Path view) throws IOException {
        try (Stream<Path> walk = Files.walk(layer)) {
            for (Path from : walk.skip(1).toList()) {
                Path to = view.resolve(layer.relativize(from).toString());
                int type = (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS) & Fds.S_IFMT;
                boolean dir = type == Fds.S_IFDIR;
                if (!(dir && Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS))) {
                    Trees.delete(to); // whatever the lower layers had here is replaced (or whited out)
                }
                if (dir) {
                    Files.createDirectories(to);
                } else if (type == Fds.S_IFLNK) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(from));
                } else if (type == Fds.S_IFREG) {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                } // a whiteout node (or any other) leaves nothing in the merged view
            }
        }
    }

    @Override
    public boolean isViewMounted(List<Path> layersBottomFirst, Path target) {
        return layersBottomFirst.equals(views.get(target));
    }

    @Override
    public MountId bind(SubPathResolver.Opened source, BindTarget target) {
        Runnable before = beforeNextBind;
        beforeNextBind = null;
        if (before != null) {
            before.run(); // a test's look at the state just before the bind, or a failure of it
        }
        if (Files.isDirectory(target.place()) != source.directory()) {
            throw new OciMountException(ErrorKind.INTERNAL, "bind onto " + target.mountPoint() + ": the target is not of "
                    + "the source's kind (the kernel says ENOTDIR)");
        }
        if (bindAt(target.mountPoint()) != null) {
            throw new IllegalStateException("a second bind onto " + target.mountPoint());
        }
        try {
            MountId id = new MountId(ids.incrementAndGet(), DEVICE);
            binds.put(id.id(), new Bind(id, Path.of(Fds.pathOf(source.fd())), target.mountPoint()));
            return id;
        } catch (SysException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void unmount(Path target) {
        if (views.remove(target) == null) {
            return; // nothing mounted there: not an error, as with umount2's EINVAL
        }
        try (Stream<Path> s = Files.list(target)) {
            for (Path p : s.toList()) {
                Trees.delete(p); // the directory the view was mounted on shows again, empty
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fake unmount of the view at " + target, e);
        }
    }

    @Override
    public void unmount(MountId mount, Path lastKnown) {
        Bind b = mount.known() ? binds.get(mount.id()) : bindAt(lastKnown);
        if (b != null) {
            binds.remove(b.id().id());
        }
    }

    @Override
    public boolean isMounted(MountId mount, Path lastKnown) {
        return mount.known() ? binds.containsKey(mount.id()) : bindAt(lastKnown) != null;
    }

    private Bind bindAt(Path mountPoint) {
        return binds.values().stream().filter(b -> b.mountPoint().equals(mountPoint)).findFirst().orElse(null);
    }

    /** The source bound onto {@code mountPoint}, or null when nothing is. */
    Path sourceAt(String mountPoint) {
        Bind b = bindAt(Path.of(mountPoint));
        return b == null ? null : b.source();
    }

    List<Bind> binds() {
        return List.copyOf(binds.values());
    }

    /** How many views are mounted now. */
    int views() {
        return views.size();
    }

    /** Someone else unmounted the target (kubelet's cleanup, an operator): the bind is gone behind our back. */
    void detachBehindTheBack(String mountPoint) {
        Bind b = bindAt(Path.of(mountPoint));
        binds.remove(b.id().id());
    }

    /** Someone else unmounted a view: its directory is left, empty. */
    void dropViewBehindTheBack(Path view) {
        unmount(view);
    }

    /** Runs {@code r} when the next bind is asked for; what it throws is the bind's failure. */
    void beforeNextBind(Runnable r) {
        beforeNextBind = r;
    }
}
