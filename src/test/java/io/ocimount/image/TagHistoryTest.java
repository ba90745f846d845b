package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimount.oci.Digest;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagHistoryTest {
    @TempDir
    Path root;

    @Test
    void aTagThatMovesIsReportedOnceAndRememberedAcrossRestarts() {
        Digest a = Digest.ofString("a");
        Digest b = Digest.ofString("b");
        TagHistory tags = new TagHistory(root);
        assertEquals(Optional.empty(), tags.resolved("r.example/app:1", a), "first pull: nothing to compare");
        assertEquals(Optional.empty(), tags.resolved("r.example/app:1", a), "same digest");
        assertEquals(Optional.of(a), tags.resolved("r.example/app:1", b));
        assertEquals(Optional.empty(), tags.resolved("r.example/app:2", a), "another tag");
        assertEquals(Optional.of(b), new TagHistory(root).resolved("r.example/app:1", a), "after a restart");
    }

    @Test
    void theLeastRecentlyPulledTagsAreForgottenBeyondTheCap() {
        TagHistory tags = new TagHistory(root, 3);
        Digest a = Digest.ofString("a");
        for (int i = 0; i <= 3; i++) {
            tags.resolved("r.example/app:" + i, a);
        }
        assertEquals(Optional.of(a), new TagHistory(root, 3).resolved("r.example/app:3", Digest.ofString("b")));
        assertEquals(Optional.empty(), tags.resolved("r.example/app:0", Digest.ofString("b")), "tag 0 was forgotten");
    }
}
