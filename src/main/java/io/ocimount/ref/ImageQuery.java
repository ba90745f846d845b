package io.ocimount.ref;

import java.util.regex.Pattern;

/**
 * A name a local image is looked up by (ImageStatus, RemoveImage, a ListImages filter): an image id, a prefix of
 * one, or a reference. Anything else names no image by construction, so it is the caller's error, not "not found".
 */
public final class ImageQuery {
    private static final Pattern ID_OR_PREFIX = Pattern.compile("(?:sha256:)?[a-f0-9]{1,64}");

    private ImageQuery() {
    }

    /** Returns {@code query}, or throws INVALID_ARGUMENT (InvalidImageName) as {@link Reference#parse} does. */
    public static String check(String query) {
        if (query == null || !ID_OR_PREFIX.matcher(query.trim()).matches()) {
            Reference.parse(query);
        }
        return query;
    }
}
