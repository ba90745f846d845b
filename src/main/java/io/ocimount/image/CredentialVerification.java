package io.ocimount.image;

/**
 * When a caller's credentials are checked with the registry before it gets an image already in the store (kubelet's
 * {@code imagePullCredentialsVerificationPolicy}, KEP-2535). Images pulled anonymously are shared freely in every
 * mode; an image pulled with credentials is given to a caller with other credentials only after the registry
 * accepted them for the image's manifest.
 */
public enum CredentialVerification {
    /** Never check: whoever can reach the socket gets any image in the store. */
    NEVER_VERIFY("NeverVerify"),
    /** Check images pulled with credentials; images from before ocimount recorded credentials are shared. */
    NEVER_VERIFY_PRELOADED_IMAGES("NeverVerifyPreloadedImages"),
    /** Check every image pulled with credentials, and those from before ocimount recorded them. */
    ALWAYS_VERIFY("AlwaysVerify");

    private final String configName;

    CredentialVerification(String configName) {
        this.configName = configName;
    }

    /** The name config.toml and kubelet use. */
    public String configName() {
        return configName;
    }

    public static CredentialVerification parse(String name) {
        for (CredentialVerification v : values()) {
            if (v.configName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
