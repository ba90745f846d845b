package io.ocimount.unpack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The extended attributes a tar entry carries, as exact bytes: PAX {@code SCHILY.xattr.<name>} (GNU tar, Go,
 * containerd) and {@code LIBARCHIVE.xattr.<%-escaped name>} with base64 values (bsdtar).
 */
final class EntryXattrs {
    private static final String SCHILY = "SCHILY.xattr.";
    private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private EntryXattrs() {
    }

    /** @param rawHeaders the bytes the tar reader consumed for this entry's headers, or null if not kept */
    static Map<String, byte[]> of(TarArchiveEntry entry, byte[] rawHeaders, String path, int maxBytes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, String> h : entry.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            String name;
            byte[] value;
            if (key.startsWith(SCHILY)) {
                name = key.substring(SCHILY.length());
                value = h.getValue().indexOf('\uFFFD') < 0 ? h.getValue().getBytes(StandardCharsets.UTF_8)
                        : rawValue(rawHeaders, key, path);
            } else if (key.startsWith(LIBARCHIVE)) {
                name = URLDecoder.decode(key.substring(LIBARCHIVE.length()), StandardCharsets.UTF_8);
                try {
                    value = Base64.getDecoder().decode(h.getValue().trim());
                } catch (IllegalArgumentException e) {
                    throw new LayerRefusedException("entry " + path + ": xattr " + name + " is not valid base64");
                }
            } else {
                continue;
            }
            total += name.length() + value.length;
            if (total > maxBytes) {
                throw new LayerRefusedException("entry " + path + ": extended attributes exceed " + maxBytes + " bytes", true);
            }
            out.put(name, value);
        }
        return out;
    }

    /**
     * Finds the PAX record {@code "<len> <key>=<value>\n"} in the raw header bytes and returns its value bytes.
     * The record's own length field says where the value ends, so values containing '\n' or NUL survive.
     */
    static byte[] rawValue(byte[] raw, String key, String path) {
        if (raw != null) {
            byte[] needle = (" " + key + "=").getBytes(StandardCharsets.UTF_8);
            for (int at = indexOf(raw, needle, 0); at >= 0; at = indexOf(raw, needle, at + 1)) {
                int lenStart = at;
                while (lenStart > 0 && raw[lenStart - 1] >= '0' && raw[lenStart - 1] <= '9') {
                    lenStart--;
                }
                if (lenStart == at || at - lenStart > 9) {
                    continue;
                }
                int len = Integer.parseInt(new String(raw, lenStart, at - lenStart, StandardCharsets.US_ASCII));
                int valueStart = at + needle.length;
                int end = lenStart + len - 1; // the record's trailing '\n'
                if (end >= valueStart && end < raw.length && raw[end] == '\n') {
                    return Arrays.copyOfRange(raw, valueStart, end);
                }
            }
        }
        throw new LayerRefusedException("entry " + path + ": the binary value of " + key
                + " could not be read back exactly, and a corrupted value is not written");
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
