package io.ocimount.registry;

import io.ocimount.errdefs.OciMountException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One JDK HttpClient per TLS setting (default trust, extra CAs, or skip_verify from hosts.toml). Redirects are
 * never followed by the client: {@link RegistryTransport} follows them itself so Authorization never crosses hosts.
 * HTTP/1.1 only, as containerd's registry transport: JDK 17 never closes an idle HTTP/2 connection (its keep-alive
 * timeout covers the HTTP/1.1 pool alone), and an h2c Upgrade header would confuse plain-HTTP registries.
 */
public final class HttpClients {
    /** The JDK client's idle timeout of pooled HTTP/1.1 connections, in seconds (its default: 1200). */
    static final String KEEP_ALIVE_PROPERTY = "jdk.httpclient.keepalive.timeout";
    private static final Logger LOG = Logger.getLogger(HttpClients.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public HttpClients(Duration idleConnectionTimeout) {
        closeIdleConnectionsAfter(idleConnectionTimeout);
    }

    /**
     * The JDK reads its property once per process, when the first client builds its connection pool: so it is set
     * here, before any client exists. A value already set (the operator's -D, or an earlier client) is kept.
     */
    private static synchronized void closeIdleConnectionsAfter(Duration idle) {
        String given = System.getProperty(KEEP_ALIVE_PROPERTY);
        String wanted = String.valueOf(Math.max(1, idle.toSeconds()));
        if (given == null) {
            System.setProperty(KEEP_ALIVE_PROPERTY, wanted);
        } else if (!given.equals(wanted)) {
            LOG.info(() -> "registry connections: -D" + KEEP_ALIVE_PROPERTY + "=" + given + " is already set and wins over"
                    + " an idle timeout of " + wanted + " s");
        }
    }

    /**
     * Ends the selector thread of every JDK HttpClient in this process, for a process about to exit: the JVM's exit
     * waits up to 300 ms for threads blocked in native code (VM_Exit::wait_for_threads_in_native_to_block), and a
     * client's selector thread sits in epoll_wait until its client is collected. JDK 17's HttpClient has no
     * close() (shutdown() came in JDK 21); an interrupt ends the selector's loop. `pack --push` exited 0.3 s sooner.
     */
    public static void endSelectorThreadsBeforeExit() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
                t.interrupt();
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public HttpClient forHost(RegistryHost host) {
        String key = host.skipVerify() + "|" + host.caFiles();
        return clients.computeIfAbsent(key, k -> build(host));
    }

    private static HttpClient build(RegistryHost host) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT);
        try {
            if (host.skipVerify()) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                b.sslContext(ctx);
            } else if (!host.caFiles().isEmpty()) {
                b.sslContext(withExtraCas(host.caFiles()));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw OciMountException.invalid("TLS setup for " + host + ": " + e.getMessage());
        }
        return b.build();
    }

    /** The JDK's default trust anchors plus the CA files hosts.toml names. */
    private static SSLContext withExtraCas(List<Path> caFiles) throws GeneralSecurityException, IOException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (TrustManager tm : defaults.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    store.setCertificateEntry("default-" + i++, c);
                }
            }
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (Path ca : caFiles) {
            try (InputStream in = Files.newInputStream(ca)) {
                for (Certificate c : cf.generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** skip_verify: an extended trust manager, so the JDK also skips the host name check it would otherwise add. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
