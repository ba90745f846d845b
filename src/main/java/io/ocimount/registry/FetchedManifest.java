package io.ocimount.registry;

import io.ocimount.oci.Descriptor;

/** A manifest or index as the registry sent it, already checked against its descriptor's size and digest. */
public record FetchedManifest(Descriptor descriptor, byte[] raw, String contentType) {
}
