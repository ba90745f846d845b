package io.ocimount.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * kubelet's image matching ({@code URLsMatchStr} in pkg/credentialprovider/keyring.go), used for a provider's
 * {@code matchImages} and for the keys of a plugin's {@code auth} map: both sides are read as schemeless URLs; the
 * host is split on dots and must have as many labels as the glob, each label matched as Go's
 * {@code filepath.Match} does (so {@code *} matches within one label, never across a dot); the ports must be
 * equal (none matches only none); the glob's path must be a prefix of the image's path, as plain text.
 */
final class ImageGlob {
    private ImageGlob() {
    }

    /** Whether {@code image} (registry/repository, no tag) matches {@code glob}. */
    static boolean matches(String glob, String image) {
        Url g = Url.parse(glob);
        Url t = Url.parse(image);
        if (!g.port.equals(t.port) || g.labels.length != t.labels.length || !t.path.startsWith(g.path)) {
            return false;
        }
        for (int i = 0; i < g.labels.length; i++) {
            if (!matchLabel(g.labels[i], 0, t.labels[i], 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The most specific of {@code keys} that matches {@code image}, as kubelet's keyring picks: each key is reduced
     * to host and path, the keys are sorted in reverse order (so {@code reg.io/team/app} comes before
     * {@code reg.io/team} and {@code reg.io}), and the first that matches wins. A key for Docker Hub's
     * {@code index.docker.io/v1/} applies to a {@code docker.io} image that no other key matches.
     */
    static Optional<String> mostSpecific(Collection<String> keys, String image) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparing(ImageGlob::indexKey).reversed());
        for (String k : sorted) {
            if (matches(indexKey(k), image)) {
                return Optional.of(k);
            }
        }
        String first = image.split("/", 2)[0];
        boolean hub = !image.contains("/") || first.equals("docker.io") || first.equals("index.docker.io")
                || !(first.contains(".") || first.contains(":"));
        return hub ? sorted.stream().filter(k -> indexKey(k).equals("index.docker.io/v1/")).findFirst() : Optional.empty();
    }

    /** host + path of a key, without a scheme; a bare "/" path is dropped. */
    static String indexKey(String key) {
        String s = key;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        return s.endsWith("/") && s.indexOf('/') == s.length() - 1 ? s.substring(0, s.length() - 1) : s;
    }

    /** Go's {@code filepath.Match} on one label: {@code *}, {@code ?}, {@code [...]} with ranges and {@code ^}, {@code \} escapes. */
    static boolean matchLabel(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (matchLabel(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                si++;
            } else if (c == '[') {
                int end = p.indexOf(']', pi + 2);
                if (end < 0) {
                    return false; // a malformed class matches nothing (Go reports ErrBadPattern, kubelet: no match)
                }
                String cls = p.substring(pi + 1, end);
                boolean negate = cls.startsWith("^");
                if (negate) {
                    cls = cls.substring(1);
                }
                if (inClass(cls, s.charAt(si)) == negate) {
                    return false;
                }
                pi = end + 1;
                si++;
            } else {
                if (c == '\\' && pi + 1 < p.length()) {
                    c = p.charAt(++pi);
                }
                if (c != s.charAt(si)) {
                    return false;
                }
                pi++;
                si++;
            }
        }
        return si == s.length();
    }

    private static boolean inClass(String cls, char ch) {
        for (int i = 0; i < cls.length(); i++) {
            char lo = cls.charAt(i);
            if (i + 2 < cls.length() && cls.charAt(i + 1) == '-') {
                if (ch >= lo && ch <= cls.charAt(i + 2)) {
                    return true;
                }
                i += 2;
            } else if (lo == ch) {
                return true;
            }
        }
        return false;
    }

    /** A schemeless URL as Go's url.Parse("https://" + s) and net.SplitHostPort see it. */
    private record Url(String[] labels, String port, String path) {
        static Url parse(String s) {
            int slash = s.indexOf('/');
            String host = slash < 0 ? s : s.substring(0, slash);
            String path = slash < 0 ? "" : s.substring(slash);
            String port = "";
            if (host.startsWith("[")) {
                int close = host.indexOf(']');
                if (close > 0 && host.length() > close + 1 && host.charAt(close + 1) == ':') {
                    port = host.substring(close + 2);
                    host = host.substring(1, close);
                }
            } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
                port = host.substring(host.indexOf(':') + 1);
                host = host.substring(0, host.indexOf(':'));
            }
            return new Url(host.split("\\.", -1), port, path);
        }
    }
}
