package io.ocimount.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.InternalMetadata;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {
    /** grpc-java clients refuse more metadata than this and report RESOURCE_EXHAUSTED instead of the error. */
    private static final int CLIENT_METADATA_LIMIT = 8192;

    /** The size HTTP/2 counts for the grpc-message trailer: name, percent-encoded value, 32 bytes per entry. */
    private static int trailerSize(String description) {
        Metadata m = new Metadata();
        m.put(InternalStatus.MESSAGE_KEY, description);
        int size = 0;
        for (byte[] part : InternalMetadata.serialize(m)) {
            size += part.length;
        }
        return size + 32;
    }

    private static void assertBounded(String description) {
        assertTrue(description.getBytes(StandardCharsets.UTF_8).length <= GrpcErrors.MAX_DESCRIPTION_BYTES,
                () -> description.getBytes(StandardCharsets.UTF_8).length + " bytes");
        assertTrue(trailerSize(description) < CLIENT_METADATA_LIMIT - 512, () -> trailerSize(description) + " bytes on the wire");
        assertTrue(description.chars().noneMatch(Character::isISOControl), "control characters are escaped");
        assertTrue(description.indexOf('\uFFFD') < 0, "cut on a character boundary");
    }

    @Test
    void aHugeDomainMessageIsCutWithAMarker() {
        String msg = "pull x: " + "a".repeat(1 << 20);
        String d = GrpcErrors.of("ImageStatus", OciMountException.invalid(msg)).getStatus().getDescription();
        assertBounded(d);
        assertTrue(d.startsWith("pull x: aaaa"), d);
        assertTrue(d.endsWith("… (cut from " + msg.length() + " chars)"), d.substring(d.length() - 60));
    }

    @Test
    void multiByteTextIsCutOnACharacterBoundaryAndStillFitsTheTrailer() {
        for (String unit : new String[] {"é", "日", "😀", "\0"}) {
            String d = GrpcErrors.of("ImageStatus", OciMountException.invalid(unit.repeat(100_000))).getStatus().getDescription();
            assertBounded(d);
        }
    }

    @Test
    void controlCharactersBecomeVisible() {
        String d = GrpcErrors.of("ImageStatus", OciMountException.invalid("sub path \"a\0b\nc\" contains NUL")).getStatus().getDescription();
        assertEquals("sub path \"a\\u0000b\\nc\" contains NUL", d);
    }

    @Test
    void aForeignExceptionIsInternalAndReadsOperationColonCause() {
        StatusRuntimeException e = GrpcErrors.of("ImageStatus", new IllegalArgumentException("Nul character not allowed: /a\0b"));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("ImageStatus: Nul character not allowed: /a\\u0000b", e.getStatus().getDescription());
    }

    @Test
    void aStatusPassedThroughIsBoundedToo() {
        StatusRuntimeException huge = Status.INVALID_ARGUMENT.withDescription("x".repeat(1 << 20)).asRuntimeException();
        StatusRuntimeException e = GrpcErrors.of("ImageStatus", huge);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertBounded(e.getStatus().getDescription());
    }

    @Test
    void pullFailuresStayUnknownWithTheirReasonAndBadNamesStayInvalid() {
        OciMountException unreachable = new OciMountException(ErrorKind.UNAVAILABLE, Reasons.REGISTRY_UNAVAILABLE,
                "pull r/x:1: unavailable after 5 attempts", null);
        StatusRuntimeException e = GrpcErrors.ofPull("PullImage", unreachable);
        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertEquals("RegistryUnavailable: pull r/x:1: unavailable after 5 attempts", e.getStatus().getDescription());
        OciMountException badName = new OciMountException(ErrorKind.INVALID_ARGUMENT, Reasons.INVALID_IMAGE_NAME,
                "parse reference \"X\": invalid", null);
        assertEquals(Status.Code.INVALID_ARGUMENT, GrpcErrors.ofPull("PullImage", badName).getStatus().getCode());
    }
}
