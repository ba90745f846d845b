package io.ocimount.registry;

import io.ocimount.content.BlobVerifier;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything one pull asks of one registry: resolve, manifests by digest, small blobs and blob streams. */
public final class RegistrySession {
    private final Reference ref;
    private final List<RegistryHost> hosts;
    private final Credentials creds;
    private final ManifestFetcher manifests;
    private final BlobFetcher blobs;
    private final long maxConfigBytes;

    RegistrySession(Reference ref, List<RegistryHost> hosts, Credentials creds, ManifestFetcher manifests,
                    BlobFetcher blobs, long maxConfigBytes) {
        this.ref = ref;
        this.hosts = hosts;
        this.creds = creds;
        this.manifests = manifests;
        this.blobs = blobs;
        this.maxConfigBytes = maxConfigBytes;
    }

    /** The credentials this session's requests carry: the caller's, or the node's for this registry, or none. */
    public Credentials credentials() {
        return creds;
    }

    /** Whether the registry lets these credentials pull the manifest {@code digest}: one HEAD, no body. */
    public void confirmManifest(Digest digest, Cancellation cancel) {
        manifests.confirm(ref, digest, hosts, creds, cancel);
    }

    public Reference reference() {
        return ref;
    }

    public FetchedManifest resolve(Cancellation cancel) {
        return manifests.resolve(ref, hosts, creds, cancel);
    }

    public FetchedManifest manifest(Descriptor desc, Cancellation cancel) {
        return manifests.fetch(ref, desc, hosts, creds, cancel);
    }

    /**
     * The manifest another tag of this repository names (a signature's {@code sha256-<hex>.sig}), hashed as received;
     * empty when no host has that tag.
     */
    public Optional<FetchedManifest> manifestByTag(String tag, Cancellation cancel) {
        try {
            return Optional.of(manifests.resolve(new Reference(ref.domain(), ref.path(), tag, null), hosts, creds, cancel));
        } catch (OciMountException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The OCI 1.1 referrers index of {@code subject} in this repository; empty when the registry has no such API. */
    public Optional<byte[]> referrers(Digest subject, Cancellation cancel) {
        return manifests.referrers(ref, subject, hosts, creds, cancel);
    }

    /**
     * A blob of this repository read whole and verified against its descriptor, refused before any request when
     * the descriptor says it is larger than {@code maxBytes}.
     */
    public byte[] blob(Descriptor desc, long maxBytes, String what, Cancellation cancel) {
        if (desc.size() > maxBytes) {
            throw new OciMountException(ErrorKind.RESOURCE_EXHAUSTED, what + ": " + desc.size()
                    + " bytes exceeds the limit of " + maxBytes);
        }
        byte[] raw = blobs.readWhole(what, ref, desc, hosts, creds, cancel);
        BlobVerifier.check(what, desc.digest(), desc.size(), raw);
        return raw;
    }

    /**
     * A blob's bytes from {@code offset} to its end, resumed with Range when the body breaks, ends short or sends
     * nothing for {@code stallTimeout}, within one retry budget; nothing is sent before the first read. The caller
     * verifies size and digest as it reads, and closes the stream.
     */
    public InputStream openBlob(Descriptor desc, long offset, Duration stallTimeout, Cancellation cancel) {
        return new BlobStream(blobs, new BlobFetcher.Blob(ref, desc, hosts, creds), offset, stallTimeout, cancel);
    }

    /**
     * A small blob (an image config) read whole and verified against its descriptor. A body that breaks or ends
     * short is fetched again; whole bytes with the wrong digest are refused at once.
     */
    public byte[] smallBlob(Descriptor desc, Cancellation cancel) {
        return blob(desc, maxConfigBytes, "fetch config " + desc.digest() + " of " + ref, cancel);
    }
}
