package io.ocimount.policy.signature;

import io.ocimount.policy.TestKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PEM public keys read with the JDK: the kinds cosign makes are read back exactly; anything else is refused by source. */
class PublicKeysTest {
    private static final String SOURCE = "/etc/keys/cosign.pub";

    private static TrustedKey readOne(KeyPair pair) {
        List<TrustedKey> keys = PublicKeys.readPem(TestKeys.publicPem(pair), SOURCE);
        assertEquals(1, keys.size());
        assertArrayEquals(pair.getPublic().getEncoded(), keys.get(0).key().getEncoded());
        assertEquals(SOURCE, keys.get(0).source());
        return keys.get(0);
    }

    private static String refused(String pem) {
        String m = assertThrows(OciMountException.class, () -> PublicKeys.readPem(pem, SOURCE)).getMessage();
        assertTrue(m.startsWith(SOURCE + ": "), m);
        return m;
    }

    @Test
    void ecP256AndP384RoundTrip() {
        assertEquals("EC", readOne(TestKeys.ec("secp256r1")).key().getAlgorithm());
        assertEquals("EC", readOne(TestKeys.ec("secp384r1")).key().getAlgorithm());
    }

    @Test
    void ed25519RoundTrips() {
        readOne(TestKeys.of("Ed25519", 0));
    }

    @Test
    void rsaRoundTrips() {
        assertEquals("RSA", readOne(TestKeys.of("RSA", 2048)).key().getAlgorithm());
    }

    @Test
    void fingerprintIsSha256OfTheEncodedKey() throws Exception {
        KeyPair pair = TestKeys.ec("secp256r1");
        TrustedKey key = readOne(pair);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded());
        assertEquals("SHA256:" + HexFormat.of().formatHex(sha), key.fingerprint());
    }

    @Test
    void readsEveryBlockInOrderIgnoringTextAround() {
        KeyPair a = TestKeys.ec("secp256r1");
        KeyPair b = TestKeys.of("Ed25519", 0);
        String text = "team key\n" + TestKeys.publicPem(a) + "\nrotated in 2025:\r\n"
                + TestKeys.publicPem(b).replace("\n", "\r\n");
        List<TrustedKey> keys = PublicKeys.readPem(text, SOURCE);
        assertEquals(2, keys.size());
        assertArrayEquals(a.getPublic().getEncoded(), keys.get(0).key().getEncoded());
        assertArrayEquals(b.getPublic().getEncoded(), keys.get(1).key().getEncoded());
        assertFalse(keys.get(0).fingerprint().equals(keys.get(1).fingerprint()));
    }

    @Test
    void textWithoutAKeyIsRefused() {
        assertTrue(refused("").contains("holds no PEM PUBLIC KEY block"));
        String m = refused("not a key at all, password=hunter2");
        assertTrue(m.contains("holds no PEM PUBLIC KEY block"), m);
        assertFalse(m.contains("hunter2"), m);
    }

    @Test
    void privateKeysAreRefusedWithoutQuotingThem() {
        KeyPair pair = TestKeys.ec("secp256r1");
        for (String label : List.of("PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY")) {
            String pem = TestKeys.pem(label, pair.getPrivate().getEncoded());
            String m = refused(TestKeys.publicPem(TestKeys.ec("secp256r1")) + pem);
            assertTrue(m.contains("private key"), m);
            String body = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
            assertFalse(m.contains(body.substring(0, 20)), m);
        }
    }

    @Test
    void otherBlocksAndBrokenPemAreRefused() {
        assertTrue(refused(TestKeys.pem("CERTIFICATE", new byte[] {1, 2, 3})).contains("not a PUBLIC KEY"));
        assertTrue(refused("-----BEGIN PUBLIC KEY-----\nMFkw\n").contains("without its END line"));
        assertTrue(refused("-----BEGIN PUBLIC KEY-----\n$$$$\n-----END PUBLIC KEY-----\n").contains("not valid base64"));
        assertTrue(refused(TestKeys.pem("PUBLIC KEY", "garbage bytes".getBytes()))
                .contains("public key 1 is not a PKIX SubjectPublicKeyInfo"));
    }

    @Test
    void trailingBytesAfterTheKeyAreRefused() {
        byte[] der = TestKeys.ec("secp256r1").getPublic().getEncoded();
        byte[] longer = Arrays.copyOf(der, der.length + 2);
        assertTrue(refused(TestKeys.pem("PUBLIC KEY", longer)).contains("data after the key"));
    }

    @Test
    void truncatedKeysAreRefused() {
        byte[] der = TestKeys.ec("secp256r1").getPublic().getEncoded();
        assertTrue(refused(TestKeys.pem("PUBLIC KEY", Arrays.copyOf(der, der.length - 5))).contains("truncated"));
    }

    @Test
    void unsupportedAlgorithmsAndCurvesAreNamed() {
        assertTrue(refused(TestKeys.publicPem(TestKeys.ec("secp521r1"))).contains("EC curve that is not supported (1.3.132.0.35)"));
        assertTrue(refused(TestKeys.publicPem(TestKeys.of("Ed448", 0))).contains("is Ed448, which is not supported"));
        assertTrue(refused(TestKeys.publicPem(TestKeys.of("X25519", 0))).contains("is X25519"));
        assertTrue(refused(TestKeys.publicPem(TestKeys.of("DSA", 2048))).contains("is DSA"));
    }

    @Test
    void shortRsaKeysAreRefused() {
        String m = refused(TestKeys.publicPem(TestKeys.of("RSA", 1024)));
        assertTrue(m.contains("RSA of 1024 bits; at least 2048"), m);
    }

    @Test
    void theBadKeyIsNumbered() {
        String text = TestKeys.publicPem(TestKeys.ec("secp256r1")) + TestKeys.publicPem(TestKeys.of("Ed448", 0));
        assertTrue(refused(text).contains("public key 2 is Ed448"));
    }
}
