package io.ocimount.mount;

/**
 * A mount as the kernel knows it, whatever its path becomes: its id (statx's stx_mnt_id, the first field of a
 * mountinfo line) and the path inside its source that it shows (mountinfo's root field). A parent directory
 * renamed or swapped for a link does not change either, so the daemon finds its own mount again, and only it.
 */
public record MountId(long id, String root) {
    public static final MountId UNKNOWN = new MountId(0, "");

    public boolean known() {
        return id != 0;
    }
}
