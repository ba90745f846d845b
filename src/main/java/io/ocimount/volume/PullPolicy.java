package io.ocimount.volume;

import io.ocimount.ref.Reference;

/** kubelet's pull policies for an image volume. */
public enum PullPolicy {
    ALWAYS, IF_NOT_PRESENT, NEVER;

    /** kubelet's default: Always for ":latest" or no tag (and no digest), else IfNotPresent. */
    public static PullPolicy defaultFor(Reference ref) {
        return ref.digest() == null && (ref.tag() == null || ref.tag().equals("latest")) ? ALWAYS : IF_NOT_PRESENT;
    }
}
