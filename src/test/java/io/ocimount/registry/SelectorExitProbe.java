package io.ocimount.registry;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Run in its own JVM by {@link HttpClientsTest}: prints the live selector threads before and after. */
public final class SelectorExitProbe {
    private SelectorExitProbe() {
    }

    static long selectors() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().endsWith("-SelectorManager") && t.isAlive()).count();
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        long before = selectors();
        HttpClients.endSelectorThreadsBeforeExit();
        System.out.println(status + " " + before + " " + selectors());
        server.stop(0);
    }
}
