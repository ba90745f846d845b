package io.ocimount.pack;

import io.ocimount.sys.Libdeflate;

/** The deflate a pack's layers are made with. Each is reproducible on its own; their bytes, and digests, differ. */
public enum GzipEngine {
    /** libdeflate (Debian's libdeflate0): a gzip member per run of a block, about 2.5 times zlib's speed. */
    LIBDEFLATE,
    /** The JDK's zlib: one gzip member, each block primed with the 32 KiB before it, as pigz does. */
    ZLIB;

    /** libdeflate when it is installed, else zlib. */
    public static GzipEngine preferred() {
        return LIBDEFLATE.unavailableBecause() == null ? LIBDEFLATE : ZLIB;
    }

    /** Null when this engine can be used here, else why not. */
    public String unavailableBecause() {
        return this == LIBDEFLATE ? Libdeflate.unavailableBecause() : null;
    }

    GzipBlocks blocks() {
        return this == LIBDEFLATE ? new LibdeflateMembers() : new ZlibMember();
    }
}
