package io.ocimount.api;

import io.grpc.stub.StreamObserver;
import io.ocimount.policy.audit.Requester;
import io.ocimount.api.v1.ImagesGrpc;
import io.ocimount.api.v1.PullProgress;
import io.ocimount.api.v1.PullRequest;
import io.ocimount.cri.CriImageService;
import io.ocimount.cri.GrpcCancellation;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.errdefs.Quote;
import io.ocimount.image.ImageRecord;
import io.ocimount.image.ImageService;
import io.ocimount.registry.Credentials;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** ocimount.v1.Images: PullImage's work with a stream of per-layer progress, for the CLI. */
public final class GrpcImages extends ImagesGrpc.ImagesImplBase {
    private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ocimount-progress");
        t.setDaemon(true);
        return t;
    });
    private final ImageService images;

    public GrpcImages(ImageService images) {
        this.images = images;
    }

    @Override
    public void pull(PullRequest req, StreamObserver<PullProgress> out) {
        PullProgressBoard board = new PullProgressBoard(out);
        ScheduledFuture<?> tick = TICKS.scheduleAtFixedRate(board::sendIfChanged, 250, 250, TimeUnit.MILLISECONDS);
        try {
            Credentials creds = CriImageService.credentials(req.getAuth());
            ImageRecord r = images.pull(req.getImage(), Requester.CLI, creds, GrpcCancellation.current("pull " + Quote.of(req.getImage())),
                    board);
            tick.cancel(false);
            board.finish(r.id().toString());
        } catch (RuntimeException e) {
            tick.cancel(false);
            board.fail(GrpcErrors.ofPull("Pull", e));
        }
    }
}
