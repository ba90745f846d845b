package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.ref.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Opens a blob's bytes from {@code offset} on: a Range request to resume a broken download, with the
 * registry's answer checked (a 206 must start where we asked; a 200 that ignored Range is skipped forward).
 */
final class BlobFetcher {
    private final RegistryTransport transport;
    private final SmallBodyFetcher bodies;

    BlobFetcher(RegistryTransport transport) {
        this.transport = transport;
        this.bodies = new SmallBodyFetcher(transport);
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

    InputStream open(Reference ref, Descriptor desc, long offset, List<RegistryHost> hosts, Credentials creds,
                     Cancellation cancel) {
        return HostFallback.firstAnswer(hosts, RegistryHost::canPull,
                host -> openOn(host, ref, desc, offset, creds, cancel),
                "fetch blob " + desc.digest() + " of " + ref + ": no pull host");
    }

    private InputStream openOn(RegistryHost host, Reference ref, Descriptor desc, long offset, Credentials creds,
                               Cancellation cancel) {
        String what = "fetch blob " + desc.digest() + " of " + ref.name();
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> resp = transport.send(host, call(what, host, ref, desc, headers, creds), cancel);
        int status = resp.statusCode();
        if (status == 206 && offset > 0) {
            String range = resp.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + offset + "-")) {
                RegistryTransport.close(resp);
                throw OciMountException.unavailable(what + ": asked for bytes from " + offset + ", got range \"" + range + "\"", null);
            }
            return resp.body();
        }
        if (status == 416 && offset > 0) {
            RegistryTransport.close(resp);
            throw OciMountException.dataLoss("blob " + desc.digest() + " truncated: " + host + " holds fewer than the "
                    + desc.size() + " bytes its descriptor names (resume from byte " + offset + " refused)");
        }
        if (status != 200) {
            throw RegistryErrors.of(what + " at " + host, resp);
        }
        InputStream body = resp.body();
        if (offset > 0) {
            try {
                body.skipNBytes(offset); // the registry ignored Range: skip what we already hold
            } catch (IOException e) {
                RegistryTransport.close(resp);
                throw OciMountException.unavailable(what + ": " + RegistryTransport.describe(e), e);
            }
        }
        return body;
    }

    private static RegistryTransport.Call call(String what, RegistryHost host, Reference ref, Descriptor desc,
                                               Map<String, String> headers, Credentials creds) {
        return new RegistryTransport.Call("GET", host.endpoint(ref.path(), "blobs", desc.digest().toString()), headers,
                ManifestFetcher.scope(ref), creds, what);
    }
}
