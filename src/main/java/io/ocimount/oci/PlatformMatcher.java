package io.ocimount.oci;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Picks the manifest for one platform out of an index: the first entry whose normalized os/arch/variant
 * equals the wanted one (the OCI "first match" rule), else the first entry with no platform at all.
 * Attestation manifests (unknown/unknown, or BuildKit's reference-type annotation) are never runnable.
 */
public final class PlatformMatcher {
    private final Platform wanted;

    public PlatformMatcher(Platform wanted) {
        this.wanted = wanted;
    }

    public Platform wanted() {
        return wanted;
    }

    public Descriptor select(Index index, String what) {
        Descriptor withoutPlatform = null;
        for (Descriptor d : index.manifests()) {
            if (isAttestation(d)) {
                continue;
            }
            if (d.platform() == null) {
                if (withoutPlatform == null) {
                    withoutPlatform = d;
                }
            } else if (d.platform().equals(wanted)) {
                return d;
            }
        }
        if (withoutPlatform != null) {
            return withoutPlatform;
        }
        throw new OciMountException(ErrorKind.NOT_FOUND, "select platform for " + what + ": no manifest for "
                + wanted + " in index; it offers " + offered(index));
    }

    static boolean isAttestation(Descriptor d) {
        return (d.platform() != null && d.platform().isUnknown())
                || "attestation-manifest".equals(d.annotations().get("vnd.docker.reference.type"));
    }

    private static String offered(Index index) {
        List<String> names = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            names.add(d.platform() == null ? "(no platform)" : d.platform().toString()
                    + (isAttestation(d) ? " (attestation)" : ""));
        }
        return names.isEmpty() ? "nothing" : names.stream().collect(Collectors.joining(", "));
    }
}
