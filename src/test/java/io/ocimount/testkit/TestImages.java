package io.ocimount.testkit;

import io.ocimount.wiring.Wiring;
import io.ocimount.image.GcPolicy;
import io.ocimount.image.ImageService;
import io.ocimount.image.PullSettings;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Platform;
import io.ocimount.policy.audit.AuditSettings;
import io.ocimount.policy.PolicySettings;
import io.ocimount.registry.RegistryClient;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.unpack.LayerLimits;
import java.nio.file.Path;
import java.time.Duration;

/** Image services for tests, built by the daemon's own composition root: linux/amd64, quick registry back-off. */
public final class TestImages {
    private TestImages() {
    }

    /** A registry client that backs off 5 ms between attempts, so fault tests run fast. */
    public static RegistryClient registry() {
        return Wiring.registry(RegistrySettings.defaults().withBackoff(Duration.ofMillis(5)));
    }

    /** Pull settings for linux/amd64 with the given layer limits (and the usual 3 downloads, 128 layers). */
    public static PullSettings amd64(LayerLimits limits) {
        return new PullSettings(new Platform("linux", "amd64", ""), 3, 128, limits);
    }

    public static PullSettings amd64() {
        return amd64(LayerLimits.defaults());
    }

    public static ImageService create(Path root) {
        return create(root, registry(), amd64());
    }

    public static ImageService create(Path root, RegistryClient registry, PullSettings settings) {
        return create(root, registry, settings, PolicySettings.defaults());
    }

    /** An image service whose pulls {@code policy} decides; its audit file is {@link #auditFile} of the root. */
    public static ImageService create(Path root, RegistryClient registry, PullSettings settings, PolicySettings policy) {
        return Wiring.images(root, registry, settings, GcPolicy.defaults(), Meters.NONE, policy,
                new AuditSettings(auditFile(root), 1 << 20, 1));
    }

    /** Beside the store, not in it: the store's tests count what is under the root. */
    public static Path auditFile(Path root) {
        return root.resolveSibling(root.getFileName() + "-audit.jsonl");
    }
}
