package io.ocimount.policy.signature;

import io.ocimount.ref.Reference;

/** containers-policy.json's {@code signedIdentity}: which signed names are acceptable for the image pulled. */
public interface SignedIdentity {

    /**
     * Whether a signature that names {@code signed} may vouch for pulling {@code pulled}.
     *
     * @param pulled the reference being pulled, as the caller wrote it (normalised; a tag or a digest)
     * @param signed the reference the signature carries: for cosign a repository without tag or digest
     *               ({@code critical.identity.docker-reference}), already normalised ("index.docker.io" read as
     *               "docker.io", "library/" added)
     */
    boolean accepts(Reference pulled, Reference signed);

    /** The identity as the policy wrote it, for messages: "matchRepository", "exactRepository other/repo". */
    String describe();

    /** The repository alone, as a signature names it: cosign signs a repository name, never a tag or a digest. */
    static Reference repositoryOf(Reference ref) {
        return new Reference(ref.domain(), ref.path(), null, null);
    }
}
