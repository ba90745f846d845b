package io.ocimount.volume;

import java.util.List;

/**
 * One mounted image volume, as kept under the state directory. It carries the image's layer chainIDs so its
 * layers stay pinned (and its view can be rebuilt) even after RemoveImage took the image's names.
 *
 * @param image         the reference as the caller gave it
 * @param imageId       Image.id of what was mounted
 * @param view          the key of the shared read-only view it is bound from
 * @param createdTarget whether ocimount created the target (and so removes it on unmount)
 * @param state         PENDING while being mounted (a crash then leaves a record to reconcile), else MOUNTED
 */
public record VolumeRecord(String id, String target, String image, String imageId, String manifest, String subPath,
                           List<String> chainIds, String view, boolean createdTarget, String podNamespace,
                           String podName, String podUid, String state, long createdAtMillis) {
    static final String PENDING = "PENDING";
    static final String MOUNTED = "MOUNTED";

    public VolumeRecord {
        chainIds = List.copyOf(chainIds);
    }

    VolumeRecord mounted() {
        return new VolumeRecord(id, target, image, imageId, manifest, subPath, chainIds, view, createdTarget, podNamespace,
                podName, podUid, MOUNTED, createdAtMillis);
    }
}
