package io.ocimount.image;

import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * Images garbage collection never removes, named in config {@code gc.pinned} the way CRI-O's {@code pinned_images}
 * names them: an exact reference ({@code registry/app:1.0}, {@code registry/app@sha256:…}, normalized as pulls
 * are, so {@code busybox:1.36} means {@code docker.io/library/busybox:1.36}), an image id ({@code sha256:…}), or a
 * glob with one trailing {@code *} on the tag: {@code registry/agent:*} pins every image of that repository
 * (those pulled by digest too), {@code registry/agent:2.*} every tag starting with {@code 2.}.
 */
public final class PinnedImages {
    public static final PinnedImages NONE = new PinnedImages(List.of());
    private final List<String> patterns;
    private final List<Pattern> parsed = new ArrayList<>();

    private record Pattern(Digest id, String exact, String repository, String tagPrefix) {
    }

    /** @throws IllegalArgumentException naming the pattern and what is wrong with it */
    public PinnedImages(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String p : this.patterns) {
            parsed.add(parse(p));
        }
    }

    private static Pattern parse(String p) {
        String s = p.trim();
        if (Digest.isDigest(s)) {
            return new Pattern(Digest.parse(s), null, null, null);
        }
        int star = s.indexOf('*');
        if (star < 0) {
            return new Pattern(null, parseReference(p, s).toString(), null, null);
        }
        int colon = s.lastIndexOf(':');
        if (star != s.length() - 1 || colon < s.lastIndexOf('/') || colon < 0 || s.contains("@")) {
            throw new IllegalArgumentException("pinned image \"" + p + "\": a * may only end the tag, as in registry/app:* or"
                    + " registry/app:1.*");
        }
        String prefix = s.substring(colon + 1, star);
        if (!prefix.isEmpty() && !prefix.matches("\\w[\\w.-]{0,126}")) {
            throw new IllegalArgumentException("pinned image \"" + p + "\": invalid tag prefix \"" + prefix + "\"");
        }
        return new Pattern(null, null, parseReference(p, s.substring(0, colon)).name(), prefix);
    }

    private static Reference parseReference(String pattern, String s) {
        try {
            return Reference.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("pinned image \"" + pattern + "\": " + e.getMessage(), e);
        }
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether any pattern names the image by its id, one of its tags or one of its digest references. */
    public boolean matches(ImageRecord image) {
        for (Pattern p : parsed) {
            if (p.id() != null && p.id().equals(image.id())
                    || p.exact() != null && (image.repoTags().contains(p.exact()) || image.repoDigests().contains(p.exact()))
                    || p.repository() != null && globMatches(p, image)) {
                return true;
            }
        }
        return false;
    }

    private static boolean globMatches(Pattern p, ImageRecord image) {
        String tagged = p.repository() + ":" + p.tagPrefix();
        return image.repoTags().stream().anyMatch(t -> t.startsWith(tagged))
                || p.tagPrefix().isEmpty() && image.repoDigests().stream().anyMatch(d -> d.startsWith(p.repository() + "@"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PinnedImages other && other.patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
