package io.ocimount.oci;

import java.util.ArrayList;
import java.util.List;

/**
 * ChainIDs name a stack of layers: ChainID(L0) = DiffID(L0), ChainID(L0..Ln) = sha256("ChainID(L0..Ln-1) DiffID(Ln)").
 * Snapshots are keyed by them, so two images that share their bottom layers share those snapshots.
 */
public final class ChainIds {
    private ChainIds() {
    }

    /** The chainID of every prefix of the stack, bottom first. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId : Digest.ofString(previous + " " + diffId);
            chain.add(previous);
        }
        return chain;
    }
}
