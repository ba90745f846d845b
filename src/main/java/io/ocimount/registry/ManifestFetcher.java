package io.ocimount.registry;

import io.ocimount.content.BlobVerifier;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import io.ocimount.ref.Reference;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a tag to a descriptor and fetches manifests by digest. A tag is resolved only on hosts trusted to
 * resolve (HEAD first, GET when the registry omits Docker-Content-Digest); bodies are hashed as received.
 */
public final class ManifestFetcher {
    private static final String ACCEPT = String.join(", ", MediaTypes.MANIFEST_ACCEPT);
    private final RegistryTransport transport;
    private final SmallBodyFetcher bodies;
    private final long maxBytes;

    public ManifestFetcher(RegistryTransport transport, long maxBytes) {
        this.transport = transport;
        this.bodies = new SmallBodyFetcher(transport);
        this.maxBytes = maxBytes;
    }

    /** The manifest the reference names: by digest directly, by tag through the resolve hosts. */
    FetchedManifest resolve(Reference ref, List<RegistryHost> hosts, Credentials creds, Cancellation cancel) {
        if (ref.digest() != null) {
            return fetch(ref, ref.digest(), -1, hosts, creds, cancel);
        }
        return HostFallback.firstAnswer(hosts, RegistryHost::canResolve, host -> {
            Descriptor head = head(ref, host, creds, cancel);
            return head != null ? fetch(ref, head.digest(), head.size(), hosts, creds, cancel)
                    : get(ref, ref.tag(), null, -1, host, creds, cancel);
        }, "resolve " + ref + ": no host in hosts.toml may resolve tags");
    }

    /** Fetches the manifest {@code desc} names from any pull host; the digest is the trust anchor. */
    FetchedManifest fetch(Reference ref, Descriptor desc, List<RegistryHost> hosts, Credentials creds, Cancellation cancel) {
        return fetch(ref, desc.digest(), desc.size(), hosts, creds, cancel);
    }

    /** @param size the expected size, or -1 when only the digest is known (a pull by digest) */
    private FetchedManifest fetch(Reference ref, Digest digest, long size, List<RegistryHost> hosts, Credentials creds,
                                  Cancellation cancel) {
        return HostFallback.firstAnswer(hosts, RegistryHost::canPull,
                host -> get(ref, digest.toString(), digest, size, host, creds, cancel),
                "fetch manifest " + digest + " of " + ref + ": no pull host");
    }

    /**
     * Asks whether {@code creds} may pull the manifest {@code digest} of {@code ref}: a HEAD by digest, nothing read.
     * A refusal (401, 403, 404) is thrown as the registry's error.
     */
    void confirm(Reference ref, Digest digest, List<RegistryHost> hosts, Credentials creds, Cancellation cancel) {
        String what = "check access to " + digest + " of " + ref;
        HostFallback.firstAnswer(hosts, RegistryHost::canPull, host -> {
            HttpResponse<InputStream> resp = transport.send(host, new RegistryTransport.Call("HEAD",
                    host.endpoint(ref.path(), "manifests", digest.toString()), Map.of("Accept", ACCEPT), scope(ref), creds,
                    what), cancel);
            if (resp.statusCode() != 200) {
                throw RegistryErrors.of(what + " at " + host, resp);
            }
            RegistryTransport.close(resp);
            return Boolean.TRUE;
        }, what + ": no pull host");
    }

    private Descriptor head(Reference ref, RegistryHost host, Credentials creds, Cancellation cancel) {
        String what = "resolve " + ref;
        HttpResponse<InputStream> resp = transport.send(host, new RegistryTransport.Call("HEAD",
                host.endpoint(ref.path(), "manifests", ref.tag()), Map.of("Accept", ACCEPT), scope(ref), creds, what), cancel);
        int status = resp.statusCode();
        if (status == 405 || status == 400) {
            RegistryTransport.close(resp);
            return null;
        }
        if (status != 200) {
            throw RegistryErrors.of(what + " at " + host, resp);
        }
        RegistryTransport.close(resp);
        String digest = resp.headers().firstValue("Docker-Content-Digest").orElse(null);
        long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (digest == null || length < 0) {
            return null;
        }
        if (length > maxBytes) {
            throw tooLarge(what, length);
        }
        return new Descriptor(MediaTypes.stripParameters(resp.headers().firstValue("Content-Type").orElse(null)),
                Digest.parse(digest), length);
    }

    private FetchedManifest get(Reference ref, String object, Digest expectedDigest, long expectedSize, RegistryHost host,
                                Credentials creds, Cancellation cancel) {
        String what = "fetch manifest " + (expectedDigest != null ? expectedDigest + " of " : "") + ref;
        SmallBodyFetcher.Body body = bodies.fetch(host, new RegistryTransport.Call("GET",
                host.endpoint(ref.path(), "manifests", object), Map.of("Accept", ACCEPT), scope(ref), creds, what),
                expectedSize, maxBytes, cancel);
        byte[] raw = body.bytes();
        if (raw.length > maxBytes) {
            throw tooLarge(what, raw.length);
        }
        Digest actual = BlobVerifier.check(what, expectedDigest, expectedSize, raw);
        String contentType = MediaTypes.stripParameters(body.headers().firstValue("Content-Type").orElse(null));
        String header = body.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (expectedDigest == null && header != null && Digest.isDigest(header) && !Digest.parse(header).equals(actual)) {
            throw OciMountException.dataLoss(what + ": Docker-Content-Digest " + header + " does not match the body (" + actual + ")");
        }
        return new FetchedManifest(new Descriptor(contentType == null ? "" : contentType, actual, raw.length), raw, contentType,
                host.authority());
    }

    /**
     * The OCI 1.1 referrers index of {@code subject}, or empty when no pull host has the referrers API (404, as
     * docker-registry 2.8 answers). The index is not content-addressed: its entries are checked when fetched.
     */
    Optional<byte[]> referrers(Reference ref, Digest subject, List<RegistryHost> hosts, Credentials creds,
                               Cancellation cancel) {
        String what = "list referrers of " + subject + " in " + ref.name();
        try {
            return Optional.of(HostFallback.firstAnswer(hosts, RegistryHost::canPull, host -> {
                byte[] raw = bodies.fetch(host, new RegistryTransport.Call("GET", host.endpoint(ref.path(), "referrers",
                        subject.toString()), Map.of("Accept", MediaTypes.OCI_INDEX), scope(ref), creds, what),
                        -1, maxBytes, cancel).bytes();
                if (raw.length > maxBytes) {
                    throw tooLarge(what, raw.length);
                }
                return raw;
            }, what + ": no pull host"));
        } catch (OciMountException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static String scope(Reference ref) {
        return "repository:" + ref.path() + ":pull";
    }

    private OciMountException tooLarge(String what, long size) {
        return new OciMountException(ErrorKind.RESOURCE_EXHAUSTED, what + ": manifest of " + size
                + " bytes exceeds the limit of " + maxBytes + " bytes");
    }
}
