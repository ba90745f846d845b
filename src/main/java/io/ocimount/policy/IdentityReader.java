package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.errdefs.OciMountException;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A requirement's {@code signedIdentity} object. {@code exactReference} is refused, since it could never accept a
 * cosign signature (which names only a repository), and so is {@code remapIdentity}; the rest are read as
 * containers/image reads them, so a policy shared with CRI-O or podman accepts no more here than there.
 */
final class IdentityReader {
    private static final Set<String> TYPE_ONLY = Set.of("type");
    private final PolicyFields fields;

    IdentityReader(PolicyFields fields) {
        this.fields = fields;
    }

    /** The identity at {@code path}, or matchRepoDigestOrExact when {@code node} is absent. */
    SignedIdentity read(JsonNode node, String path) {
        if (node == null) {
            return new MatchRepoDigestOrExact();
        }
        fields.object(node, path);
        String typePath = PolicyFields.field(path, "type");
        String type = fields.string(node.get("type"), typePath);
        switch (type) {
            case "matchExact":
                fields.onlyFields(node, path, TYPE_ONLY, f -> null);
                return new MatchExact();
            case "matchRepoDigestOrExact":
                fields.onlyFields(node, path, TYPE_ONLY, f -> null);
                return new MatchRepoDigestOrExact();
            case "matchRepository":
                fields.onlyFields(node, path, TYPE_ONLY, f -> null);
                return new MatchRepository();
            case "exactRepository":
                return exactRepository(node, path);
            case "exactReference":
                throw fields.bad(typePath, "\"exactReference\" is not supported by ocimount: cosign signatures carry"
                        + " only a repository, never a tag or digest; use exactRepository");
            case "remapIdentity":
                throw fields.bad(typePath, "\"remapIdentity\" is not supported by ocimount (matchRepository,"
                        + " exactRepository, matchRepoDigestOrExact and matchExact are)");
            default:
                throw fields.bad(typePath, "is not a signedIdentity type (matchRepository, exactRepository,"
                        + " matchRepoDigestOrExact, matchExact)");
        }
    }

    private SignedIdentity exactRepository(JsonNode node, String path) {
        fields.onlyFields(node, path, Set.of("type", "dockerRepository"), f -> null);
        String at = PolicyFields.field(path, "dockerRepository");
        String repository = fields.string(node.get("dockerRepository"), at);
        try {
            return new ExactRepository(repository);
        } catch (OciMountException e) {
            throw fields.bad(at, e.getMessage());
        }
    }
}
