package io.ocimount.api;

import io.grpc.stub.StreamObserver;
import io.ocimount.api.v1.AuditGrpc;
import io.ocimount.api.v1.AuditListRequest;
import io.ocimount.api.v1.AuditListResponse;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.errdefs.Quote;
import io.ocimount.image.ImageService;
import io.ocimount.oci.Json;
import io.ocimount.policy.audit.AuditRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** ocimount.v1.Audit: the audit records, read from the daemon's audit files. */
public final class GrpcAudit extends AuditGrpc.AuditImplBase {
    /** Records per message: far below gRPC's message limit even at the longest record (a few KiB). */
    private static final int BATCH = 256;
    private final ImageService images;

    public GrpcAudit(ImageService images) {
        this.images = images;
    }

    @Override
    public void list(AuditListRequest req, StreamObserver<AuditListResponse> out) {
        Instant since;
        try {
            since = req.getSince().isEmpty() ? null : OffsetDateTime.parse(req.getSince()).toInstant();
        } catch (DateTimeParseException e) {
            out.onError(GrpcErrors.invalid("since " + Quote.of(req.getSince()) + " is not an RFC 3339 time"));
            return;
        }
        try {
            AuditListResponse.Builder b = AuditListResponse.newBuilder();
            for (AuditRecord r : images.auditRecords(since, req.getImage())) {
                b.addRecords(Json.MAPPER.writeValueAsString(r));
                if (b.getRecordsCount() == BATCH) {
                    out.onNext(b.build());
                    b.clear();
                }
            }
            if (b.getRecordsCount() > 0) {
                out.onNext(b.build());
            }
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("AuditList", e));
        }
    }
}
