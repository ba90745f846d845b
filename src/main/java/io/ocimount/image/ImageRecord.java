package io.ocimount.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ocimount.artifact.ArtifactTree;
import io.ocimount.oci.ChainIds;
import io.ocimount.oci.Digest;
import io.ocimount.policy.Trust;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What ocimount knows of one stored image or artifact. {@code id} is the config digest for an image (as
 * containerd reports it) and the manifest digest for an artifact, whose configs are often all the same empty blob.
 *
 * @param target       the digest a tag resolved to: an index for multi-arch images, else the manifest
 * @param blobs        every blob the image holds in the content store: index, manifest, config, layers
 * @param layers       filesystem layer digests in stack order (empty for artifacts)
 * @param diffIds      the config's rootfs.diff_ids, pairing with {@code layers}
 * @param lastUsedMillis the last pull or mount as last written (the store keeps the exact time in memory and writes
 *                     it now and then); 0 in records from before image garbage collection, and then not written
 * @param pulledWith   keyed hashes of the credentials that pulled the image or that its registry accepted for it
 *                     since ({@link CredentialHashes}; "anonymous" for a pull without); empty in older records
 * @param trust        per repository the image was pulled as, what the trust policy found at its last pull there
 *                     (scope, host, verified signatures), which a mount of the stored image by a name of that
 *                     repository is checked with; empty in records from before policies
 */
public record ImageRecord(Digest id, Digest target, Digest manifest, Digest config, String mediaType,
                          String artifactType, String platform, long size, String user, List<String> repoTags,
                          List<String> repoDigests, List<Digest> blobs, List<Digest> layers, List<Digest> diffIds,
                          long createdAtMillis, @JsonInclude(JsonInclude.Include.NON_DEFAULT) long lastUsedMillis,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> pulledWith,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Trust> trust) {

    public ImageRecord {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        blobs = List.copyOf(blobs);
        layers = layers == null ? List.of() : List.copyOf(layers);
        diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        pulledWith = pulledWith == null ? List.of() : List.copyOf(pulledWith);
        trust = trust == null ? Map.of() : Map.copyOf(trust);
    }

    public ImageRecord(Digest id, Digest target, Digest manifest, Digest config, String mediaType, String artifactType,
                       String platform, long size, String user, List<String> repoTags, List<String> repoDigests,
                       List<Digest> blobs, List<Digest> layers, List<Digest> diffIds, long createdAtMillis,
                       long lastUsedMillis, List<String> pulledWith) {
        this(id, target, manifest, config, mediaType, artifactType, platform, size, user, repoTags, repoDigests, blobs,
                layers, diffIds, createdAtMillis, lastUsedMillis, pulledWith, Map.of());
    }

    /** Recorded before ocimount kept who pulled an image: kubelet's "preloaded". Not stored: it is derived. */
    @JsonIgnore
    public boolean isPreloaded() {
        return pulledWith.isEmpty();
    }

    public boolean isArtifact() {
        return artifactType != null && !artifactType.isEmpty();
    }

    /**
     * The snapshots a view of this image stacks, bottom first: the layers' chainIDs, or for an artifact the one
     * tree its layers are placed in.
     */
    public List<Digest> chainIds() {
        if (isArtifact()) {
            return List.of(ArtifactTree.key(manifest));
        }
        return ChainIds.of(diffIds);
    }

    /** This record with the other record's names and pulling credentials added (the same content pulled again). */
    ImageRecord withNamesOf(ImageRecord other) {
        return new ImageRecord(id, target, manifest, config, mediaType, artifactType, platform, size, user,
                union(repoTags, other.repoTags), union(repoDigests, other.repoDigests), blobs, layers, diffIds,
                createdAtMillis, Math.max(lastUsedMillis, other.lastUsedMillis), recent(union(pulledWith, other.pulledWith)),
                merged(trust, other.trust));
    }

    ImageRecord withNames(List<String> tags, List<String> digests) {
        return new ImageRecord(id, target, manifest, config, mediaType, artifactType, platform, size, user, tags, digests,
                blobs, layers, diffIds, createdAtMillis, lastUsedMillis, pulledWith, trust);
    }

    /** This record with credentials (their {@link CredentialHashes} hash) the registry accepted for it. */
    ImageRecord withPulledWith(String credentialHash) {
        return new ImageRecord(id, target, manifest, config, mediaType, artifactType, platform, size, user, repoTags,
                repoDigests, blobs, layers, diffIds, createdAtMillis, lastUsedMillis,
                recent(union(pulledWith, List.of(credentialHash))), trust);
    }

    /** How many credential hashes a record keeps: rotating tokens (a plugin's, every 12 h) would grow it forever. */
    static final int MAX_PULLED_WITH = 16;

    /** "anonymous" if there, and the newest others; a caller whose hash was dropped is asked with one HEAD again. */
    private static List<String> recent(List<String> hashes) {
        List<String> kept = new ArrayList<>(hashes.contains(CredentialHashes.ANONYMOUS)
                ? List.of(CredentialHashes.ANONYMOUS) : List.of());
        List<String> others = hashes.stream().filter(h -> !h.equals(CredentialHashes.ANONYMOUS)).toList();
        kept.addAll(others.subList(Math.max(0, others.size() - (MAX_PULLED_WITH - kept.size())), others.size()));
        return kept;
    }

    ImageRecord withLastUsed(long millis) {
        return new ImageRecord(id, target, manifest, config, mediaType, artifactType, platform, size, user, repoTags,
                repoDigests, blobs, layers, diffIds, createdAtMillis, millis, pulledWith, trust);
    }

    /** Per repository, the newer pull's trust replaces the older's. */
    private static Map<String, Trust> merged(Map<String, Trust> older, Map<String, Trust> newer) {
        Map<String, Trust> m = new TreeMap<>(older);
        m.putAll(newer);
        return m;
    }

    private static List<String> union(List<String> a, List<String> b) {
        LinkedHashSet<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return new ArrayList<>(s);
    }
}
