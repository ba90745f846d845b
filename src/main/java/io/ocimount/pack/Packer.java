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

/** `ocimount pack`: directories to an image (one layer each) or a directory to an artifact in a blob directory, then to an OCI layout or a registry. */
public final class Packer {
    /**
     * @param layers      the directories to pack, one layer each, bottom first; an artifact takes exactly one, and
     *                    a layer for one platform goes into that platform's image only
     * @param platforms   one or more; more than one builds an index (images only)
     * @param mtimeSeconds the one timestamp every tar entry and the config carry
     * @param run         the image config's {@code config} object (images only)
     * @param gzip        the deflate of the image's layers: the same tree packs to the same digest with the same one
     */
    public record Options(List<LayerSource> layers, boolean artifact, String artifactType, List<Platform> platforms,
                          long mtimeSeconds, RunConfig run, GzipEngine gzip) {
        public Options {
            layers = List.copyOf(layers);
            platforms = List.copyOf(platforms);
            artifactType = artifactType == null ? ArtifactPacker.DEFAULT_TYPE : artifactType;
            run = run == null ? RunConfig.NONE : run;
            gzip = gzip == null ? GzipEngine.preferred() : gzip;
        }

        public Options(List<LayerSource> layers, boolean artifact, String artifactType, List<Platform> platforms,
                       long mtimeSeconds, RunConfig run) {
            this(layers, artifact, artifactType, platforms, mtimeSeconds, run, null);
        }

        /** One directory, nothing in the config's {@code config}: what pack did before it took several layers. */
        public Options(Path source, boolean artifact, String artifactType, List<Platform> platforms, long mtimeSeconds) {
            this(List.of(LayerSource.everyPlatform(source)), artifact, artifactType, platforms, mtimeSeconds, RunConfig.NONE);
        }

        /** Directories that every platform's image holds. */
        public static List<LayerSource> everyPlatform(List<Path> dirs) {
            return dirs.stream().map(LayerSource::everyPlatform).toList();
        }
    }

    private Packer() {
    }

    /**
     * Packs into {@code blobRoot}/blobs/sha256: an OCI layout's blob directory, or with {@code scratch} a staging
     * directory for a push, where an artifact's files are not copied but read in place.
     */
    public static Packed pack(Options o, Path blobRoot, boolean scratch) throws IOException {
        if (o.layers().isEmpty()) {
            throw new IllegalArgumentException("nothing to pack: give a directory");
        }
        BlobDir dir = new BlobDir(blobRoot, scratch);
        if (o.artifact()) {
            if (o.platforms().size() > 1) {
                throw new IOException("--artifact packs one platform-free manifest; --platform cannot be given twice");
            }
            if (o.layers().size() > 1 || o.layers().get(0).platform() != null || !o.run().equals(RunConfig.NONE)) {
                throw new IllegalArgumentException("--artifact packs one directory as files: it takes no second --layer "
                        + "and no platform's layer or image config (entrypoint, cmd, env, workdir, user, label, expose)");
            }
            return ArtifactPacker.pack(o.layers().get(0).dir(), o.artifactType(), dir);
        }
        return ImagePacker.pack(o.layers(), o.platforms(), o.mtimeSeconds(), o.run(), o.gzip(), dir);
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
