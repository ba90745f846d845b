package io.ocimount.errdefs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuoteTest {
    @Test
    void shortTextIsQuotedAsIs() {
        assertEquals("\"docker.io/library/busybox:1.36\"", Quote.of("docker.io/library/busybox:1.36"));
        assertEquals("\"\"", Quote.of(""));
        assertEquals("\"café 日本 😀\"", Quote.of("café 日本 😀"));
        assertEquals("null", Quote.of(null));
    }

    @Test
    void controlCharactersQuotesAndBackslashesAreEscapedLikeGoPercentQ() {
        assertEquals("\"a\\u0000b\\nc\\rd\\te\\u007ff\\\"g\\\\h\"", Quote.of("a\0b\nc\rd\te\u007ff\"g\\h"));
        assertEquals("\"\\u202eevil\\u2028x\\ud800\"", Quote.of("\u202Eevil\u2028x\uD800"), "bidi override, line separator, lone surrogate");
    }

    @Test
    void longTextIsCutWithItsLength() {
        String q = Quote.of("a".repeat(1 << 20));
        assertEquals("\"" + "a".repeat(Quote.MAX_CHARS) + "\"… (1048576 chars)", q);
    }

    @Test
    void theBoundCountsEscapesAndNeverSplitsOne() {
        String q = Quote.of("\0".repeat(1000));
        assertEquals("\"" + "\\u0000".repeat(Quote.MAX_CHARS / 6) + "\"… (1000 chars)", q);
        String emoji = Quote.of("😀".repeat(1000));
        assertTrue(emoji.length() <= Quote.MAX_CHARS + 20, emoji);
        assertTrue(emoji.indexOf('\uFFFD') < 0 && emoji.startsWith("\"😀"), "cut between code points");
        assertEquals(Quote.MAX_CHARS / 2, emoji.codePoints().filter(c -> c == 0x1F600).count());
    }

    @Test
    void exactlyTheLimitIsNotCut() {
        String limit = "x".repeat(Quote.MAX_CHARS);
        assertEquals("\"" + limit + "\"", Quote.of(limit));
    }

    @Test
    void visibleEscapesOnlyControlCharacters() {
        assertEquals("Nul character not allowed: \"/a\\u0000b\"\\n\\x", Quote.visible("Nul character not allowed: \"/a\0b\"\n\\x"));
    }
}
