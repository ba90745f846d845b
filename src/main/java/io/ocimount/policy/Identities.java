package io.ocimount.policy;

import io.ocimount.ref.Reference;

/** What the signed-identity rules share. */
final class Identities {
    private Identities() {
    }

    /** A repository alone, without tag or digest: what a cosign signature names. */
    static boolean nameOnly(Reference ref) {
        return ref.tag() == null && ref.digest() == null;
    }
}
