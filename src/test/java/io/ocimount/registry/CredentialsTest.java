package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** CRI AuthConfig fields as credentials: a malformed "auth" is the caller's input error, named without its value. */
class CredentialsTest {
    private static final String NOT_BASE64 = "%%%not-base64";

    private static OciMountException refused(String server, String auth) {
        return assertThrows(OciMountException.class, () -> Credentials.of(server, "", "", auth, "", ""));
    }

    @Test
    void anAuthThatIsNotBase64IsInvalidInputAndNotEchoed() {
        OciMountException e = refused("registry.example", NOT_BASE64);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("read credentials for \"registry.example\": \"auth\" is not valid base64", e.getMessage());
        assertFalse(e.getMessage().contains(NOT_BASE64));
    }

    @Test
    void withoutAServerAddressTheMessageStillReads() {
        assertEquals("read credentials: \"auth\" is not valid base64", refused("", NOT_BASE64).getMessage());
    }

    @Test
    void anAuthWithoutAColonIsRefusedWithoutShowingWhatItDecodesTo() {
        String auth = Base64.getEncoder().encodeToString("hunter2-secret".getBytes(StandardCharsets.UTF_8));
        OciMountException e = refused("registry.example", auth);
        assertEquals("read credentials for \"registry.example\": \"auth\" must encode user:password", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains(auth));
    }

    @Test
    void aHugeServerAddressIsQuotedBounded() {
        OciMountException e = refused("r".repeat(1 << 20) + "\n", NOT_BASE64);
        assertTrue(e.getMessage().length() < 400, () -> e.getMessage().length() + " chars");
        assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e::getMessage);
    }
}
