package io.ocimount.unpack;

/** A layer that breaks a rule (confinement, limits, tar format): the message names the entry and the rule. */
public final class LayerRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean limit;

    LayerRefusedException(String message) {
        this(message, false);
    }

    LayerRefusedException(String message, boolean limit) {
        super(message);
        this.limit = limit;
    }

    /** True when a configured limit was hit, as opposed to a malformed or hostile entry. */
    public boolean isLimit() {
        return limit;
    }
}
