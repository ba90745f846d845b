package io.ocimount.api;

import io.grpc.stub.StreamObserver;
import io.ocimount.api.v1.PolicyCheckRequest;
import io.ocimount.api.v1.PolicyCheckResponse;
import io.ocimount.api.v1.PolicyGrpc;
import io.ocimount.cri.CriImageService;
import io.ocimount.cri.GrpcCancellation;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.errdefs.Quote;
import io.ocimount.image.ImageService;
import io.ocimount.image.PolicyCheck;
import io.ocimount.policy.Trust;
import io.ocimount.policy.VerifiedSignature;

/** ocimount.v1.Policy: the trust policy's decision for a reference, pulling nothing. */
public final class GrpcPolicy extends PolicyGrpc.PolicyImplBase {
    private final ImageService images;

    public GrpcPolicy(ImageService images) {
        this.images = images;
    }

    @Override
    public void check(PolicyCheckRequest req, StreamObserver<PolicyCheckResponse> out) {
        try {
            PolicyCheck c = images.checkPolicy(req.getImage(), CriImageService.credentials(req.getAuth()),
                    GrpcCancellation.current("policy check " + Quote.of(req.getImage())));
            Trust t = c.decision().trust();
            PolicyCheckResponse.Builder b = PolicyCheckResponse.newBuilder().setAllowed(c.decision().allowed())
                    .setResolvedDigest(c.resolved().toString()).setScope(orEmpty(t.scope()))
                    .setRuleScope(orEmpty(t.ruleScope())).setRegistryHost(orEmpty(t.host()))
                    .setSignatureFormat(orEmpty(t.signatureField(VerifiedSignature::format)))
                    .setSignatureKey(orEmpty(t.signatureField(VerifiedSignature::keyFingerprint)))
                    .setSignedDigest(orEmpty(t.signatureField(s -> s.signedDigest().toString())))
                    .setRefusal(orEmpty(c.decision().refusal())).setReason(orEmpty(c.decision().reason()));
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("PolicyCheck", e));
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
