package io.ocimount.errdefs;

/**
 * Caller input as an error message quotes it. Input may be huge (a message travels in a gRPC trailer that clients
 * cap at 8 KiB) or hold control characters (a NUL, or a newline that forges a log line), so a quote is bounded and
 * escaped like Go's {@code %q}: {@code "busy\u0000box"}, or {@code "aaa…aaa"… (1048576 chars)} when cut.
 */
public final class Quote {
    /** Most characters a quote shows of the input, escapes included. */
    public static final int MAX_CHARS = 256;

    private Quote() {
    }

    /** {@code text} in double quotes, escaped, cut after {@link #MAX_CHARS} with "…" and the input's length. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 24).append('"');
        int end = escape(text, out, MAX_CHARS, true);
        out.append('"');
        if (end < text.length()) {
            out.append("… (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * {@code text} with control characters escaped, and neither quoted nor cut: for text we did not write, such as
     * a library's exception message, where quotes and backslashes are left as they are.
     */
    public static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        escape(text, out, Integer.MAX_VALUE, false);
        return out.toString();
    }

    /** Appends escaped code points while they fit in {@code limit} chars; returns the index it stopped at. */
    private static int escape(String text, StringBuilder out, int limit, boolean quoted) {
        int start = out.length();
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            String esc = escaped(cp, quoted);
            int width = esc != null ? esc.length() : Character.charCount(cp);
            if (out.length() - start + width > limit) {
                break;
            }
            if (esc != null) {
                out.append(esc);
            } else {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** The escape for {@code cp}, or null when it is shown as itself. */
    private static String escaped(int cp, boolean quoted) {
        switch (cp) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '"':
                return quoted ? "\\\"" : null;
            case '\\':
                return quoted ? "\\\\" : null;
            default:
                break;
        }
        if (!invisible(cp)) {
            return null;
        }
        return cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp);
    }

    /** Control and format characters (NUL, DEL, the bidi overrides…), line separators and lone surrogates. */
    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
