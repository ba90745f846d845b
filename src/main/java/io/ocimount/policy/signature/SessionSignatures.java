package io.ocimount.policy.signature;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.registry.FetchedManifest;
import io.ocimount.registry.RegistrySession;
import java.util.Optional;

/** Signatures read through the pull's own registry session: the same hosts (mirrors first) and credentials. */
public final class SessionSignatures implements SignatureSource {
    private final RegistrySession session;

    public SessionSignatures(RegistrySession session) {
        this.session = session;
    }

    @Override
    public Optional<FetchedManifest> manifestByTag(String tag, Cancellation cancel) {
        return session.manifestByTag(tag, cancel);
    }

    @Override
    public FetchedManifest manifest(Descriptor desc, Cancellation cancel) {
        return session.manifest(desc, cancel);
    }

    @Override
    public Optional<byte[]> referrers(Digest subject, Cancellation cancel) {
        return session.referrers(subject, cancel);
    }

    @Override
    public byte[] blob(Descriptor desc, long maxBytes, Cancellation cancel) {
        return session.blob(desc, maxBytes, "fetch signature blob " + desc.digest() + " of " + session.reference().name(),
                cancel);
    }
}
