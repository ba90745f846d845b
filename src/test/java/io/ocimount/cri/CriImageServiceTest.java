package io.ocimount.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import runtime.v1.AuthConfig;

/** The adapter's own input handling, without a daemon. */
class CriImageServiceTest {
    @Test
    void anAuthThatIsNotBase64IsAnInvalidArgumentNotAPullFailure() {
        // thrown as a status, so every adapter's pull path (mapped to UNKNOWN for kubelet) passes it through as is
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> CriImageService.credentials(AuthConfig.newBuilder().setAuth("%%%not-base64").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, GrpcErrors.ofPull("PullImage", e).getStatus().getCode());
        assertFalse(e.getStatus().getDescription().contains("%%%"));
    }
}
