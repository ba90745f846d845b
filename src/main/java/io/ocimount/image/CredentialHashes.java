package io.ocimount.image;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.registry.Credentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an image record keeps of the credentials that pulled it: a keyed hash (HMAC-SHA256 under a random key of
 * this store, {@code meta/credential-key}, root-only), never the secret, and not a plain hash that a guess of a
 * weak password could be checked against. Anonymous pulls are {@value #ANONYMOUS}.
 */
public final class CredentialHashes {
    public static final String ANONYMOUS = "anonymous";
    private final byte[] key;

    public CredentialHashes(Path root) {
        this.key = loadOrCreateKey(root.resolve("meta/credential-key"));
    }

    public String of(Credentials c) {
        if (c == null || c.isEmpty()) {
            return ANONYMOUS;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal((c.username() + "\0" + c.password() + "\0" + c.identityToken() + "\0"
                    + c.registryToken()).getBytes(StandardCharsets.UTF_8));
            return "hmac-sha256:" + HexFormat.of().formatHex(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static byte[] loadOrCreateKey(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(file.getParent(), ".credential-key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(fresh));
                    ch.force(true); // a crash must not leave an empty key behind the link
                }
                try {
                    Files.createLink(file, tmp); // first writer wins; a racing start reads the winner's key
                } catch (FileAlreadyExistsException raced) {
                    // fine: read the one that is there
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            // whoever reads the key can test password guesses against the records' hashes: root only, whatever it was
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            byte[] key = Files.readAllBytes(file);
            if (key.length < 32) {
                throw new OciMountException(ErrorKind.INTERNAL, file + ": a credential key must be 32 bytes, found "
                        + key.length);
            }
            return key;
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "credential key " + file + ": " + e.getMessage(), e);
        }
    }
}
