package io.ocimount.volume;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ocimount.mount.MountId;
import io.ocimount.oci.Digest;
import java.util.List;

/**
 * One mounted image volume, as kept under the state directory. It carries the image's layer chainIDs so its
 * layers stay pinned (and its view can be rebuilt) even after RemoveImage took the image's names.
 *
 * @param target     the target path as the caller gave it
 * @param mountPoint the target as the kernel names it once resolved (what the mount table shows)
 * @param image      the reference as the caller gave it
 * @param imageId    Image.id of what was mounted
 * @param view       the key of the shared read-only view it is bound from
 * @param created    the paths ocimount creates for the target, outermost first: written down before they are
 *                   created, and removed (when empty) on unmount, or at start if the volume never came to be
 * @param state      PENDING while being mounted (a crash then leaves a record to reconcile), else MOUNTED
 * @param mount      the bind as the kernel knows it once MOUNTED, so unmount finds it wherever its path went
 * @param podServiceAccount the pod's service account when the caller said it (CSI with podInfoOnMount), else ""
 */
public record VolumeRecord(String id, String target, String mountPoint, String image, Digest imageId, Digest manifest,
                           String subPath, List<Digest> chainIds, String view, List<String> created, String podNamespace,
                           String podName, String podUid, State state, long createdAtMillis, MountId mount,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) String podServiceAccount) {
    /** Stored by name, as the strings "PENDING" and "MOUNTED" that records have always held. */
    public enum State {
        /** Being mounted: written before anything is created for the target, so a crash leaves a record to reconcile. */
        PENDING,
        MOUNTED
    }

    public VolumeRecord {
        chainIds = List.copyOf(chainIds);
        created = created == null ? List.of() : List.copyOf(created);
        mountPoint = mountPoint == null ? target : mountPoint; // a record from before mount points were kept
        mount = mount == null ? MountId.UNKNOWN : mount;
        podServiceAccount = podServiceAccount == null ? "" : podServiceAccount; // absent from older records
    }

    VolumeRecord mounted(MountId bind) {
        return new VolumeRecord(id, target, mountPoint, image, imageId, manifest, subPath, chainIds, view, created,
                podNamespace, podName, podUid, State.MOUNTED, createdAtMillis, bind, podServiceAccount);
    }
}
