package io.ocimount.volume;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.mount.Mounter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * One read-only view per image under {@code <state_dir>/views/<key>}, shared by every volume of that image;
 * volumes are binds from it. The directory holding the views is root-only, like containerd's state.
 */
public final class Views {
    private final Path dir;
    private final Mounter mounter;

    public Views(Path stateDir, Mounter mounter) {
        this.dir = stateDir.resolve("views");
        this.mounter = mounter;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "create " + dir + ": " + e.getMessage(), e);
        }
    }

    Path path(String key) {
        return dir.resolve(key);
    }

    boolean isMounted(String key, List<Path> layersBottomFirst) {
        return mounter.isViewMounted(layersBottomFirst, path(key));
    }

    /** Mounts the view unless it is already there. */
    void ensure(String key, List<Path> layersBottomFirst) {
        Path p = path(key);
        if (isMounted(key, layersBottomFirst)) {
            return;
        }
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "create view " + p + ": " + e.getMessage(), e);
        }
        mounter.mountView(layersBottomFirst, p);
    }

    void release(String key) {
        Path p = path(key);
        if (!Files.exists(p)) {
            return;
        }
        mounter.unmount(p);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "remove view " + p + ": " + e.getMessage(), e);
        }
    }

    List<String> keysOnDisk() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "list views: " + e.getMessage(), e);
        }
    }
}
