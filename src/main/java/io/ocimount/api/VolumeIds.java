package io.ocimount.api;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import java.nio.charset.StandardCharsets;

/**
 * What a volume id may be. Records are stored under a hash of the id, so any text would do for them; the bound and
 * the refusal of control characters are for the messages and log lines that name every volume by its id. (The
 * rule belongs beside VolumeService's other checks, and can move there once volume/ has settled.)
 */
final class VolumeIds {
    /** PATH_MAX: the CLI's default id is the target path. */
    static final int MAX_BYTES = 4096;

    private VolumeIds() {
    }

    static String check(String id) {
        String problem = id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES ? "longer than " + MAX_BYTES + " bytes"
                : id.chars().anyMatch(Character::isISOControl) ? "contains a control character" : null;
        if (problem != null) {
            throw new OciMountException(ErrorKind.INVALID_ARGUMENT, Reasons.IMAGE_VOLUME_MOUNT_FAILED,
                    "volume id " + Quote.of(id) + ": " + problem, null);
        }
        return id;
    }
}
