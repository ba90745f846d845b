package io.ocimount.policy.signature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE's pre-authentication encoding, the bytes a DSSE signature is over:
 * {@code "DSSEv1" SP len(type) SP type SP len(body) SP body}, lengths as ASCII decimal byte counts. Signing the
 * type with the body is what stops a signature over one kind of payload being replayed as another.
 */
final class DssePae {
    private DssePae() {
    }

    static byte[] encode(String payloadType, byte[] body) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + body.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
