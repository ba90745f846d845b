package io.ocimount.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ocimount.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process distribution-API registry for unit tests, with faults to inject: wrong bytes, truncated bodies,
 * 429/5xx bursts, a bearer challenge, and blob redirects to another address. Unit tests only; the end-to-end
 * tests use the real docker-registry.
 */
public final class FakeRegistry implements AutoCloseable {
    public record Served(String contentType, byte[] bytes) {
    }

    private final HttpServer server;
    private final Map<String, Served> manifests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> corrupted = new ConcurrentHashMap<>();
    private final Map<String, Integer> stallOnce = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> truncateOnce = new ConcurrentHashMap<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failStatus;
    private volatile String bearerToken;
    private volatile FakeRegistry redirectBlobsTo;
    private volatile long slowBlobMillisPer64k;
    public final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger tokenRequests = new AtomicInteger();
    /** Every token request as "METHOD query-or-form-body Authorization-header". */
    public final List<String> tokenCalls = new CopyOnWriteArrayList<>();

    public FakeRegistry(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-registry");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String host() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public void close() {
        server.stop(0);
    }

    public void addImage(String repo, String tag, ImageBuilder.Image image) {
        image.blobs().forEach((d, b) -> blobs.put(d.toString(), b));
        addManifest(repo, tag, image.manifest());
    }

    public void addManifest(String repo, String tag, ImageBuilder.Blob manifest) {
        Served s = new Served(manifest.mediaType(), manifest.bytes());
        manifests.put(repo + ":" + manifest.digest(), s);
        if (tag != null) {
            manifests.put(repo + ":" + tag, s);
        }
    }

    public void addBlob(byte[] bytes) {
        blobs.put(Digest.of(bytes).toString(), bytes);
    }

    /** Serves other bytes under {@code digest}. */
    public void corrupt(Digest digest, byte[] wrong) {
        corrupted.put(digest.toString(), wrong);
    }

    /** The next GET of {@code digest} sends its first {@code bytes} bytes, then nothing more, keeping the connection open. */
    public void stallOnce(Digest digest, int bytes) {
        stallOnce.put(digest.toString(), bytes);
    }

    /** The next GET of {@code digest} sends only its first {@code bytes} bytes, then drops the connection. */
    public void truncateOnce(Digest digest, int bytes) {
        truncateOnce.put(digest.toString(), bytes);
    }

    public void failNext(int count, int status) {
        failStatus = status;
        failuresLeft.set(count);
    }

    public void requireBearer(String token) {
        bearerToken = token;
    }

    /** Blob bodies trickle: 64 KiB, then a pause of {@code millis}. */
    public void slowBlobs(long millis) {
        slowBlobMillisPer64k = millis;
    }

    public void redirectBlobsTo(FakeRegistry other) {
        redirectBlobsTo = other;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            requests.add(ex.getRequestMethod() + " " + path);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizationsSeen.add(auth == null ? "" : auth);
            if (path.equals("/token")) {
                tokenRequests.incrementAndGet();
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                tokenCalls.add(ex.getRequestMethod() + " " + (form.isEmpty() ? ex.getRequestURI().getRawQuery() : form)
                        + " " + (auth == null ? "" : auth));
                send(ex, 200, "application/json", ("{\"token\":\"" + bearerToken + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                send(ex, failStatus, "text/plain", new byte[0]);
                return;
            }
            if (bearerToken != null && !("Bearer " + bearerToken).equals(auth)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
                        + "/token\",service=\"fake\",scope=\"repository:test/img:pull\"");
                send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            int m = path.indexOf("/manifests/");
            int b = path.indexOf("/blobs/");
            if (m > 0) {
                Served s = manifests.get(path.substring(4, m) + ":" + path.substring(m + 11));
                if (s == null) {
                    send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                ex.getResponseHeaders().add("Docker-Content-Digest", Digest.of(s.bytes()).toString());
                send(ex, 200, s.contentType(), s.bytes());
            } else if (b > 0) {
                serveBlob(ex, path.substring(b + 7));
            } else {
                send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void serveBlob(HttpExchange ex, String digest) throws IOException {
        FakeRegistry target = redirectBlobsTo;
        if (target != null) {
            ex.getResponseHeaders().add("Location", "http://" + target.host() + ex.getRequestURI().getPath());
            send(ex, 307, "text/plain", new byte[0]);
            return;
        }
        byte[] data = corrupted.getOrDefault(digest, blobs.get(digest));
        if (data == null) {
            send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            requests.add("RANGE " + digest + " " + range);
        }
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
        }
        Integer cut = truncateOnce.remove(digest);
        Integer stall = stallOnce.remove(digest);
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(range != null ? 206 : 200, data.length - from);
        OutputStream out = ex.getResponseBody();
        int end = from + (cut != null ? Math.min(cut, data.length - from) : data.length - from);
        if (stall != null) {
            out.write(data, from, Math.min(stall, data.length - from));
            out.flush();
            try {
                Thread.sleep(20_000); // a registry (or proxy) that stops sending but never closes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stalled on purpose");
        }
        for (int pos = from; pos < end; pos += 65536) {
            out.write(data, pos, Math.min(65536, end - pos));
            out.flush();
            if (slowBlobMillisPer64k > 0) {
                try {
                    Thread.sleep(slowBlobMillisPer64k);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
        if (cut != null) {
            throw new IOException("truncated on purpose");
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }
}
