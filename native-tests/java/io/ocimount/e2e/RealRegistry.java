package io.ocimount.e2e;

import io.ocimount.oci.Digest;
import io.ocimount.testkit.ImageBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Debian's docker-registry on 127.0.0.1 with a random port and a temporary directory, optionally behind
 * htpasswd basic auth, plus a minimal pusher (monolithic blob upload, manifest PUT) for the tests' own images.
 */
final class RealRegistry implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;
    private final String auth;
    private final boolean tls;
    private final HttpClient http;

    RealRegistry(Path dir, String user, String password) throws Exception {
        this(dir, user, password, false);
    }

    /** @param tls serve https with a fresh self-signed certificate for 127.0.0.1, {@link #certificate()} */
    RealRegistry(Path dir, String user, String password, boolean tls) throws Exception {
        this.dir = dir;
        this.tls = tls;
        String tlsConfig = "";
        if (tls) {
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", certificate().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("openssl failed: " + out);
            }
            tlsConfig = ", tls: {certificate: " + certificate() + ", key: " + dir.resolve("key.pem") + "}";
        }
        this.http = tls ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(certificate())).build()
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String authConfig = "";
        if (user != null) {
            Process h = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
            String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (h.waitFor() != 0) {
                throw new IOException("htpasswd failed");
            }
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            authConfig = "auth: {htpasswd: {realm: test, path: " + dir.resolve("htpasswd") + "}}\n";
            auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else {
            auth = null;
        }
        Files.writeString(dir.resolve("config.yml"), "version: 0.1\nlog: {level: error}\n"
                + "storage: {filesystem: {rootdirectory: " + dir.resolve("data") + "}, delete: {enabled: true}}\n"
                + "http: {addr: 127.0.0.1:" + port + tlsConfig + "}\n" + authConfig);
        process = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(base() + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new IOException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    private String base() {
        return (tls ? "https://" : "http://") + host();
    }

    /** The self-signed certificate of a TLS registry (PEM). */
    Path certificate() {
        return dir.resolve("cert.pem");
    }

    private static javax.net.ssl.SSLContext trusting(Path pem) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(pem)) {
            ks.setCertificateEntry("registry", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    void push(String repo, String tag, ImageBuilder.Image image) throws Exception {
        for (Map.Entry<Digest, byte[]> b : image.blobs().entrySet()) {
            if (!b.getKey().equals(image.manifest().digest())) {
                pushBlob(repo, b.getValue());
            }
        }
        pushManifest(repo, tag, image.manifest());
    }

    void pushBlob(String repo, byte[] bytes) throws Exception {
        HttpResponse<String> start = send(HttpRequest.newBuilder(URI.create(base() + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (start.statusCode() != 202) {
            throw new IOException("start upload: " + start.statusCode() + " " + start.body());
        }
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = URI.create(base()).resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + Digest.of(bytes));
        HttpResponse<String> done = send(HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (done.statusCode() != 201) {
            throw new IOException("finish upload: " + done.statusCode() + " " + done.body());
        }
    }

    void pushManifest(String repo, String tag, ImageBuilder.Blob manifest) throws Exception {
        String ref = tag != null ? tag : manifest.digest().toString();
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/v2/" + repo + "/manifests/" + ref))
                .header("Content-Type", manifest.mediaType()).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())));
        if (r.statusCode() != 201) {
            throw new IOException("put manifest: " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * The requests the registry has answered so far, from its access log: "GET /v2/repo/blobs/sha256:…" (method and
     * path, no query).
     */
    java.util.List<String> requests() throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([A-Z]+) (/v2/[^ ?\"]*)[^\"]* HTTP/[0-9.]+\"")
                .matcher(Files.readString(dir.resolve("registry.log")));
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    /** The file the registry serves a blob from, for corrupting it behind the registry's back. */
    Path blobFile(Digest d) {
        return dir.resolve("data/docker/registry/v2/blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data");
    }

    /** Cuts a blob short on the registry's disk: every pull of it then fails halfway, after {@code keep} bytes. */
    void truncateBlob(Digest d, long keep) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(blobFile(d),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(keep);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
    }
}
