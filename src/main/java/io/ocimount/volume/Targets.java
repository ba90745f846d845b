package io.ocimount.volume;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Mount targets on the host: a directory for a directory, a file for a file (a single file binds onto a file,
 * which Kubernetes issue 134894 asks for). Created when missing, and removed on unmount only if ocimount made it.
 */
final class Targets {
    /** @return whether the target was created here */
    boolean prepare(Path target, boolean directory) {
        try {
            if (Files.isSymbolicLink(target)) {
                throw OciMountException.invalid("target " + target + " is a symlink");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                boolean isDir = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
                if (isDir != directory) {
                    throw OciMountException.invalid("target " + target + " is a " + (isDir ? "directory" : "file")
                            + " but the sub path is a " + (directory ? "directory" : "file"));
                }
                return false;
            }
            Files.createDirectories(target.getParent());
            if (directory) {
                Files.createDirectory(target);
            } else {
                Files.createFile(target);
            }
            return true;
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "create target " + target + ": " + e.getMessage(), e);
        }
    }

    void remove(Path target) {
        try {
            Files.deleteIfExists(target);
        } catch (DirectoryNotEmptyException someoneElses) {
            // something was put there after us: leave it
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "remove target " + target + ": " + e.getMessage(), e);
        }
    }
}
