package io.ocimount.registry;

import io.ocimount.oci.Descriptor;

/**
 * A manifest or index as the registry sent it, already checked against its descriptor's size and digest.
 *
 * @param host the host that served it (a mirror or the upstream), as audit records name it
 */
public record FetchedManifest(Descriptor descriptor, byte[] raw, String contentType, String host) {

    public FetchedManifest(Descriptor descriptor, byte[] raw, String contentType) {
        this(descriptor, raw, contentType, "");
    }
}
