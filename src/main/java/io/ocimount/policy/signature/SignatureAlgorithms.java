package io.ocimount.policy.signature;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Which JDK signature scheme a cosign key signs with, and checking one signature. cosign hashes with SHA-256 for
 * every ECDSA and RSA key (RSA as PKCS#1 v1.5) and signs the message itself with Ed25519; ECDSA signatures are
 * ASN.1 DER, which {@code SHA256withECDSA} takes as it is. Nothing else is accepted: a scheme cosign does not
 * produce is one an attacker could choose.
 */
final class SignatureAlgorithms {
    private SignatureAlgorithms() {
    }

    /** Whether {@code signature} is {@code key}'s over exactly {@code data}; a malformed signature is simply false. */
    static boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        String scheme = scheme(key);
        if (scheme == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(scheme);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a signature that does not even decode verifies nothing
        }
    }

    /** The JDK algorithm name for {@code key}, or null for a key type cosign does not sign with. */
    static String scheme(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return "SHA256withECDSA";
        }
        if (key instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        if (key instanceof EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())) {
            return "Ed25519";
        }
        return null;
    }

    /** The key's type as messages name it: "ecdsa-p256", "rsa-2048", "ed25519", or "unsupported EdDSA". */
    static String describe(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            return "ecdsa-p" + ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof RSAPublicKey rsa) {
            return "rsa-" + rsa.getModulus().bitLength();
        }
        if (key instanceof EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())) {
            return "ed25519";
        }
        return "unsupported " + key.getAlgorithm();
    }
}
