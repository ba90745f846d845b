package io.ocimount;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of DESIGN.md, read from the compiled classes: no cycle between packages, no dependency
 * on a package higher in the layer order, gRPC known only to the adapters and the entry points, jnr only to sys.
 */
class ArchitectureTest {
    /** Top to bottom; a package may use its own layer's packages (without a cycle) and every layer below. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of(""),                         // io.ocimount.Main: the entry point above daemon and CLI
            Set.of("daemon", "cli"),
            Set.of("wiring"),                   // the composition root, used by the daemon, the CLI's push and tests
            Set.of("config"),
            Set.of("cri", "api", "csi"),
            Set.of("volume"),
            Set.of("image", "pack"),
            Set.of("artifact", "policy"),
            Set.of("registry", "content", "unpack", "snapshot", "mount"),
            Set.of("ref"),
            Set.of("oci", "sys", "metrics"),
            Set.of("errdefs", "streams"));
    private static final Set<String> GRPC_ALLOWED = Set.of("", "daemon", "cli", "cri", "api", "csi");
    static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ocimount");
    }

    /** The package below io.ocimount ("" for io.ocimount itself), or null for generated protobuf code. */
    static String packageOf(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith("io.ocimount") || p.startsWith("io.ocimount.api.v1")) {
            return null;
        }
        String rest = p.equals("io.ocimount") ? "" : p.substring("io.ocimount.".length());
        return rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
    }

    static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package io.ocimount." + pkg + " is in no layer: add it to DESIGN.md and to LAYERS");
    }

    @Test
    void everyPackageIsInALayerAndDependsOnlyDownward() {
        Set<String> upward = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = packageOf(c);
            if (from == null) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = packageOf(d.getTargetClass());
                if (to != null && !to.equals(from) && layerOf(to) < layerOf(from)) {
                    upward.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        assertEquals(Set.of(), upward, "dependencies on a higher layer");
    }

    /** The parts of the registry client and of the services, which only the composition root (wiring) may build. */
    static final Set<String> WIRED = Set.of("image.ImageService", "image.Puller", "image.LayerUnpacker",
            "image.GarbageCollector", "image.ImageReclaimer", "image.BlobDownloader", "image.PullAccess", "image.CredentialHashes", "image.PartialReclaimer", "image.ImageStore", "image.StoreUsage",
            "artifact.ArtifactTreeBuilder", "content.LocalContentStore", "snapshot.OverlaySnapshotter",
            "unpack.LayerApplier", "volume.VolumeService", "volume.VolumeStore", "volume.Views", "volume.Targets",
            "volume.VolumeImages", "registry.RegistryClient", "registry.RegistryTransport", "registry.HttpClients",
            "registry.Authorizer", "registry.TokenFetcher", "registry.ManifestFetcher", "registry.BlobFetcher",
            "registry.HostsConfig", "registry.DockerConfigCredentials", "registry.CredentialChain",
            "registry.KubeletCredentialProviders", "registry.CredentialProviderPlugin", "registry.CredentialHelpers");

    @Test
    void onlyTheCompositionRootBuildsTheServicesParts() {
        Set<String> built = new TreeSet<>();
        for (JavaClass c : classes) {
            if ("wiring".equals(packageOf(c))) {
                continue;
            }
            c.getConstructorCallsFromSelf().forEach(call -> {
                if (call.getTargetOwner().equals(c)) {
                    return; // one constructor of a class calling another
                }
                String target = call.getTargetOwner().getName().replace("io.ocimount.", "");
                if (WIRED.contains(target)) {
                    built.add(c.getName() + " builds " + target);
                }
            });
        }
        assertEquals(Set.of(), built);
    }

    @Test
    void packagesHaveNoCycle() {
        slices().matching("io.ocimount.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheAdaptersKnowGrpcAndOnlySysKnowsJnr() {
        Set<String> wrong = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = packageOf(c);
            if (from == null) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                boolean grpc = target.startsWith("io.grpc") || target.startsWith("com.google.protobuf")
                        || target.startsWith("runtime.v1") || target.startsWith("io.ocimount.api.v1")
                        || target.startsWith("csi.v1") || target.startsWith("pluginregistration");
                if (grpc && !GRPC_ALLOWED.contains(from) || target.startsWith("jnr.") && !from.equals("sys")) {
                    wrong.add(c.getName() + " -> " + d.getTargetClass().getName());
                }
            }
        }
        assertEquals(Set.of(), wrong);
    }
}
