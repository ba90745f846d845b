package io.ocimount.policy.signature;

/**
 * The algorithm identifier of a DER SubjectPublicKeyInfo: enough of X.509 to pick the JDK key factory and the EC
 * curve by their OIDs, so an unsupported key is refused by name rather than by whichever factory failed last.
 *
 * @param algorithm the algorithm OID, dotted ("1.2.840.10045.2.1")
 * @param parameter the OID in the parameters (an EC key's named curve), or null when there is none
 */
record Spki(String algorithm, String parameter) {
    private static final int SEQUENCE = 0x30;
    private static final int OID = 0x06;
    private static final int BIT_STRING = 0x03;

    /** Reads {@code der}; throws IllegalArgumentException when it is not one well-formed SubjectPublicKeyInfo. */
    static Spki read(byte[] der) {
        Reader outer = new Reader(der, 0, der.length);
        Reader spki = outer.take(SEQUENCE);
        if (!outer.atEnd()) {
            throw new IllegalArgumentException("data after the key");
        }
        Reader algorithmId = spki.take(SEQUENCE);
        String algorithm = oid(algorithmId.take(OID));
        String parameter = null;
        if (!algorithmId.atEnd() && algorithmId.peek() == OID) {
            parameter = oid(algorithmId.take(OID));
        }
        spki.take(BIT_STRING);
        if (!spki.atEnd()) {
            throw new IllegalArgumentException("data after the key bits");
        }
        return new Spki(algorithm, parameter);
    }

    /** The dotted form of an OID's content octets. */
    private static String oid(Reader r) {
        StringBuilder out = new StringBuilder();
        long value = 0;
        int octets = 0;
        boolean first = true;
        while (!r.atEnd()) {
            int b = r.next();
            if (++octets > 8) {
                throw new IllegalArgumentException("OID arc too long");
            }
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    out.append(top).append('.').append(value - 40 * top);
                    first = false;
                } else {
                    out.append('.').append(value);
                }
                value = 0;
                octets = 0;
            }
        }
        if (first || octets != 0) {
            throw new IllegalArgumentException("truncated OID");
        }
        return out.toString();
    }

    /** A cursor over {@code bytes[pos, end)} that reads definite-length DER elements. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;
        private final int end;

        Reader(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        boolean atEnd() {
            return pos >= end;
        }

        int peek() {
            return bytes[pos] & 0xff;
        }

        int next() {
            if (atEnd()) {
                throw new IllegalArgumentException("truncated");
            }
            return bytes[pos++] & 0xff;
        }

        /** The content of the next element, which must have {@code tag}; the cursor moves past it. */
        Reader take(int tag) {
            if (next() != tag) {
                throw new IllegalArgumentException("unexpected element");
            }
            int length = next();
            if (length >= 0x80) {
                int count = length & 0x7f;
                if (count == 0 || count > 3) {
                    throw new IllegalArgumentException("unsupported length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | next();
                }
            }
            if (length > end - pos) {
                throw new IllegalArgumentException("truncated");
            }
            Reader content = new Reader(bytes, pos, pos + length);
            pos += length;
            return content;
        }
    }
}
