package io.ocimount.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record store image and volume records share; their own file formats are pinned by their stores' tests. */
class JsonRecordsTest {
    record Note(String id, String text) {
    }

    @TempDir
    Path dir;

    private JsonRecords<Note> open() {
        return new JsonRecords<>(dir, "note", Note.class, Note::id, id -> id + ".json", Json.MAPPER::writeValueAsBytes);
    }

    @Test
    void recordsSurviveAReopenAndRemoveDeletesTheFile() {
        JsonRecords<Note> notes = open();
        notes.put(new Note("a", "first"));
        notes.put(new Note("b", "second"));
        notes.put(new Note("a", "first, again"));
        JsonRecords<Note> reopened = open();
        assertEquals(new Note("a", "first, again"), reopened.get("a"));
        assertEquals(2, reopened.list().size());
        reopened.remove("b");
        reopened.remove("never-there");
        assertFalse(Files.exists(dir.resolve("b.json")));
        assertNull(open().get("b"));
    }

    @Test
    void tempFilesOfInterruptedWritesGoAndUnreadableRecordsAreSkipped() throws Exception {
        open().put(new Note("good", "kept"));
        Files.writeString(dir.resolve(".good.json.tmp-12"), "{\"id\":\"good\",\"te");
        Files.writeString(dir.resolve("torn.json"), "{\"id\":\"torn\",\"te");
        JsonRecords<Note> notes = open();
        assertEquals(List.of(new Note("good", "kept")), notes.list());
        assertFalse(Files.exists(dir.resolve(".good.json.tmp-12")), "a temp file is deleted at load");
        assertTrue(Files.exists(dir.resolve("torn.json")), "an unreadable record is left for a person to look at");
    }
}
