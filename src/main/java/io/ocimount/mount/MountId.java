package io.ocimount.mount;

/**
 * A mount as the kernel knows it, whatever its path becomes: its id (statx's stx_mnt_id, the first field of a
 * mountinfo line) and its file system's device ("major:minor", mountinfo's third field; the view's overlay, so an
 * id the kernel handed on to an unrelated mount does not match). A parent directory renamed or swapped for a link
 * changes neither, so the daemon finds its own mount again, and only it.
 */
public record MountId(long id, String device) {
    public static final MountId UNKNOWN = new MountId(0, "");

    public boolean known() {
        return id != 0;
    }
}
