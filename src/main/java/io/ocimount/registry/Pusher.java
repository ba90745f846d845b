package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.ref.Reference;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Pushes blobs and manifests to one repository with the distribution API: a blob the repository has is left
 * alone (HEAD), one another repository of the registry has is mounted from it (from the repositories named, or
 * wherever the registry finds it: OCI 1.1's mount without {@code from}), anything else is uploaded in one PUT.
 * It goes to the registry's own server (or a hosts.toml host with the push capability), with the same
 * authorization as pulls.
 */
public final class Pusher {
    /** What became of one blob. */
    public enum Outcome { EXISTS, MOUNTED, UPLOADED }

    private final Reference ref;
    private final RegistryHost host;
    private final Credentials creds;
    private final RegistryTransport transport;

    Pusher(Reference ref, RegistryHost host, Credentials creds, RegistryTransport transport) {
        this.ref = ref;
        this.host = host;
        this.creds = creds;
        this.transport = transport;
    }

    private String scope() {
        return "repository:" + ref.path() + ":pull,push";
    }

    /** Pushes the blob in {@code file}; {@code mountFrom} lists repositories of this registry to mount it from. */
    public Outcome pushBlob(Descriptor desc, Path file, List<String> mountFrom, Cancellation cancel) {
        String what = "push blob " + desc.digest() + " to " + ref.name();
        HttpResponse<InputStream> head = transport.send(host, new RegistryTransport.Call("HEAD",
                host.endpoint(ref.path(), "blobs", desc.digest().toString()), Map.of(), scope(), creds, what), cancel);
        RegistryTransport.close(head);
        if (head.statusCode() == 200) {
            return Outcome.EXISTS;
        }
        String mount = "mount=" + enc(desc.digest().toString());
        for (String from : mountFrom) {
            HttpResponse<InputStream> r = post(uploads(mount + "&from=" + enc(from)),
                    scope() + " repository:" + from + ":pull", what + " (mount from " + from + ")", cancel);
            if (mounted(r)) {
                return Outcome.MOUNTED;
            }
            abandon(location(r, what), what, cancel); // 202: not there; the registry opened an upload we do not use
        }
        // OCI 1.1: a mount without from lets a registry find the blob in any repository; else it opens the upload
        HttpResponse<InputStream> r = post(uploads(mount), scope(), what, cancel);
        if (mounted(r)) {
            return Outcome.MOUNTED;
        }
        URI upload = location(r, what);
        URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest=" + enc(desc.digest().toString()));
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw OciMountException.notFound(what + ": " + file + " is gone");
        }
        HttpResponse<InputStream> done = transport.send(host, new RegistryTransport.Call("PUT", put,
                Map.of("Content-Type", "application/octet-stream"), scope(), creds, what, body), cancel);
        if (done.statusCode() != 201) {
            throw RegistryErrors.of(what + " at " + host, done);
        }
        RegistryTransport.close(done);
        return Outcome.UPLOADED;
    }

    /** PUTs a manifest or index under {@code tagOrDigest}; the registry must agree on its digest. */
    public void pushManifest(Descriptor desc, byte[] bytes, String tagOrDigest, Cancellation cancel) {
        String what = "push manifest " + desc.digest() + " to " + ref.name() + ":" + tagOrDigest;
        HttpResponse<InputStream> r = transport.send(host, new RegistryTransport.Call("PUT",
                host.endpoint(ref.path(), "manifests", tagOrDigest), Map.of("Content-Type", desc.mediaType()), scope(),
                creds, what, HttpRequest.BodyPublishers.ofByteArray(bytes)), cancel);
        if (r.statusCode() != 201) {
            throw RegistryErrors.of(what + " at " + host, r);
        }
        RegistryTransport.close(r);
        String echoed = r.headers().firstValue("Docker-Content-Digest").orElse(desc.digest().toString());
        if (!echoed.equals(desc.digest().toString())) {
            throw OciMountException.dataLoss(what + ": the registry stored it as " + echoed);
        }
    }

    private URI uploads(String query) {
        URI base = host.endpoint(ref.path(), "blobs", "uploads/");
        return URI.create(base + (base.getRawQuery() == null ? "?" : "&") + query);
    }

    private HttpResponse<InputStream> post(URI uri, String scope, String what, Cancellation cancel) {
        return transport.send(host, new RegistryTransport.Call("POST", uri, Map.of(), scope, creds,
                what, HttpRequest.BodyPublishers.noBody()), cancel);
    }

    private static boolean mounted(HttpResponse<InputStream> r) {
        if (r.statusCode() != 201) {
            return false;
        }
        RegistryTransport.close(r);
        return true;
    }

    /** Cancels an upload session we will not use; registries expire them anyway, so a failure is ignored. */
    private void abandon(URI upload, String what, Cancellation cancel) {
        try {
            RegistryTransport.close(transport.send(host, new RegistryTransport.Call("DELETE", upload, Map.of(), scope(),
                    creds, what + " (cancel unused upload)"), cancel));
        } catch (OciMountException ignored) {
            // the next step opens its own upload
        }
    }

    private URI location(HttpResponse<InputStream> r, String what) {
        if (r.statusCode() != 202) {
            throw RegistryErrors.of(what + " at " + host, r);
        }
        RegistryTransport.close(r);
        String loc = r.headers().firstValue("Location").orElseThrow(() ->
                OciMountException.unavailable(what + ": " + host + " opened an upload without a Location", null));
        return URI.create(host.base().getScheme() + "://" + host.authority() + "/").resolve(loc);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
