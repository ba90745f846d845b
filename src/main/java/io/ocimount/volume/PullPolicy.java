package io.ocimount.volume;

import io.ocimount.ref.Reference;

/** kubelet's pull policies for an image volume. */
public enum PullPolicy {
    ALWAYS, IF_NOT_PRESENT, NEVER;

    /**
     * kubelet's default (SetDefaults for containers and image volumes): Always when the tag is "latest", or when
     * there is neither tag nor digest; else IfNotPresent. The tag decides even beside a digest:
     * {@code repo:latest@sha256:…} is Always, {@code repo@sha256:…} and {@code repo:1.0@sha256:…} IfNotPresent.
     */
    public static PullPolicy defaultFor(String image) {
        Reference ref = Reference.parse(image);
        if (ref.digest() == null) {
            return "latest".equals(ref.tag()) ? ALWAYS : IF_NOT_PRESENT;
        }
        String name = image.trim().substring(0, image.trim().indexOf('@'));
        int colon = name.lastIndexOf(':');
        boolean latest = colon > name.lastIndexOf('/') && name.substring(colon + 1).equals("latest");
        return latest ? ALWAYS : IF_NOT_PRESENT;
    }
}
