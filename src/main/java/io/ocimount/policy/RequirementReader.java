package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.policy.signature.TrustedKey;
import io.ocimount.errdefs.Quote;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A list of policy requirements. Only what ocimount can enforce is accepted: a requirement it would skip is a
 * requirement the administrator believes holds, so GPG, keyless (Fulcio, PKI) and Rekor settings are refused by
 * name instead of ignored.
 */
final class RequirementReader {
    static final String SUPPORTED = "only insecureAcceptAnything, reject, sigstoreSigned with public keys";
    private static final Set<String> TYPE_ONLY = Set.of("type");
    private static final Set<String> SIGSTORE_FIELDS = Set.of("type", "keyPath", "keyPaths", "keyData", "keyDatas",
            "signedIdentity");
    private static final Set<String> KEYLESS = Set.of("fulcio", "pki");
    private static final Set<String> REKOR = Set.of("rekorPublicKeyPath", "rekorPublicKeyPaths",
            "rekorPublicKeyData", "rekorPublicKeyDatas");
    private final PolicyFields fields;
    private final KeyReader keys;
    private final IdentityReader identities;

    RequirementReader(PolicyFields fields) {
        this.fields = fields;
        this.keys = new KeyReader(fields);
        this.identities = new IdentityReader(fields);
    }

    List<Requirement> readList(JsonNode node, String path) {
        fields.nonEmptyArray(node, path, "requirements");
        List<Requirement> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(read(node.get(i), PolicyFields.index(path, i)));
        }
        return List.copyOf(out);
    }

    private Requirement read(JsonNode node, String path) {
        fields.object(node, path);
        String typePath = PolicyFields.field(path, "type");
        String type = fields.string(node.get("type"), typePath);
        switch (type) {
            case "insecureAcceptAnything":
                fields.onlyFields(node, path, TYPE_ONLY, f -> null);
                return new Requirement.AcceptAnything();
            case "reject":
                fields.onlyFields(node, path, TYPE_ONLY, f -> null);
                return new Requirement.Reject();
            case "sigstoreSigned":
                return sigstoreSigned(node, path);
            case "signedBy", "signedBaseLayer":
                throw fields.bad(typePath, Quote.of(type) + " is not supported by ocimount (" + SUPPORTED + ")");
            default:
                throw fields.bad(typePath, Quote.of(type) + " is not a requirement type (" + SUPPORTED + ")");
        }
    }

    private Requirement sigstoreSigned(JsonNode node, String path) {
        fields.onlyFields(node, path, SIGSTORE_FIELDS, RequirementReader::unsupported);
        List<TrustedKey> trusted = keys.read(node, path);
        SignedIdentity identity = identities.read(node.get("signedIdentity"), PolicyFields.field(path, "signedIdentity"));
        return new Requirement.SigstoreSigned(trusted, identity);
    }

    /** What to say of a sigstoreSigned field that containers/image knows and ocimount does not support. */
    private static String unsupported(String field) {
        if (KEYLESS.contains(field)) {
            return "keyless signatures (Fulcio or PKI certificates) are not supported by ocimount: trust public keys"
                    + " with keyPath, keyPaths, keyData or keyDatas";
        }
        if (REKOR.contains(field)) {
            return "Rekor is not supported by ocimount: keyless/Rekor verification is not done, so this key would"
                    + " be ignored; remove it and trust public keys with keyPath, keyPaths, keyData or keyDatas";
        }
        return null;
    }
}
