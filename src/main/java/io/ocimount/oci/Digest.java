package io.ocimount.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.ocimount.errdefs.OciMountException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest. Only sha256 is accepted: a digest we cannot compute is content we cannot verify, and the
 * grammar is checked before a digest is ever used in a URL or a path (CVE-2024-3727).
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!"sha256".equals(algorithm)) {
            throw OciMountException.invalid("unsupported digest algorithm \"" + algorithm + "\" (only sha256 can be verified)");
        }
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw OciMountException.invalid("invalid sha256 digest \"" + hex + "\": want 64 lower-case hex characters");
        }
    }

    /** Records on disk hold digests as their text, "sha256:<hex>", and are checked as they load. */
    @JsonCreator
    public static Digest parse(String text) {
        if (text == null) {
            throw OciMountException.invalid("missing digest");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw OciMountException.invalid("invalid digest \"" + text + "\": want algorithm:hex");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isDigest(String text) {
        return text != null && text.startsWith("sha256:") && SHA256_HEX.matcher(text.substring(7)).matches();
    }

    public static Digest of(byte[] bytes) {
        MessageDigest md = newSha256();
        return fromRaw(md.digest(bytes));
    }

    public static Digest ofString(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Digest fromRaw(byte[] sha256) {
        return new Digest("sha256", HexFormat.of().formatHex(sha256));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    @JsonValue
    public String toString() {
        return algorithm + ":" + hex;
    }

    /** The first 12 hex characters, as tools print image ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }
}
