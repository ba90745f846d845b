package io.ocimount.ref;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import io.ocimount.oci.Digest;
import java.util.regex.Pattern;

/**
 * A normalized image reference, following distribution/reference: {@code busybox} becomes
 * {@code docker.io/library/busybox:latest}; a reference with a digest keeps no tag, so a pull by digest adds none.
 */
public record Reference(String domain, String path, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    /**
     * Longer than any valid reference (a 255-character name, a 128-character tag and a digest), and refused
     * before any pattern runs: the host pattern recurses per dot and overflowed the stack on a 1 MiB input.
     */
    private static final int MAX_LENGTH = 1024;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    public static Reference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "empty reference");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(text, "longer than " + MAX_LENGTH + " characters");
        }
        String rest = text.trim();
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (OciMountException e) {
                throw invalid(text, Quote.visible(e.getMessage())); // it quotes the digest as it came
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "invalid tag " + Quote.of(tag));
            }
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || "localhost".equals(first)
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT)))) {
            domain = first;
            path = rest.substring(slash + 1);
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw invalid(text, "invalid registry host " + Quote.of(domain));
        }
        // host names are case-insensitive: QUAY.IO/x is quay.io/x, in the store and for the policy's scopes
        domain = domain.toLowerCase(java.util.Locale.ROOT);
        if ("index.docker.io".equals(domain)) {
            domain = DOCKER_HUB;
        }
        if (DOCKER_HUB.equals(domain) && !path.contains("/")) {
            path = "library/" + path;
        }
        validatePath(text, path);
        if (slash < 0 && HEX64.matcher(rest).matches()) {
            throw invalid(text, "a 64-character hex string cannot be a repository name; use sha256:<hex> for an image id");
        }
        if (digest != null) {
            tag = null;
        } else if (tag == null) {
            tag = "latest";
        }
        return new Reference(domain, path, tag, digest);
    }

    private static void validatePath(String text, String path) {
        if (path.isEmpty() || path.length() > 255) {
            throw invalid(text, "repository name must be 1 to 255 characters");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(text, "invalid repository name component " + Quote.of(component)
                        + " (lower-case letters, digits and . _ - separators only)");
            }
        }
    }

    private static OciMountException invalid(String text, String why) {
        return new OciMountException(ErrorKind.INVALID_ARGUMENT, Reasons.INVALID_IMAGE_NAME,
                "parse reference " + Quote.of(text) + ": " + why, null);
    }

    /** domain/path, the repository. */
    public String name() {
        return domain + "/" + path;
    }

    /** The object to ask the registry for: the digest when there is one, else the tag. */
    public String object() {
        return digest != null ? digest.toString() : tag;
    }

    public String tagged() {
        return tag == null ? null : name() + ":" + tag;
    }

    public Reference withDigest(Digest d) {
        return new Reference(domain, path, null, d);
    }

    @Override
    public String toString() {
        return digest != null ? name() + "@" + digest : name() + ":" + tag;
    }
}
