package io.ocimount.api;

import io.grpc.stub.StreamObserver;
import io.ocimount.api.v1.LayerProgress;
import io.ocimount.api.v1.PullProgress;
import io.ocimount.image.PullObserver;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of every layer of one pull, filled in by the pull's threads and sent to the caller by a timer: only
 * when something changed, and never after the stream ended (gRPC stream observers are not thread-safe, so every
 * send holds this object's lock).
 */
final class PullProgressBoard implements PullObserver {
    private final Map<String, LayerProgress.Builder> layers = new LinkedHashMap<>();
    private final StreamObserver<PullProgress> out;
    private boolean changed;
    private boolean closed;

    PullProgressBoard(StreamObserver<PullProgress> out) {
        this.out = out;
    }

    @Override
    public synchronized void layer(String digest, long size) {
        layers.computeIfAbsent(digest, d -> LayerProgress.newBuilder().setDigest(d).setSize(size).setState("waiting"));
        changed = true;
    }

    @Override
    public synchronized void fetched(String digest, long bytes) {
        LayerProgress.Builder b = layers.get(digest);
        if (b != null && bytes != b.getFetched()) {
            b.setFetched(bytes).setState("fetching");
            changed = true;
        }
    }

    @Override
    public synchronized void done(String digest, boolean reused) {
        LayerProgress.Builder b = layers.get(digest);
        if (b != null) {
            b.setState(reused ? "reused" : "done").setFetched(reused ? b.getFetched() : b.getSize());
            changed = true;
        }
    }

    synchronized void sendIfChanged() {
        if (changed && !closed) {
            out.onNext(snapshot().build());
            changed = false;
        }
    }

    synchronized void finish(String imageRef) {
        if (!closed) {
            out.onNext(snapshot().setDone(true).setImageRef(imageRef).build());
            out.onCompleted();
            closed = true;
        }
    }

    synchronized void fail(Throwable error) {
        if (!closed) {
            out.onError(error);
            closed = true;
        }
    }

    private PullProgress.Builder snapshot() {
        PullProgress.Builder p = PullProgress.newBuilder();
        layers.values().forEach(l -> p.addLayers(l.build()));
        return p;
    }
}
