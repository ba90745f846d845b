package io.ocimount.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.function.DoubleSupplier;

/**
 * The Prometheus side: metrics named {@code ocimount_*} (the image-volume counters mirror kubelet's
 * {@code kubelet_image_volume_*}), JVM metrics, and {@code /metrics} served on a loopback address.
 */
public final class PrometheusMeters implements Meters, AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter volumeRequested = Counter.builder().name("ocimount_image_volume_requested_total")
            .help("Image volume mounts requested").register(registry);
    private final Counter volumeSucceeded = Counter.builder().name("ocimount_image_volume_mounted_succeed_total")
            .help("Image volumes mounted").register(registry);
    private final Counter volumeErrors = Counter.builder().name("ocimount_image_volume_mounted_errors_total")
            .help("Image volume mounts that failed with ImageVolumeMountFailed").register(registry);
    private final Counter pulls = Counter.builder().name("ocimount_image_pulls_total")
            .help("Image pulls by result").labelNames("result").register(registry);
    private final Histogram pullSeconds = Histogram.builder().name("ocimount_image_pull_duration_seconds")
            .help("Time of a pull, fetch and unpack included").classicUpperBounds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
            .register(registry);
    private final Counter bytes = Counter.builder().name("ocimount_registry_bytes_fetched_total")
            .help("Bytes of blobs fetched from registries").register(registry);
    private final Counter reused = Counter.builder().name("ocimount_layers_reused_total")
            .help("Layers a pull found already unpacked").register(registry);
    private final Histogram unpackSeconds = Histogram.builder().name("ocimount_layer_unpack_duration_seconds")
            .help("Time to fetch and unpack one layer").classicUpperBounds(0.05, 0.25, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    private final Counter gcRemoved = Counter.builder().name("ocimount_gc_removed_total")
            .help("Images removed by image garbage collection, by reason (space or age)").labelNames("reason")
            .register(registry);
    private final Counter gcFreed = Counter.builder().name("ocimount_gc_freed_bytes_total")
            .help("Bytes the store's file system got back from image garbage collection").register(registry);
    private final Counter tagMoved = Counter.builder().name("ocimount_image_tag_moved_total")
            .help("Pulls whose tag resolved to another digest than at its last pull").register(registry);
    private final Counter policyDenied = Counter.builder().name("ocimount_policy_denied_total")
            .help("Pulls and mounts the trust policy refused, by reason").labelNames("reason").register(registry);
    private HTTPServer server;

    /** Gauges read at scrape time: bytes under the store root, and mounted volumes. */
    public void gauges(DoubleSupplier storeBytes, DoubleSupplier activeVolumes) {
        GaugeWithCallback.builder().name("ocimount_store_bytes").help("Bytes used under the store root")
                .callback(cb -> cb.call(storeBytes.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("ocimount_image_volumes_active").help("Image volumes mounted now")
                .callback(cb -> cb.call(activeVolumes.getAsDouble())).register(registry);
    }

    /** Serves /metrics on host:port (a loopback address; the config refuses others). */
    public void serve(String host, int port) throws IOException {
        JvmMetrics.builder().register(registry);
        server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void pull(String result, double seconds) {
        pulls.labelValues(result).inc();
        pullSeconds.observe(seconds);
    }

    @Override
    public void bytesFetched(long n) {
        bytes.inc(n);
    }

    @Override
    public void layerReused() {
        reused.inc();
    }

    @Override
    public void layerUnpacked(double seconds) {
        unpackSeconds.observe(seconds);
    }

    @Override
    public void volumeRequested() {
        volumeRequested.inc();
    }

    @Override
    public void volumeMounted() {
        volumeSucceeded.inc();
    }

    @Override
    public void volumeMountFailed() {
        volumeErrors.inc();
    }

    @Override
    public void imageCollected(String reason, long freedBytes) {
        gcRemoved.labelValues(reason).inc();
        gcFreed.inc(freedBytes);
    }

    @Override
    public void tagMoved() {
        tagMoved.inc();
    }

    @Override
    public void policyDenied(String reason) {
        policyDenied.labelValues(reason).inc();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
