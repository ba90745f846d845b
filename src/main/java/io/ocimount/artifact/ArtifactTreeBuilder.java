package io.ocimount.artifact;

import io.ocimount.content.ContentStore;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Manifest;
import io.ocimount.snapshot.Preparation;
import io.ocimount.snapshot.Snapshotter;
import io.ocimount.sys.IoErrors;
import io.ocimount.sys.SysException;
import io.ocimount.unpack.Compression;
import io.ocimount.unpack.LayerApplier;
import io.ocimount.unpack.LayerRefusedException;
import io.ocimount.unpack.LocalWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/**
 * Builds the directory an OCI artifact is mounted from: each layer under its name, as a hard link to the
 * verified blob (no bytes copied) or, for tar layers, unpacked with the same confinement as image layers. The tree
 * is a snapshot keyed by {@link ArtifactTree#key}, prepared privately and committed in one rename, so a refused
 * name or a kill leaves nothing visible.
 */
public final class ArtifactTreeBuilder {
    private static final Logger LOG = Logger.getLogger(ArtifactTreeBuilder.class.getName());
    private final ContentStore content;
    private final Snapshotter snapshots;
    private final LayerApplier applier;

    public ArtifactTreeBuilder(ContentStore content, Snapshotter snapshots, LayerApplier applier) {
        this.content = content;
        this.snapshots = snapshots;
        this.applier = applier;
    }

    /**
     * The artifact's tree, built now unless it is there already.
     *
     * @param subject how errors name the image, e.g. {@code pull "reg/x:v1"}
     */
    public Path ensure(String subject, Digest manifestDigest, Manifest manifest) {
        Digest key = ArtifactTree.key(manifestDigest);
        if (snapshots.exists(key)) {
            return snapshots.path(key);
        }
        Preparation prep = snapshots.prepare();
        try {
            Files.setPosixFilePermissions(prep.fs(), TreeFiles.DIR_MODE);
            NameClaims claims = new NameClaims();
            int n = 0;
            for (Descriptor d : manifest.layers()) {
                place(subject, d, prep, n++, claims);
            }
        } catch (IOException e) {
            prep.discard();
            throw new OciMountException(IoErrors.isDiskFull(e) ? ErrorKind.RESOURCE_EXHAUSTED : ErrorKind.INTERNAL,
                    subject + ": build artifact tree: " + IoErrors.describe(e), e);
        } catch (RuntimeException e) {
            prep.discard();
            throw e;
        }
        snapshots.commit(prep, key, List.of());
        return snapshots.path(key);
    }

    private void place(String subject, Descriptor d, Preparation prep, int n, NameClaims claims) throws IOException {
        LayerPlacement p;
        try {
            p = LayerPlacement.of(d);
        } catch (LayerPlacement.BadName e) {
            throw refused(subject, LayerPlacement.describe(d, LayerPlacement.annotatedName(d.annotations())), e.getMessage());
        }
        try {
            switch (p.kind()) {
                case SKIP -> LOG.info(() -> subject + ": artifact " + p.describe() + " has no name and is no tar: not shown");
                case FILE -> linkFile(p, prep.fs(), claims);
                case TAR_INTO -> {
                    if (holdsTar(d.digest())) {
                        claims.claim(p.path(), p.describe());
                        TreeFiles.moveInto(unpack(p, prep, n), prep.fs(), p.path());
                    } else { // ORAS pushes plain files with the tar layer type: show them as they are
                        linkFile(p, prep.fs(), claims);
                    }
                }
                case TAR_AT_ROOT -> {
                    requireTar(p);
                    Path tree = unpack(p, prep, n);
                    for (String top : TreeFiles.sortedNames(tree)) {
                        claims.claim(List.of(top), p.describe());
                        TreeFiles.moveInto(tree.resolve(top), prep.fs(), List.of(top));
                    }
                }
                case TAR_ORAS -> {
                    requireTar(p);
                    claims.claim(p.path(), p.describe());
                    TreeFiles.moveInto(TreeFiles.onlyPath(unpack(p, prep, n), p.path()), prep.fs(), p.path());
                }
            }
        } catch (LayerPlacement.BadName | LayerRefusedException e) {
            throw refused(subject, p.describe(), e.getMessage());
        } catch (FileSystemException | SysException | LocalWriteException local) {
            throw new OciMountException(IoErrors.isDiskFull(local) ? ErrorKind.RESOURCE_EXHAUSTED : ErrorKind.INTERNAL,
                    subject + ": artifact " + p.describe() + ": " + IoErrors.describe(local), local);
        } catch (IOException e) {
            throw refused(subject, p.describe(), e.getMessage());
        }
    }

    private void linkFile(LayerPlacement p, Path fs, NameClaims claims) throws IOException {
        claims.claim(p.path(), p.describe());
        TreeFiles.linkOrCopy(content.file(p.layer().digest()), fs, p.path());
    }

    private void requireTar(LayerPlacement p) throws IOException {
        if (!holdsTar(p.layer().digest())) {
            throw new LayerPlacement.BadName("typed " + p.layer().mediaType() + " but holds no tar archive");
        }
    }

    /** Unpacks into a private directory beside the tree, whiteouts of nothing removed; returns its root. */
    private Path unpack(LayerPlacement p, Preparation prep, int n) throws IOException {
        Path fs = prep.dir().resolve("layer-" + n).resolve("fs");
        Files.createDirectories(fs);
        try (InputStream in = content.open(p.layer().digest())) {
            applier.apply(in, fs);
        }
        TreeFiles.removeWhiteouts(fs);
        Files.setPosixFilePermissions(fs, TreeFiles.DIR_MODE);
        return fs;
    }

    /**
     * A tar header (ustar magic) or an empty archive's zero block after any compression. A compressed stream
     * that cannot be read throws, so the refusal says why instead of calling the layer a plain file.
     */
    private boolean holdsTar(Digest blob) throws IOException {
        try (InputStream in = content.open(blob)) {
            Compression.Detected detected = Compression.detect(in);
            byte[] head;
            try {
                head = detected.decompressed().readNBytes(512);
            } catch (IOException e) {
                throw new IOException(detected.compression().name().toLowerCase(java.util.Locale.ROOT) + " stream: "
                        + e.getMessage(), e);
            }
            if (head.length < 512) {
                return false;
            }
            boolean zero = true;
            for (byte b : head) {
                zero &= b == 0;
            }
            return zero || new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    private static OciMountException refused(String subject, String layer, String reason) {
        return OciMountException.invalid(subject + ": artifact " + layer + ": " + reason);
    }
}
