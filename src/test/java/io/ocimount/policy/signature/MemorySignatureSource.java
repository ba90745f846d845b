package io.ocimount.policy.signature;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.registry.FetchedManifest;
import io.ocimount.testkit.CosignSigner;
import io.ocimount.testkit.ImageBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A repository's signatures in memory, checked like the real source (digest and size), every call recorded:
 * "tag sha256-….sig", "manifest sha256:…", "referrers sha256:…", "blob sha256:…".
 */
final class MemorySignatureSource implements SignatureSource {
    final Map<String, ImageBuilder.Blob> tags = new HashMap<>();
    final Map<Digest, byte[]> manifests = new HashMap<>();
    final Map<Digest, byte[]> blobs = new HashMap<>();
    final Map<Digest, List<ImageBuilder.Image>> referrers = new LinkedHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    boolean referrersApi = true;
    /** Thrown by every call when set: a registry that is down. */
    OciMountException failure;

    /** Pushes an image (its blobs and manifest), under {@code tag} when not null. */
    MemorySignatureSource push(String tag, ImageBuilder.Image image) {
        image.blobs().forEach(blobs::put);
        return pushManifest(tag, image.manifest());
    }

    MemorySignatureSource pushManifest(String tag, ImageBuilder.Blob manifest) {
        manifests.put(manifest.digest(), manifest.bytes());
        if (tag != null) {
            tags.put(tag, manifest);
        }
        return this;
    }

    /** Pushes a bundle's referrer, listed by the referrers API of its subject. */
    MemorySignatureSource attach(Digest subject, CosignSigner.Bundle bundle) {
        push(null, bundle.referrer());
        referrers.computeIfAbsent(subject, d -> new ArrayList<>()).add(bundle.referrer());
        return this;
    }

    long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    private void call(String what) {
        calls.add(what);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Optional<FetchedManifest> manifestByTag(String tag, Cancellation cancel) {
        call("tag " + tag);
        ImageBuilder.Blob m = tags.get(tag);
        return m == null ? Optional.empty() : Optional.of(new FetchedManifest(
                new Descriptor(m.mediaType(), m.digest(), m.bytes().length), m.bytes(), m.mediaType()));
    }

    @Override
    public FetchedManifest manifest(Descriptor desc, Cancellation cancel) {
        call("manifest " + desc.digest());
        byte[] bytes = checked(desc, manifests.get(desc.digest()), 4 << 20);
        return new FetchedManifest(desc, bytes, desc.mediaType());
    }

    @Override
    public Optional<byte[]> referrers(Digest subject, Cancellation cancel) {
        call("referrers " + subject);
        if (!referrersApi) {
            return Optional.empty();
        }
        return Optional.of(CosignSigner.fallbackIndex(referrers.getOrDefault(subject, List.of())).bytes());
    }

    @Override
    public byte[] blob(Descriptor desc, long maxBytes, Cancellation cancel) {
        call("blob " + desc.digest());
        return checked(desc, blobs.get(desc.digest()), maxBytes);
    }

    private static byte[] checked(Descriptor desc, byte[] bytes, long maxBytes) {
        if (desc.size() > maxBytes) {
            throw new OciMountException(ErrorKind.RESOURCE_EXHAUSTED, desc.digest() + ": over " + maxBytes + " bytes");
        }
        if (bytes == null) {
            throw OciMountException.notFound(desc.digest() + ": not found");
        }
        if (bytes.length != desc.size() || !Digest.of(bytes).equals(desc.digest())) {
            throw OciMountException.dataLoss(desc.digest() + ": the bytes served do not match the digest");
        }
        return bytes;
    }
}
