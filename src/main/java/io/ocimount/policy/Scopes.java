package io.ocimount.policy;

import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The scope names a docker-transport policy is looked up by, as containers/image's docker transport defines them.
 * Knows nothing of JSON, so ocimount's own config rules can select scopes the same way policy.json does.
 */
public final class Scopes {
    private static final int MAX_LENGTH = 1024;
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern PORT = Pattern.compile("[0-9]+");

    private Scopes() {
    }

    /**
     * The scopes to try for {@code ref}, most specific first; the first one a policy has is the one that applies.
     * {@code quay.io:443/a/b:v1} gives {@code quay.io:443/a/b:v1}, {@code quay.io:443/a/b}, {@code quay.io:443/a},
     * {@code quay.io:443}, {@code *.io}: the reference, its repository, each parent namespace, the host, then the
     * host's parent domains as wildcards (without the port). Docker Hub names are looked up fully expanded
     * ({@code docker.io/library/busybox}), never as {@code busybox}.
     */
    public static List<String> candidates(Reference ref) {
        List<String> out = new ArrayList<>();
        String name = ref.name();
        if (ref.digest() != null) {
            out.add(name + "@" + ref.digest());
        }
        if (ref.tag() != null) {
            out.add(name + ":" + ref.tag());
        }
        for (String n = name; ; n = n.substring(0, n.lastIndexOf('/'))) {
            out.add(n);
            if (n.indexOf('/') < 0) {
                break;
            }
        }
        String host = hostWithoutPort(ref.domain());
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            out.add("*" + host.substring(dot));
        }
        return List.copyOf(out);
    }

    /** The host of {@code domain} without its port; an IPv6 literal has no parent domains, so it gives "". */
    private static String hostWithoutPort(String domain) {
        if (domain.startsWith("[")) {
            return "";
        }
        int colon = domain.indexOf(':');
        return colon < 0 ? domain : domain.substring(0, colon);
    }

    /**
     * Why {@code scope} can never be one of the {@link #candidates}, or null when it is a valid scope: a
     * {@code host[:port]}, a namespace or repository under a host, a {@code repository:tag}, a
     * {@code repository@digest}, or {@code *.domain}. Names are not expanded: {@code busybox} is refused with the
     * hint to write {@code docker.io/library/busybox}, as containers/image would silently never match it.
     */
    public static String whyInvalid(String scope) {
        if (scope == null || scope.isEmpty()) {
            return "a scope must not be empty";
        }
        if (scope.length() > MAX_LENGTH) {
            return "a scope is at most " + MAX_LENGTH + " characters";
        }
        if (scope.contains("://")) {
            return "a scope has no scheme: write host[/namespace[/repository]], e.g. quay.io/org";
        }
        if (scope.startsWith("*.")) {
            return wildcard(scope.substring(2));
        }
        if (scope.contains("*")) {
            return "a wildcard is only allowed as the first label of a host, e.g. *.example.com";
        }
        String rest = scope;
        int at = rest.indexOf('@');
        if (at >= 0) {
            if (!Digest.isDigest(rest.substring(at + 1))) {
                return "the digest after @ must be sha256:<64 lower-case hex characters>";
            }
            rest = rest.substring(0, at);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            String why = host(rest, scope);
            return why != null || at < 0 ? why : "a digest needs a repository before it, e.g. quay.io/org/app@sha256:…";
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            if (at >= 0) {
                return "a scope has a tag or a digest, not both";
            }
            if (!TAG.matcher(rest.substring(colon + 1)).matches()) {
                return "the tag after the last : is not a valid tag";
            }
            rest = rest.substring(0, colon);
        }
        String why = host(rest.substring(0, slash), scope);
        if (why != null) {
            return why;
        }
        for (String component : rest.substring(slash + 1).split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                return "repository component " + Quote.of(component)
                        + " is not valid (lower-case letters, digits and . _ - separators only)";
            }
        }
        return null;
    }

    /** Why {@code host} (the first part of {@code scope}, before any "/") is not a registry host, or null. */
    private static String host(String host, String scope) {
        int colon = host.indexOf(':');
        boolean port = colon > 0 && PORT.matcher(host.substring(colon + 1)).matches();
        boolean qualified = host.contains(".") || host.startsWith("[") || host.equals("localhost") || port;
        if (!qualified && (colon < 0 || !scope.contains("/"))) {
            String expanded = scope.contains("/") ? "docker.io/" + scope : "docker.io/library/" + scope;
            return "not fully qualified: scopes match expanded names, so write " + Quote.of(expanded)
                    + " (or the registry's host first)";
        }
        if (!HOST.matcher(host).matches()) {
            return "the registry host is not a valid host[:port]";
        }
        if (!host.equals(host.toLowerCase(java.util.Locale.ROOT))) {
            return "host names are compared without case, and images are named in lower case: write "
                    + Quote.of(host.toLowerCase(java.util.Locale.ROOT) + scope.substring(host.length()));
        }
        if (host.equals("index.docker.io")) {
            return "names are looked up with docker.io, never index.docker.io: write "
                    + Quote.of("docker.io" + scope.substring(host.length()));
        }
        return null;
    }

    /** Why the domain of a {@code *.domain} wildcard is not valid, or null. */
    private static String wildcard(String domain) {
        if (domain.isEmpty() || domain.contains(":") || domain.contains("/")) {
            return "a wildcard names the subdomains of a domain, without port or path, e.g. *.example.com";
        }
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "a wildcard is only allowed as the first label of a host, e.g. *.example.com";
            }
        }
        if (!domain.equals(domain.toLowerCase(java.util.Locale.ROOT))) {
            return "host names are compared without case: write " + Quote.of("*." + domain.toLowerCase(java.util.Locale.ROOT));
        }
        return null;
    }
}
