package io.ocimount.pack;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Pusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `ocimount pack`: a directory to an image or artifact in a blob directory, then to an OCI layout or a registry. */
public final class Packer {
    /**
     * @param platforms   one or more; more than one builds an index (images only)
     * @param mtimeSeconds the one timestamp every tar entry and the config carry
     */
    public record Options(Path source, boolean artifact, String artifactType, List<Platform> platforms, long mtimeSeconds) {
        public Options {
            platforms = List.copyOf(platforms);
            artifactType = artifactType == null ? ArtifactPacker.DEFAULT_TYPE : artifactType;
        }
    }

    private Packer() {
    }

    /**
     * Packs into {@code blobRoot}/blobs/sha256: an OCI layout's blob directory, or with {@code scratch} a staging
     * directory for a push, where an artifact's files are not copied but read in place.
     */
    public static Packed pack(Options o, Path blobRoot, boolean scratch) throws IOException {
        BlobDir dir = new BlobDir(blobRoot, scratch);
        if (o.artifact()) {
            if (o.platforms().size() > 1) {
                throw new IOException("--artifact packs one platform-free manifest; --platform cannot be given twice");
            }
            return ArtifactPacker.pack(o.source(), o.artifactType(), dir);
        }
        return ImagePacker.pack(o.source(), o.platforms(), o.mtimeSeconds(), dir);
    }

    /** Makes {@code layout} an OCI image layout whose index names {@code packed} as {@code refName}. */
    public static void tagInLayout(Path layout, Packed packed, String refName) throws IOException {
        OciLayout.tag(layout, packed.top(), refName);
    }

    /** Pushes blobs, then child manifests by digest, then the top object by {@code tag}; returns a line per object. */
    public static List<String> push(Packed packed, Pusher pusher, String tag, List<String> mountFrom, Cancellation cancel)
            throws IOException {
        List<String> report = new ArrayList<>();
        for (Descriptor b : packed.blobs()) {
            Pusher.Outcome o = pusher.pushBlob(b, packed.dir().file(b.digest()), mountFrom, cancel);
            report.add(b.digest() + " " + b.mediaType() + " " + o.name().toLowerCase(java.util.Locale.ROOT));
        }
        for (Descriptor m : packed.manifests()) {
            pusher.pushManifest(m, Files.readAllBytes(packed.dir().file(m.digest())), m.digest().toString(), cancel);
            report.add(m.digest() + " " + m.mediaType() + " pushed");
        }
        pusher.pushManifest(packed.top(), Files.readAllBytes(packed.dir().file(packed.top().digest())), tag, cancel);
        report.add(packed.top().digest() + " " + packed.top().mediaType() + " tagged " + tag);
        return report;
    }
}
