package io.ocimount.sys;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * libdeflate (Debian's libdeflate0), a whole-buffer deflate about 2.5 times as fast as zlib at the same level and
 * as deterministic: the same input, level and library version give the same bytes. Loaded on first use; absent
 * when the library is not installed.
 */
public final class Libdeflate {
    /** The C API of libdeflate.h (1.x) that gzip needs. */
    public interface Lib {
        Pointer libdeflate_alloc_compressor(int level);

        @size_t
        long libdeflate_gzip_compress(Pointer compressor, @In ByteBuffer in, @size_t long inBytes,
                @Out ByteBuffer out, @size_t long outAvailable);

        @size_t
        long libdeflate_gzip_compress_bound(Pointer compressor, @size_t long inBytes);

        void libdeflate_free_compressor(Pointer compressor);
    }

    /**
     * The library by its soname, the ABI this binding is written against, which the dynamic loader finds where the
     * system keeps it (the name jnr searches for, "deflate", needs a libdeflate.so that only -dev packages have, or
     * a directory jnr knows). A test sets another name to see pack without it.
     */
    private static final String NAME = System.getProperty("ocimount.libdeflate", "libdeflate.so.0");
    private static final Object LOCK = new Object();
    private static Lib lib;
    private static String missing;

    private Libdeflate() {
    }

    /** Null when libdeflate can be used, else why not (the library is not installed). */
    public static String unavailableBecause() {
        synchronized (LOCK) {
            if (lib == null && missing == null) {
                try {
                    lib = LibraryLoader.create(Lib.class).failImmediately().load(NAME);
                } catch (LinkageError e) {
                    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse(""); // jnr lists its search paths next
                    missing = "libdeflate is not installed (apt-get install libdeflate0): " + first;
                }
            }
            return missing;
        }
    }

    /** A compressor at {@code level} (1 to 12); one thread at a time, closed after use. */
    public static Compressor compressor(int level) {
        String why = unavailableBecause();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        Pointer p = lib.libdeflate_alloc_compressor(level);
        if (p == null || p.address() == 0) {
            throw new IllegalStateException("libdeflate_alloc_compressor(" + level + ") failed");
        }
        return new Compressor(lib, p);
    }

    /** One libdeflate compressor. */
    public static final class Compressor implements AutoCloseable {
        private final Lib lib;
        private Pointer handle;

        private Compressor(Lib lib, Pointer handle) {
            this.lib = lib;
            this.handle = handle;
        }

        /** The most bytes {@link #gzip} can write for {@code inBytes} bytes of input. */
        public int gzipBound(int inBytes) {
            return Math.toIntExact(lib.libdeflate_gzip_compress_bound(handle, inBytes));
        }

        /**
         * One whole gzip member of {@code in[off, off + len)} into {@code out} at {@code outOff}; its length. The
         * bytes of {@code out} after the member, up to {@link #gzipBound} of {@code len}, are overwritten too (jnr
         * copies the whole window back).
         */
        public int gzip(byte[] in, int off, int len, byte[] out, int outOff) {
            if (handle == null) {
                throw new IllegalStateException("libdeflate: the compressor is closed");
            }
            int window = Math.min(out.length - outOff, gzipBound(len));
            long n = lib.libdeflate_gzip_compress(handle, ByteBuffer.wrap(in, off, len), len,
                    ByteBuffer.wrap(out, outOff, window), window);
            if (n == 0) {
                throw new IllegalStateException("libdeflate: " + len + " bytes did not fit in " + window);
            }
            return (int) n;
        }

        @Override
        public void close() {
            if (handle != null) {
                lib.libdeflate_free_compressor(handle);
                handle = null;
            }
        }
    }
}
