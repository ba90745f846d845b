package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.ref.Reference;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * The blob endpoint: small blobs read whole, and a blob's bytes from an offset on one host. A request from an
 * offset asks for a Range, and the registry's answer is checked: a 206 must start where we asked, a 200 that
 * ignored Range is read past what we hold (by {@link BlobStream}), a 416 means the registry holds less than the
 * descriptor names.
 */
public final class BlobFetcher {
    private final RegistryTransport transport;
    private final SmallBodyFetcher bodies;

    public BlobFetcher(RegistryTransport transport) {
        this.transport = transport;
        this.bodies = new SmallBodyFetcher(transport);
    }

    /** A blob of an image, and the hosts and credentials to fetch it with. */
    record Blob(Reference ref, Descriptor desc, List<RegistryHost> hosts, Credentials creds) {
        String what() {
            return "fetch blob " + desc.digest() + " of " + ref;
        }
    }

    /** A body answering a request from an offset; {@code alreadyHeld} bytes before it come first when Range was ignored. */
    record Opened(InputStream body, long alreadyHeld) {
    }

    /**
     * A small blob (an image config) read whole, asked again when its body breaks or ends short; {@code what}
     * names it in errors. The caller checks its digest.
     */
    byte[] readWhole(String what, Reference ref, Descriptor desc, List<RegistryHost> hosts, Credentials creds,
                     Cancellation cancel) {
        return HostFallback.firstAnswer(hosts, RegistryHost::canPull,
                host -> bodies.fetch(host, call(what, host, ref, desc, Map.of(), creds), desc.size(), desc.size(), cancel)
                        .bytes(),
                what + ": no pull host");
    }

    /** The requests one blob may send to one host. */
    RetryBudget budget() {
        return transport.budget();
    }

    /** One request (retried on 408/429/5xx and connection failures) for the blob's bytes from {@code offset}. */
    Opened open(RegistryHost host, Blob blob, long offset, RetryBudget budget, Cancellation cancel) {
        String what = blob.what();
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> resp = transport.send(host, call(what, host, blob.ref(), blob.desc(), headers,
                blob.creds()), budget, cancel);
        int status = resp.statusCode();
        if (status == 206 && offset > 0) {
            String range = resp.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + offset + "-")) {
                RegistryTransport.close(resp);
                throw OciMountException.unavailable(what + ": asked for bytes from " + offset + ", got range \"" + range + "\"", null);
            }
            return new Opened(resp.body(), 0);
        }
        if (status == 416 && offset > 0) {
            RegistryTransport.close(resp);
            throw OciMountException.dataLoss("blob " + blob.desc().digest() + " truncated: " + host + " holds fewer than the "
                    + blob.desc().size() + " bytes its descriptor names (resume from byte " + offset + " refused)");
        }
        if (status != 200) {
            throw RegistryErrors.of(what + " at " + host, resp);
        }
        return new Opened(resp.body(), offset); // from byte 0: a registry that ignored Range sends what we hold again
    }

    private static RegistryTransport.Call call(String what, RegistryHost host, Reference ref, Descriptor desc,
                                               Map<String, String> headers, Credentials creds) {
        return new RegistryTransport.Call("GET", host.endpoint(ref.path(), "blobs", desc.digest().toString()), headers,
                ManifestFetcher.scope(ref), creds, what);
    }
}
