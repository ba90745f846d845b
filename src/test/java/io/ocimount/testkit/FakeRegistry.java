package io.ocimount.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ocimount.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
    /** digest → how many bytes the next GETs send before dropping the connection, and for how many GETs. */
    private final Map<String, Cut> cuts = new ConcurrentHashMap<>();
    /** digest → the failed answers served before each body of that blob. */
    private final Map<String, Flaky> flaky = new ConcurrentHashMap<>();
    /** digest → the gate its GETs wait at, answering nothing, until the test opens it. */
    private final Map<String, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();
    /** digest → GETs of it waiting at its gate now. */
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private volatile boolean ignoreRange;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failStatus;
    private volatile String bearerToken;
    private volatile Map<String, String> basicUsers;
    private volatile FakeRegistry redirectBlobsTo;
    private volatile long slowBlobMillisPer64k;
    private final java.util.concurrent.atomic.AtomicBoolean dropUploadOnce = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean misreportDigests;
    private volatile boolean hideDigestOnHead;
    private volatile boolean referrersApi = true;
    /** "repo@digest": blobs are served to any GET, but a HEAD sees only those linked to its repository. */
    private final java.util.Set<String> linked = ConcurrentHashMap.newKeySet();
    public final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Each failure {@link #failNext} injected, as it was served: "429 HEAD /v2/…". */
    public final List<String> failuresServed = new CopyOnWriteArrayList<>();
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
        gates.values().forEach(java.util.concurrent.CountDownLatch::countDown);
        server.stop(0);
    }

    public void addImage(String repo, String tag, ImageBuilder.Image image) {
        image.blobs().forEach((d, b) -> {
            blobs.put(d.toString(), b);
            linked.add(repo + "@" + d);
        });
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

    /**
     * GETs of {@code digest} wait, answering nothing, until {@link #open}: a pull held in flight for as long as a
     * test needs, however slow the machine.
     */
    public void gate(Digest digest) {
        gates.put(digest.toString(), new java.util.concurrent.CountDownLatch(1));
    }

    /** Lets the GETs waiting at the gate of {@code digest} go on, and those to come through. */
    public void open(Digest digest) {
        java.util.concurrent.CountDownLatch gate = gates.remove(digest.toString());
        if (gate != null) {
            gate.countDown();
        }
    }

    /** How many GETs of {@code digest} are waiting at its gate now. */
    public int waitingAt(Digest digest) {
        AtomicInteger n = waiting.get(digest.toString());
        return n == null ? 0 : n.get();
    }

    /** The next GET of {@code digest} sends only its first {@code bytes} bytes, then drops the connection. */
    public void truncateOnce(Digest digest, int bytes) {
        truncate(digest, bytes, 1);
    }

    /**
     * The next {@code times} GETs of {@code digest} (a blob, or a manifest by tag or digest) declare the whole
     * length, send only the first {@code bytes} bytes, then drop the connection.
     */
    public void truncate(Digest digest, int bytes, int times) {
        cuts.put(digest.toString(), new Cut(bytes, times));
    }

    /**
     * Of every {@code failures + 1} GETs of the blob {@code digest}, the first {@code failures} are answered with
     * {@code status}: a registry that fails a few times before each body it sends.
     */
    public void failBeforeEachBody(Digest digest, int status, int failures) {
        flaky.put(digest.toString(), new Flaky(status, failures, new AtomicInteger()));
    }

    /** Blob GETs are answered 200 from byte 0 whatever Range they ask for, as by a server without Range support. */
    public void ignoreRange() {
        ignoreRange = true;
    }

    /** Manifest HEADs are answered without Docker-Content-Digest, so a tag is resolved with GET. */
    public void hideDigestOnHead() {
        hideDigestOnHead = true;
    }

    /**
     * Whether {@code GET /v2/<repo>/referrers/<digest>} (OCI 1.1) is served; off, it answers 404 as a registry
     * without the API does (docker-registry 2.8), and clients fall back to the {@code sha256-<hex>} tag.
     */
    public void referrersApi(boolean on) {
        referrersApi = on;
    }

    /** How many times {@code request} ("GET /v2/…") was received, failed ones included. */
    public long count(String request) {
        return requests.stream().filter(request::equals).count();
    }

    /** Answers the next {@code count} requests (token requests aside) with {@code status} and an empty body. */
    public void failNext(int count, int status) {
        failStatus = status;
        failuresLeft.set(count);
    }

    public void requireBearer(String token) {
        bearerToken = token;
    }

    /** Every /v2/ request must carry HTTP basic credentials of one of {@code users} (name → password). */
    public void requireBasic(Map<String, String> users) {
        basicUsers = Map.copyOf(users);
    }

    /** Blob bodies trickle: 64 KiB, then a pause of {@code millis}. */
    public void slowBlobs(long millis) {
        slowBlobMillisPer64k = millis;
    }

    /** The next blob upload PUT reads part of its body, then drops the connection without an answer. */
    public void dropUploadOnce() {
        dropUploadOnce.set(true);
    }

    /** Manifest PUTs are answered with another Docker-Content-Digest than the bytes have. */
    public void misreportManifestDigests() {
        misreportDigests = true;
    }

    public boolean hasBlob(Digest d) {
        return blobs.containsKey(d.toString());
    }

    public Served manifest(String repo, String reference) {
        return manifests.get(repo + ":" + reference);
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
                failuresServed.add(failStatus + " " + ex.getRequestMethod() + " " + path);
                send(ex, failStatus, "text/plain", new byte[0]);
                return;
            }
            if (basicUsers != null && basicUsers.entrySet().stream().noneMatch(u -> ("Basic " + Base64.getEncoder()
                    .encodeToString((u.getKey() + ":" + u.getValue()).getBytes(StandardCharsets.UTF_8))).equals(auth))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
                send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
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
            int r = path.indexOf("/referrers/");
            if (path.contains("/blobs/uploads/")) {
                upload(ex, path);
            } else if (r > 0 && m < 0 && b < 0 && "GET".equals(ex.getRequestMethod())) {
                referrers(ex, path.substring(4, r), path.substring(r + 11));
            } else if (m > 0 && "PUT".equals(ex.getRequestMethod())) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String repo = path.substring(4, m);
                Served served = new Served(ex.getRequestHeaders().getFirst("Content-Type"), body);
                manifests.put(repo + ":" + path.substring(m + 11), served);
                manifests.put(repo + ":" + Digest.of(body), served);
                ex.getResponseHeaders().add("Docker-Content-Digest", misreportDigests
                        ? Digest.of(new byte[] {1}).toString() : Digest.of(body).toString());
                send(ex, 201, "text/plain", new byte[0]);
            } else if (b > 0 && "HEAD".equals(ex.getRequestMethod())) {
                send(ex, linked.contains(path.substring(4, b) + "@" + path.substring(b + 7)) ? 200 : 404,
                        "application/octet-stream", new byte[0]);
            } else if (m > 0) {
                Served s = manifests.get(path.substring(4, m) + ":" + path.substring(m + 11));
                if (s == null) {
                    send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String digest = Digest.of(s.bytes()).toString();
                if (!(hideDigestOnHead && "HEAD".equals(ex.getRequestMethod()))) {
                    ex.getResponseHeaders().add("Docker-Content-Digest", digest);
                }
                Integer cut = "GET".equals(ex.getRequestMethod()) ? takeCut(digest) : null;
                if (cut != null) {
                    ex.getResponseHeaders().add("Content-Type", s.contentType());
                    ex.sendResponseHeaders(200, s.bytes().length);
                    ex.getResponseBody().write(s.bytes(), 0, Math.min(cut, s.bytes().length));
                    ex.getResponseBody().flush();
                    throw new IOException("truncated on purpose");
                }
                send(ex, 200, s.contentType(), s.bytes());
            } else if (b > 0) {
                serveBlob(ex, path.substring(b + 7));
            } else {
                send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** The distribution API's blob upload: POST (or a mount), then one PUT with the digest. */
    private void upload(HttpExchange ex, String path) throws IOException {
        String repo = path.substring(4, path.indexOf("/blobs/uploads/"));
        Map<String, String> q = new java.util.HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        for (String kv : raw == null ? new String[0] : raw.split("&")) {
            int eq = kv.indexOf('=');
            q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        if ("POST".equals(ex.getRequestMethod())) {
            if (q.containsKey("from") && linked.contains(q.get("from") + "@" + q.get("mount"))) {
                requests.add("MOUNTED " + q.get("mount") + " from " + q.get("from"));
                linked.add(repo + "@" + q.get("mount"));
                send(ex, 201, "text/plain", new byte[0]);
                return;
            }
            ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + java.util.UUID.randomUUID() + "?_state=x");
            send(ex, 202, "text/plain", new byte[0]);
            return;
        }
        if ("DELETE".equals(ex.getRequestMethod())) {
            requests.add("CANCELLED " + path);
            send(ex, 204, "text/plain", new byte[0]);
            return;
        }
        if (dropUploadOnce.getAndSet(false)) {
            ex.getRequestBody().readNBytes(1000);
            throw new IOException("upload dropped on purpose");
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!Digest.of(body).toString().equals(q.get("digest")) || !"x".equals(q.get("_state"))) {
            send(ex, 400, "application/json", "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        blobs.put(q.get("digest"), body);
        linked.add(repo + "@" + q.get("digest"));
        send(ex, 201, "text/plain", new byte[0]);
    }

    /**
     * The referrers API: an image index of the manifests stored in {@code repo} whose {@code subject} is
     * {@code digest}, each with its artifactType (else its config's media type) and annotations, optionally
     * filtered by {@code ?artifactType=}.
     */
    private void referrers(HttpExchange ex, String repo, String digest) throws IOException {
        if (!referrersApi) {
            send(ex, 404, "text/plain", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        String filter = query != null && query.startsWith("artifactType=")
                ? java.net.URLDecoder.decode(query.substring(13), StandardCharsets.UTF_8) : null;
        List<String> entries = new java.util.ArrayList<>();
        for (Map.Entry<String, Served> e : new java.util.TreeMap<>(manifests).entrySet()) {
            byte[] bytes = e.getValue().bytes();
            if (!e.getKey().equals(repo + ":" + Digest.of(bytes))) {
                continue; // the same manifest under a tag
            }
            tools.jackson.databind.JsonNode node;
            try {
                node = io.ocimount.oci.Json.parse(bytes, "manifest");
            } catch (RuntimeException notJson) {
                continue;
            }
            tools.jackson.databind.JsonNode subject = node.path("subject");
            if (!digest.equals(subject.path("digest").asString(null))) {
                continue;
            }
            String artifactType = node.path("artifactType").asString(node.path("config").path("mediaType").asString(null));
            if (filter != null && !filter.equals(artifactType)) {
                continue;
            }
            entries.add("{\"mediaType\":\"" + node.path("mediaType").asString(e.getValue().contentType()) + "\",\"digest\":\""
                    + Digest.of(bytes) + "\",\"size\":" + bytes.length
                    + (artifactType == null ? "" : ",\"artifactType\":\"" + artifactType + "\"")
                    + (node.has("annotations") ? ",\"annotations\":" + node.get("annotations") : "") + "}");
        }
        if (filter != null) {
            ex.getResponseHeaders().add("OCI-Filters-Applied", "artifactType");
        }
        send(ex, 200, "application/vnd.oci.image.index.v1+json", ("{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" + String.join(",", entries) + "]}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void serveBlob(HttpExchange ex, String digest) throws IOException {
        java.util.concurrent.CountDownLatch gate = gates.get(digest);
        if (gate != null && "GET".equals(ex.getRequestMethod())) {
            AtomicInteger n = waiting.computeIfAbsent(digest, d -> new AtomicInteger());
            n.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate");
            } finally {
                n.decrementAndGet();
            }
        }
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
        Flaky f = flaky.get(digest);
        if (f != null && f.served().getAndIncrement() % (f.failures() + 1) < f.failures()) {
            send(ex, f.status(), "text/plain", new byte[0]);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            requests.add("RANGE " + digest + " " + range);
        }
        if (ignoreRange) {
            range = null;
        }
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
        }
        Integer cut = takeCut(digest);
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

    private record Cut(int bytes, int times) {
    }

    private record Flaky(int status, int failures, AtomicInteger served) {
    }

    /** The bytes to send before dropping this GET of {@code digest}, or null to send it whole. */
    private Integer takeCut(String digest) {
        Cut[] taken = new Cut[1];
        cuts.computeIfPresent(digest, (d, c) -> {
            taken[0] = c;
            return c.times() > 1 ? new Cut(c.bytes(), c.times() - 1) : null;
        });
        return taken[0] == null ? null : taken[0].bytes();
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
