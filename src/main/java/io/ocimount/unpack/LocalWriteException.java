package io.ocimount.unpack;

import io.ocimount.sys.IoErrors;
import java.io.IOException;

/**
 * Writing an extracted entry to the local disk failed (a full disk, most often): the node's fault, not the
 * layer's, so callers neither blame the blob nor read the rest of it.
 */
public final class LocalWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalWriteException(Throwable cause) {
        super(cause instanceof IOException io ? IoErrors.describe(io) : String.valueOf(cause), cause);
    }
}
