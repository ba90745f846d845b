package io.ocimount.policy.audit;

import io.ocimount.policy.Trust;
import io.ocimount.policy.VerifiedSignature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditRecord record(Instant at, String reference, String decision) {
        Requester who = new Requester("CSI", "vol-1", "/var/lib/kubelet/pods/u/volumes/v", "ns", "pod", "uid-1", "sa",
                "IfNotPresent");
        Trust trust = new Trust("registry.example/team", null, "registry.example", Digest.ofString("m"), List.of(
                new VerifiedSignature("cosign-simplesigning", "SHA256:abcd", Digest.ofString("signed"),
                        "registry.example/team/app")));
        return AuditRecord.of(at, "mount", who, reference, decision, Digest.ofString("m").toString(),
                Digest.ofString("c").toString(), trust, decision.equals("allowed") ? null : "scope rejects", null);
    }

    @Test
    void eachRecordIsOneRootOnlyJsonLineReadBackWithEveryField() throws Exception {
        AuditLog log = new AuditLog(new AuditSettings(dir.resolve("sub/audit.jsonl"), 1 << 20, 2));
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        log.append(record(t, "registry.example/team/app:1", "allowed"));
        log.append(record(t.plusSeconds(5), "registry.example/team/app:2", "denied"));
        List<String> lines = Files.readAllLines(dir.resolve("sub/audit.jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"time\":\"2026-12-02T10:00:00Z\",\"event\":\"mount\",\"caller\":\"CSI\""),
                lines.get(0));
        assertTrue(lines.get(0).contains("\"pod_service_account\":\"sa\"") && lines.get(0).contains("\"signature_key\":\"SHA256:abcd\"")
                && lines.get(0).contains("\"registry_host\":\"registry.example\"") && !lines.get(0).contains("reason"), lines.get(0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/audit.jsonl"))));

        assertEquals(List.of(record(t, "registry.example/team/app:1", "allowed"),
                record(t.plusSeconds(5), "registry.example/team/app:2", "denied")), log.read(null, r -> true));
        assertEquals(1, log.read(t.plusSeconds(1), r -> true).size(), "since");
        assertEquals("denied", log.read(null, r -> AuditFilter.matches(r, "registry.example/team/app:2")).get(0).decision());
        assertEquals(2, log.read(null, r -> AuditFilter.matches(r, "registry.example/team/app")).size(), "a repository");
        assertEquals(2, log.read(null, r -> AuditFilter.matches(r, Digest.ofString("c").toString())).size(), "an image id");
        assertEquals(0, log.read(null, r -> AuditFilter.matches(r, "registry.example/other")).size());
    }

    @Test
    void rotatesBySizeKeepingTheNewestFilesAndReadsThemOldestFirst() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(new AuditSettings(file, 1200, 2));
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        for (int i = 0; i < 12; i++) {
            log.append(record(t.plusSeconds(i), "registry.example/team/app:" + i, "allowed"));
        }
        assertTrue(Files.size(file) <= 1200);
        assertTrue(Files.exists(dir.resolve("audit.jsonl.1")) && Files.exists(dir.resolve("audit.jsonl.2")));
        assertFalse(Files.exists(dir.resolve("audit.jsonl.3")), "keep = 2");
        List<AuditRecord> kept = log.read(null, r -> true);
        assertTrue(kept.size() < 12 && kept.size() >= 3, kept.size() + " kept");
        assertEquals("registry.example/team/app:11", kept.get(kept.size() - 1).reference());
        for (int i = 1; i < kept.size(); i++) {
            assertTrue(kept.get(i - 1).time().compareTo(kept.get(i).time()) < 0, "oldest first");
        }
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheRestRead() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(new AuditSettings(file, 1 << 20, 1));
        Instant t = Instant.parse("2026-12-02T10:00:00Z");
        log.append(record(t, "registry.example/team/app:1", "allowed"));
        Files.writeString(file, "{\"time\":\"2026-12-02T10:00:01Z\",\"eve", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(file, "\n", java.nio.file.StandardOpenOption.APPEND);
        log.append(record(t.plusSeconds(2), "registry.example/team/app:2", "allowed"));
        assertEquals(2, log.read(null, r -> true).size());
    }

    @Test
    void aCallersTextCannotForgeLinesOrFloodTheFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = new AuditLog(new AuditSettings(file, 1 << 20, 1));
        Requester who = new Requester("CSI", "vol\nINFO: audit mount allowed", "/t", "ns", "pod", "uid", "sa", "");
        String huge = "x".repeat(1 << 20);
        AuditRecord r = AuditRecord.of(Instant.parse("2026-12-02T10:00:00Z"), "mount", who, "evil\u202e\r\n" + huge, "failed",
                null, null, null, "bad\nline", null);
        log.append(r);
        assertTrue(r.summary().lines().count() == 1, r.summary().substring(0, 200));
        assertTrue(r.volumeId().equals("vol\\nINFO: audit mount allowed"), r.volumeId());
        assertTrue(r.reference().startsWith("evil\\u202e\\r\\n") && r.reference().endsWith("…(" + (huge.length() + 7)
                + " characters)") && r.reference().length() < 5000, r.reference().substring(0, 40));
        assertEquals(1, Files.readAllLines(file).size());
        assertTrue(Files.size(file) < 6000, Files.size(file) + " bytes");
    }
}
