package io.ocimount.mount;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.sys.Fds;
import io.ocimount.sys.Mounts;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Mounts with mount(2). A bind ignores flags on its first call, so read-only, nosuid and nodev are applied by a
 * second, remount call (as containerd and runc do); a view of several layers is an overlay with lower
 * directories only (read-only by construction); a view of one layer is a bind, since overlay needs two lowers
 * when it has no upper.
 */
public final class JnrMounter implements Mounter {
    private static final long RO_FLAGS = Mounts.MS_RDONLY | Mounts.MS_NOSUID | Mounts.MS_NODEV;
    private static final int MAX_OPTIONS = 4095; // legacy mount(2) data must fit in one page

    @Override
    public void mountView(List<Path> layersBottomFirst, Path target) {
        try {
            if (layersBottomFirst.size() == 1) {
                bindReadOnly(layersBottomFirst.get(0).toString(), target);
                return;
            }
            List<String> lowers = new ArrayList<>();
            for (Path p : layersBottomFirst) {
                String s = p.toString();
                if (s.contains(":") || s.contains(",")) {
                    throw OciMountException.invalid("layer path " + s + " cannot be an overlay lowerdir (':' or ',')");
                }
                lowers.add(s);
            }
            Collections.reverse(lowers); // overlay lists the top layer first
            String options = "lowerdir=" + String.join(":", lowers);
            if (options.length() <= MAX_OPTIONS) {
                Mounts.mount("overlay", target, "overlay", RO_FLAGS, options);
            } else {
                mountThroughFds(layersBottomFirst, target);
            }
        } catch (SysException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "mount view at " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Told by two stats instead of a read of the whole mount table (which grows with every volume): an overlay has
     * a device of its own, unlike the directory it is mounted in; a one-layer view is a bind, the layer itself.
     */
    @Override
    public boolean isViewMounted(List<Path> layersBottomFirst, Path target) {
        try {
            if (!Files.isDirectory(target)) {
                return false;
            }
            Map<String, Object> view = Files.readAttributes(target, "unix:dev,ino");
            if (layersBottomFirst.size() == 1) {
                Map<String, Object> layer = Files.readAttributes(layersBottomFirst.get(0), "unix:dev,ino");
                return view.get("dev").equals(layer.get("dev")) && view.get("ino").equals(layer.get("ino"));
            }
            return !view.get("dev").equals(Files.getAttribute(target.getParent(), "unix:dev"));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "check view " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Too many layers for their paths to fit in one page of mount options: name each layer by an O_PATH
     * descriptor instead ({@code /proc/self/fd/N}, about 19 bytes), which overlayfs resolves when it mounts. That
     * fits about 200 layers, past Docker's limit of 127; the descriptors are closed once the overlay holds them.
     */
    private static void mountThroughFds(List<Path> layersBottomFirst, Path target) throws SysException {
        List<Integer> fds = new ArrayList<>();
        try {
            for (Path p : layersBottomFirst) {
                fds.add(Fds.open(p, Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_NOFOLLOW | Fds.O_CLOEXEC));
            }
            List<String> lowers = new ArrayList<>();
            for (int i = fds.size() - 1; i >= 0; i--) {
                lowers.add("/proc/self/fd/" + fds.get(i));
            }
            String options = "lowerdir=" + String.join(":", lowers);
            if (options.length() > MAX_OPTIONS) {
                throw new OciMountException(ErrorKind.RESOURCE_EXHAUSTED, "image of " + lowers.size()
                        + " layers: overlay options exceed one page even by descriptor (" + options.length() + " bytes)");
            }
            Mounts.mount("overlay", target, "overlay", RO_FLAGS, options);
        } finally {
            fds.forEach(Fds::close);
        }
    }

    @Override
    public MountId bind(SubPathResolver.Opened source, BindTarget target) {
        return VolumeBinds.bind(source, target, RO_FLAGS);
    }

    @Override
    public void unmount(MountId mount, Path lastKnown) {
        if (mount.known()) {
            VolumeBinds.unmount(mount, lastKnown);
        } else {
            unmount(lastKnown);
        }
    }

    @Override
    public boolean isMounted(MountId mount, Path lastKnown) {
        return mount.known() ? VolumeBinds.isMounted(mount, lastKnown) : MountInfo.at(MountInfo.read(), lastKnown) != null;
    }

    private static void bindReadOnly(String source, Path target) throws SysException {
        Mounts.mount(source, target, null, Mounts.MS_BIND, null);
        remountReadOnly(target);
    }

    /** A bind ignores flags on its first call; this second call applies them, or takes the bind away again. */
    private static void remountReadOnly(Path mount) throws SysException {
        try {
            VolumeBinds.remount(mount, RO_FLAGS);
        } catch (SysException e) {
            Mounts.umount(mount, Mounts.MNT_DETACH); // never leave a writable bind behind
            throw e;
        }
    }

    /** Never follows a link at the last component: what is unmounted is what is at that path, or nothing. */
    @Override
    public void unmount(Path target) {
        try {
            Mounts.umount(target, Mounts.MNT_DETACH | Mounts.UMOUNT_NOFOLLOW);
        } catch (SysException e) {
            if (e.errno() != Mounts.EINVAL && e.errno() != Syscalls.ENOENT) {
                throw new OciMountException(ErrorKind.INTERNAL, "unmount " + target + ": " + e.getMessage(), e);
            }
        }
    }
}
