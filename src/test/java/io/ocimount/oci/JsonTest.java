package io.ocimount.oci;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A document that does not parse is refused by where, never by quoting it: config.json and secrets hold credentials. */
class JsonTest {
    @Test
    void aParseErrorSaysWhereAndQuotesNothing() {
        String secret = "dXNlcjpTM2NyZXQ"; // base64 of user:S3cret, as a config.json "auth" holds it
        OciMountException e = assertThrows(OciMountException.class, () -> Json.parse(
                ("{\"auths\": {\"r\": {\"auth\": " + secret + "}}}").getBytes(StandardCharsets.UTF_8), "docker config"));
        assertTrue(e.getMessage().startsWith("parse docker config: not valid JSON at line 1, column "), e.getMessage());
        assertTrue(!e.getMessage().contains(secret), e.getMessage());
    }
}
