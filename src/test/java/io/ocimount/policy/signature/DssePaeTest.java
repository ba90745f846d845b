package io.ocimount.policy.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The DSSE spec's own test vector: the PAE bytes, and its example signature verifying over them. */
class DssePaeTest {

    @Test
    void theSpecsExampleEncodesExactly() {
        byte[] pae = DssePae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.US_ASCII), pae);
    }

    @Test
    void lengthsCountBytesNotCharacters() {
        byte[] pae = DssePae.encode("t", "é".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("DSSEv1 1 t 2 é".getBytes(StandardCharsets.UTF_8), pae);
        assertArrayEquals("DSSEv1 0  0 ".getBytes(StandardCharsets.US_ASCII), DssePae.encode("", new byte[0]));
    }

    /** The spec signs its PAE with a given P-256 key (signature as raw r||s): it must verify over our bytes. */
    @Test
    void theSpecsExampleSignatureVerifiesOverOurEncoding() throws Exception {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(
                new BigInteger("46950820868899156662930047687818585632848591499744589407958293238635476079160"),
                new BigInteger("5640078356564379163099075877009565129882514886557779369047442380624545832820"));
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(point, params.getParameterSpec(ECParameterSpec.class)));
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initVerify(key);
        s.update(DssePae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)));
        assertTrue(s.verify(Base64.getDecoder().decode(
                "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==")));
    }
}
