package io.ocimount.policy.audit;

import java.nio.file.Path;

/**
 * Where audit records go: {@code audit.path}, rotated when it would pass {@code audit.max_bytes}, keeping
 * {@code audit.keep} older files ({@code audit.jsonl.1} the newest of them).
 */
public record AuditSettings(Path path, long maxBytes, int keep) {

    public static AuditSettings defaults() {
        return new AuditSettings(Path.of("/var/log/ocimount/audit.jsonl"), 16L << 20, 4);
    }
}
