package io.ocimount.cli;

import static java.util.stream.Collectors.joining;

import io.ocimount.config.DaemonConfig;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Json;
import io.ocimount.oci.Platform;
import io.ocimount.pack.GzipEngine;
import io.ocimount.pack.LayerSource;
import io.ocimount.pack.Packed;
import io.ocimount.pack.Packer;
import io.ocimount.pack.RunConfig;
import io.ocimount.pack.RunConfigFile;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.sys.Trees;
import io.ocimount.wiring.Wiring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Pack a directory (or several, with --layer: one layer each) as a reproducible image, or with "
                + "--artifact a directory as an OCI artifact, and push it or write it as an OCI layout. Needs no daemon.",
                "Prints the digest and the pinned reference REF@sha256:...; the same directory always packs to the "
                        + "same digest (mtime from SOURCE_DATE_EPOCH, else 0)."})
final class PackCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The directory whose content becomes "
            + "the image (one layer); or give --layer.")
    Path source;

    @Option(names = "--layer", paramLabel = "[OS/ARCH[/VARIANT]=]DIR", description = "A directory packed as its own "
            + "layer, bottom first; may be repeated (instead of DIR). With a platform before it, the layer goes into "
            + "that platform's image only (e.g. a JRE per architecture under a shared application layer); a directory "
            + "whose name looks like OS/ARCH=... is given as ./OS/ARCH=....")
    List<String> layers = new ArrayList<>();

    @Option(names = "--entrypoint", paramLabel = "ARG", description = "Entrypoint: a JSON array, or one word per "
            + "--entrypoint.")
    List<String> entrypoint;

    @Option(names = "--cmd", paramLabel = "ARG", description = "Cmd: a JSON array, or one word per --cmd.")
    List<String> cmd;

    @Option(names = "--env", paramLabel = "K=V", description = "An Env variable; may be repeated.")
    List<String> env = new ArrayList<>();

    @Option(names = "--workdir", paramLabel = "DIR", description = "WorkingDir (absolute).")
    String workdir;

    @Option(names = "--user", paramLabel = "USER[:GROUP]", description = "User the process runs as.")
    String user;

    @Option(names = "--label", paramLabel = "K=V", description = "A label of the image config; may be repeated.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--expose", paramLabel = "PORT[/PROTO]", description = "An ExposedPorts entry (tcp when no "
            + "protocol is given); may be repeated.")
    List<String> expose = new ArrayList<>();

    @Option(names = "--image-config", paramLabel = "FILE", description = "A TOML file of entrypoint, cmd, env, workdir, "
            + "user, labels and expose (keys as the flags); the flags go over it.")
    Path imageConfig;

    @Option(names = {"-t", "--tag"}, required = true, paramLabel = "REF", description = "The image reference, e.g. "
            + "registry.example/team/data:v1.")
    String tag;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform of the config (default: "
            + "the node's, or `platform` in the config file); give it several times to build an index.")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--push", description = "Push to the registry with the pull auth (docker config.json) and hosts.toml.")
    boolean push;

    @Option(names = "--oci-layout", paramLabel = "PATH", description = "Write an OCI image layout at PATH, tagged "
            + "with REF's tag (skopeo's oci:PATH:TAG).")
    Path ociLayout;

    @Option(names = "--artifact", description = "Pack the files of DIR as an OCI artifact: one layer per file, titled "
            + "with its path.")
    boolean artifact;

    @Option(names = "--artifact-type", paramLabel = "TYPE", description = "artifactType of an --artifact (default "
            + "application/vnd.ocimount.files.v1).")
    String artifactType;

    @Option(names = "--mount-from", paramLabel = "REPO", description = "A repository of the same registry to mount "
            + "blobs from instead of uploading them (cross-repository mount); may be repeated.")
    List<String> mountFrom = new ArrayList<>();

    @Option(names = "--gzip", paramLabel = "libdeflate|zlib", description = "The deflate of the layers (default "
            + "libdeflate when libdeflate0 is installed, else zlib). Each gives the same bytes for the same tree and "
            + "the same library version; the two give different digests.")
    String gzip;

    @Option(names = "--config", paramLabel = "FILE", description = "Config for registry.config_path, "
            + "registry.docker_config and platform (default /etc/ocimount/config.toml).")
    Path config = DaemonConfig.DEFAULT_CONFIG;

    @Override
    public Integer call() throws IOException {
        Reference ref = Reference.parse(tag);
        if (ref.tag() == null || ref.digest() != null) {
            throw new Cli.CliException(2, "--tag " + tag + ": give a tag (and no digest); the digest is what pack prints");
        }
        DaemonConfig settings = DaemonConfig.load(config);
        List<Platform> wanted = platforms.isEmpty() ? List.of(settings.platform())
                : platforms.stream().map(Platform::parse).distinct().toList();
        List<LayerSource> dirs = layers();
        Packer.Options options;
        try {
            options = new Packer.Options(dirs, artifact, artifactType, wanted, sourceDateEpoch(), runConfig(), gzipEngine());
        } catch (IllegalArgumentException e) {
            throw new Cli.CliException(2, e.getMessage());
        }
        Path scratch = ociLayout == null ? Files.createTempDirectory("ocimount-pack-") : null;
        try {
            Packed packed = Packer.pack(options, ociLayout != null ? Files.createDirectories(ociLayout) : scratch, scratch != null);
            if (ociLayout != null) {
                Packer.tagInLayout(ociLayout, packed, ref.tag());
            }
            if (push) {
                var pusher = Wiring.registry(settings.registrySettings()).pusher(ref, Credentials.NONE);
                for (String line : Packer.push(packed, pusher, ref.tag(), mountFrom, Cancellation.none())) {
                    System.err.println(line);
                }
            }
            print(packed, options.gzip());
            return 0;
        } catch (IllegalArgumentException e) {
            throw new Cli.CliException(2, "pack: " + e.getMessage());
        } catch (IOException e) {
            throw new Cli.CliException(1, "pack " + dirs.stream().map(LayerSource::toString).collect(joining(", ")) + ": "
                    + e.getMessage());
        } finally {
            if (scratch != null) {
                Trees.delete(scratch);
            }
        }
    }

    private List<LayerSource> layers() {
        if (source != null && !layers.isEmpty()) {
            throw new Cli.CliException(2, "give DIR or --layer DIR..., not both");
        }
        if (source == null && layers.isEmpty()) {
            throw new Cli.CliException(2, "give the directory to pack: DIR, or --layer DIR once per layer");
        }
        try {
            return source != null ? List.of(LayerSource.everyPlatform(source))
                    : layers.stream().map(LayerSource::parse).toList();
        } catch (RuntimeException e) {
            throw new Cli.CliException(2, "--layer: " + e.getMessage());
        }
    }

    /** --gzip, or libdeflate when installed, else zlib, said out loud: the digest depends on it. */
    private GzipEngine gzipEngine() {
        if (gzip == null) {
            GzipEngine preferred = GzipEngine.preferred();
            if (preferred == GzipEngine.ZLIB && !artifact) {
                System.err.println("pack: " + GzipEngine.LIBDEFLATE.unavailableBecause() + "; compressing with zlib, "
                        + "about 2.5 times slower, and to other bytes (another digest) than with libdeflate");
            }
            return preferred;
        }
        return switch (gzip) {
            case "zlib" -> GzipEngine.ZLIB;
            case "libdeflate" -> {
                String missing = GzipEngine.LIBDEFLATE.unavailableBecause();
                if (missing != null) {
                    throw new Cli.CliException(2, "--gzip libdeflate: " + missing);
                }
                yield GzipEngine.LIBDEFLATE;
            }
            default -> throw new Cli.CliException(2, "--gzip " + gzip + ": give libdeflate or zlib");
        };
    }

    /** The file's config with the flags over it. */
    private RunConfig runConfig() {
        try {
            RunConfig base = imageConfig == null ? RunConfig.NONE : RunConfigFile.read(imageConfig);
            Map<String, String> labelMap = new LinkedHashMap<>();
            labels.stream().map(RunConfig::label).forEach(l -> labelMap.put(l.getKey(), l.getValue()));
            return base.with(new RunConfig(RunConfig.argv("--entrypoint", entrypoint), RunConfig.argv("--cmd", cmd), env,
                    workdir, user, labelMap, expose));
        } catch (IOException e) {
            throw new Cli.CliException(1, "--image-config " + imageConfig + ": cannot read: " + e);
        }
    }

    private void print(Packed packed, GzipEngine packedWith) {
        String pinned = tag + "@" + packed.top().digest();
        if (cli.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("digest", packed.top().digest().toString());
            out.put("mediaType", packed.top().mediaType());
            out.put("size", packed.top().size());
            out.put("reference", pinned);
            out.put("pushed", push);
            if (!artifact) {
                out.put("gzip", packedWith.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (ociLayout != null) {
                out.put("ociLayout", ociLayout.toAbsolutePath().toString());
            }
            System.out.println(new String(Json.write(out), StandardCharsets.UTF_8));
            return;
        }
        System.out.println(packed.top().digest());
        System.out.println(pinned);
    }

    private static long sourceDateEpoch() {
        String s = System.getenv("SOURCE_DATE_EPOCH");
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new Cli.CliException(2, "SOURCE_DATE_EPOCH=" + s + ": not a number of seconds");
        }
    }
}
