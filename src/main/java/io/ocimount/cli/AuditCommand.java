package io.ocimount.cli;

import io.ocimount.api.v1.AuditGrpc;
import io.ocimount.api.v1.AuditListRequest;
import io.ocimount.api.v1.AuditListResponse;
import io.ocimount.oci.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Print the audit records of pulls and mounts, oldest first.")
final class AuditCommand implements Callable<Integer> {
    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");

    @ParentCommand
    Cli cli;

    @Option(names = "--since", description = "An RFC 3339 time, or a duration back from now (30m, 12h, 7d)")
    String since;

    @Option(names = "--image", description = "Only records of this reference, repository, digest or image id")
    String image;

    @Override
    public Integer call() {
        AuditListRequest.Builder req = AuditListRequest.newBuilder().setSince(since(since)).setImage(image == null ? "" : image);
        return cli.withDaemon(ch -> {
            Iterator<AuditListResponse> batches = AuditGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.MINUTES)
                    .list(req.build());
            if (!cli.json()) {
                System.out.printf("%-20s %-5s %-7s %-4s %-60s %s%n", "TIME", "EVENT", "RESULT", "BY", "REFERENCE", "DETAIL");
            }
            while (batches.hasNext()) {
                for (String line : batches.next().getRecordsList()) {
                    if (cli.json()) {
                        System.out.println(line); // JSON lines, as in the audit file
                        continue;
                    }
                    JsonNode r = Json.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), "audit record");
                    System.out.printf("%-20s %-5s %-7s %-4s %-60s %s%n", seconds(text(r, "time")), text(r, "event"),
                            text(r, "decision"), text(r, "caller"), text(r, "reference"), detail(r));
                }
            }
            return 0;
        });
    }

    /** The part of a record a table has room for: a refusal's reason, else the digest and the signing key. */
    private static String detail(JsonNode r) {
        if (!text(r, "reason").isEmpty()) {
            return text(r, "reason");
        }
        String d = text(r, "manifest_digest");
        if (!text(r, "signature_key").isEmpty()) {
            d += " signed " + text(r, "signature_key");
        }
        if (!text(r, "tag_moved_from").isEmpty()) {
            d += " (tag moved from " + text(r, "tag_moved_from") + ")";
        }
        return d;
    }

    /** 2026-12-02T10:36:51.197480990Z → 2026-12-02T10:36:51Z: a table has no room for nanoseconds (-o json keeps them). */
    private static String seconds(String time) {
        int dot = time.indexOf('.');
        return dot < 0 ? time : time.substring(0, dot) + "Z";
    }

    private static String text(JsonNode r, String field) {
        JsonNode n = r.get(field);
        return n == null || !n.isString() ? "" : n.stringValue();
    }

    /** "30m" → the time 30 minutes ago; an RFC 3339 time as it is; null → all. */
    static String since(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        Matcher m = AGO.matcher(s);
        if (!m.matches()) {
            return s;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return Instant.now().minus(d).toString();
    }
}
