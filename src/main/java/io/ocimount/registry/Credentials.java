package io.ocimount.registry;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.errdefs.Quote;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Registry credentials, as kubelet's AuthConfig or a docker config.json carries them. {@link #toString()}
 * never shows a secret, so a credential cannot reach a log by accident.
 *
 * @param serverAddress the registry these are for; empty means "whatever registry the image names"
 */
public record Credentials(String serverAddress, String username, String password, String identityToken,
                          String registryToken) {
    public static final Credentials NONE = new Credentials("", "", "", "", "");

    public Credentials {
        serverAddress = nz(serverAddress);
        username = nz(username);
        password = nz(password);
        identityToken = nz(identityToken);
        registryToken = nz(registryToken);
    }

    /** From CRI AuthConfig fields; {@code auth} is base64("user:password") and fills what is missing. */
    public static Credentials of(String serverAddress, String username, String password, String auth,
                                 String identityToken, String registryToken) {
        String user = nz(username);
        String pass = nz(password);
        if (!nz(auth).isEmpty() && user.isEmpty() && pass.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) { // its message names the bad character: part of a secret
                throw invalid(serverAddress, "\"auth\" is not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalid(serverAddress, "\"auth\" must encode user:password");
            }
            user = decoded.substring(0, colon);
            pass = decoded.substring(colon + 1);
        }
        return new Credentials(serverAddress, user, pass, identityToken, registryToken);
    }

    /** Names the registry, never a value: these fields are secrets. */
    private static OciMountException invalid(String serverAddress, String why) {
        String server = nz(serverAddress).isEmpty() ? "" : " for " + Quote.of(serverAddress);
        return OciMountException.invalid("read credentials" + server + ": " + why);
    }

    public boolean isEmpty() {
        return username.isEmpty() && password.isEmpty() && identityToken.isEmpty() && registryToken.isEmpty();
    }

    public boolean hasBasic() {
        return !username.isEmpty() || !password.isEmpty();
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether these apply to {@code registry} (host[:port]); an empty server address applies to any. */
    public boolean appliesTo(String registry) {
        if (serverAddress.isEmpty()) {
            return true;
        }
        String host = hostOf(serverAddress);
        return host.equals(registry) || ("docker.io".equals(registry)
                && (host.equals("index.docker.io") || host.equals("registry-1.docker.io")));
    }

    /** "https://index.docker.io/v1/" → "index.docker.io". */
    static String hostOf(String address) {
        String s = address;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }

    /** A stable key for caches that must not share tokens between different credentials. */
    String fingerprint() {
        if (isEmpty()) {
            return "anonymous";
        }
        return Digest.ofString(username + "\0" + password + "\0" + identityToken + "\0" + registryToken)
                .shortHex();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        return isEmpty() ? "Credentials[anonymous]" : "Credentials[server=" + serverAddress + ", user=" + username + ", secrets=<redacted>]";
    }
}
