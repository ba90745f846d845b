package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Public keys from PEM text, as {@code cosign generate-key-pair} writes {@code cosign.pub}: one or more
 * {@code PUBLIC KEY} blocks (PKIX SubjectPublicKeyInfo), read with the JDK alone. Messages name the source, never
 * the text: a file given by mistake may be a private key.
 */
public final class PublicKeys {
    /** RSA keys shorter than this are refused: sigstore refuses them too, and they can be factored. */
    static final int MIN_RSA_BITS = 2048;
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final String EC = "1.2.840.10045.2.1";
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String ED25519 = "1.3.101.112";
    /** The EC curves accepted, by the OID of the named curve in the key: P-256 and P-384. */
    private static final Set<String> CURVES = Set.of("1.2.840.10045.3.1.7", "1.3.132.0.34");
    /** Names of algorithms that are refused, for a message that says what the key was. */
    private static final Map<String, String> KNOWN = Map.of("1.3.101.113", "Ed448",
            "1.2.840.113549.1.1.10", "RSASSA-PSS", "1.2.840.10040.4.1", "DSA", "1.3.101.110", "X25519",
            "1.3.101.111", "X448");
    private static final String SUPPORTED = "EC P-256 or P-384, Ed25519, or RSA of at least " + MIN_RSA_BITS + " bits";

    private PublicKeys() {
    }

    /**
     * Every {@code PUBLIC KEY} block of {@code pemText}, in order; {@code source} names where the text came from
     * in messages. Text without a public key, any private key block, any other block, and keys that are not
     * EC P-256 or P-384, Ed25519 or RSA of at least 2048 bits are refused.
     */
    public static List<TrustedKey> readPem(String pemText, String source) {
        List<TrustedKey> keys = new ArrayList<>();
        int at = pemText.indexOf(BEGIN);
        while (at >= 0) {
            int labelEnd = pemText.indexOf(DASHES, at + BEGIN.length());
            if (labelEnd < 0) {
                throw bad(source, "has a PEM BEGIN line that does not end in -----");
            }
            String label = pemText.substring(at + BEGIN.length(), labelEnd);
            if (label.contains("PRIVATE KEY")) {
                throw bad(source, "holds a private key: give the public key (cosign.pub), and keep the private key off this node");
            }
            if (!label.equals("PUBLIC KEY")) {
                throw bad(source, "holds a PEM block that is not a PUBLIC KEY (only PKIX public keys, as cosign writes them, are read)");
            }
            String endLine = END + label + DASHES;
            int bodyEnd = pemText.indexOf(endLine, labelEnd);
            if (bodyEnd < 0) {
                throw bad(source, "has a BEGIN PUBLIC KEY without its END line");
            }
            String body = pemText.substring(labelEnd + DASHES.length(), bodyEnd);
            keys.add(TrustedKey.of(publicKey(der(body, source, keys.size()), source, keys.size()), source));
            at = pemText.indexOf(BEGIN, bodyEnd + endLine.length());
        }
        if (keys.isEmpty()) {
            throw bad(source, "holds no PEM PUBLIC KEY block");
        }
        return List.copyOf(keys);
    }

    private static byte[] der(String body, String source, int index) {
        try {
            return Base64.getDecoder().decode(body.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw bad(source, "public key " + (index + 1) + " is not valid base64");
        }
    }

    private static PublicKey publicKey(byte[] der, String source, int index) {
        String which = "public key " + (index + 1);
        Spki spki;
        try {
            spki = Spki.read(der);
        } catch (IllegalArgumentException e) {
            throw bad(source, which + " is not a PKIX SubjectPublicKeyInfo (" + e.getMessage() + ")");
        }
        String factory = switch (spki.algorithm()) {
            case EC -> "EC";
            case RSA -> "RSA";
            case ED25519 -> "Ed25519";
            default -> throw bad(source, which + " is " + KNOWN.getOrDefault(spki.algorithm(), "of algorithm "
                    + spki.algorithm()) + ", which is not supported (" + SUPPORTED + ")");
        };
        if (factory.equals("EC") && (spki.parameter() == null || !CURVES.contains(spki.parameter()))) {
            throw bad(source, which + " is on an EC curve that is not supported"
                    + (spki.parameter() == null ? " (explicit curve parameters)" : " (" + spki.parameter() + ")")
                    + "; use " + SUPPORTED);
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance(factory).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw bad(source, which + " is not a valid " + factory + " public key");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw bad(source, which + " is RSA of " + rsa.getModulus().bitLength() + " bits; at least "
                    + MIN_RSA_BITS + " are needed");
        }
        return key;
    }

    private static OciMountException bad(String source, String why) {
        return OciMountException.invalid(source + ": " + why);
    }
}
