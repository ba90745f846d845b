package io.ocimount.policy;

import io.ocimount.policy.signature.PublicKeys;
import io.ocimount.policy.signature.TrustedKey;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The trusted keys of a {@code sigstoreSigned} requirement, from exactly one of {@code keyPath}, {@code keyPaths},
 * {@code keyData} or {@code keyDatas}. Key files are read once, at load, so a missing key stops the daemon at start
 * rather than refusing every pull later.
 */
final class KeyReader {
    static final List<String> SOURCES = List.of("keyPath", "keyPaths", "keyData", "keyDatas");
    /** Far more than any PEM public key; a larger file is not one. */
    static final int MAX_KEY_FILE = 64 * 1024;
    private final PolicyFields fields;

    KeyReader(PolicyFields fields) {
        this.fields = fields;
    }

    List<TrustedKey> read(JsonNode requirement, String path) {
        List<String> present = SOURCES.stream().filter(requirement::has).toList();
        if (present.size() != 1) {
            throw fields.bad(path, "sigstoreSigned needs exactly one of keyPath, keyPaths, keyData, keyDatas"
                    + (present.isEmpty() ? "" : "; it has " + String.join(", ", present)));
        }
        String source = present.get(0);
        String at = PolicyFields.field(path, source);
        JsonNode value = requirement.get(source);
        List<TrustedKey> keys = new ArrayList<>();
        switch (source) {
            case "keyPath" -> keys.addAll(fromFile(fields.string(value, at), at));
            case "keyData" -> keys.addAll(fromData(fields.string(value, at), at));
            case "keyPaths" -> {
                List<String> files = fields.strings(value, at);
                for (int i = 0; i < files.size(); i++) {
                    keys.addAll(fromFile(files.get(i), PolicyFields.index(at, i)));
                }
            }
            default -> {
                List<String> datas = fields.strings(value, at);
                for (int i = 0; i < datas.size(); i++) {
                    keys.addAll(fromData(datas.get(i), PolicyFields.index(at, i)));
                }
            }
        }
        return keys;
    }

    private List<TrustedKey> fromFile(String name, String at) {
        Path file = Path.of(name);
        if (!file.isAbsolute()) {
            throw fields.bad(at, "key file " + Quote.of(name) + " must be an absolute path");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_KEY_FILE + 1);
        } catch (NoSuchFileException e) {
            throw fields.bad(at, "key file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw fields.bad(at, "key file " + file + " cannot be read (permission denied)");
        } catch (IOException e) {
            throw fields.bad(at, "key file " + file + " cannot be read: " + Quote.visible(String.valueOf(e.getMessage())));
        }
        if (bytes.length > MAX_KEY_FILE) {
            throw fields.bad(at, "key file " + file + " is larger than " + MAX_KEY_FILE + " bytes: not a public key");
        }
        try {
            return PublicKeys.readPem(new String(bytes, StandardCharsets.ISO_8859_1), file.toString());
        } catch (OciMountException e) {
            throw fields.bad(at, e.getMessage());
        }
    }

    /** keyData is the PEM text in base64, as containers/image reads it (Go's []byte in JSON). */
    private List<TrustedKey> fromData(String base64, String at) {
        byte[] pem;
        try {
            pem = Base64.getDecoder().decode(base64.replace("\r", "").replace("\n", ""));
        } catch (IllegalArgumentException e) {
            throw fields.bad(at, "must be the base64 of a PEM public key (the PEM text itself is not accepted)");
        }
        return PublicKeys.readPem(new String(pem, StandardCharsets.ISO_8859_1), "policy " + fields.file() + ": " + at);
    }
}
