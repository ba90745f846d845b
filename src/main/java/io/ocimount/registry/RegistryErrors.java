package io.ocimount.registry;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** Turns a registry's non-success answer into an error naming the status and the registry's own error codes. */
final class RegistryErrors {
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private RegistryErrors() {
    }

    static OciMountException of(String what, HttpResponse<InputStream> resp) {
        int status = resp.statusCode();
        String detail = readDetail(resp);
        String message = what + ": registry answered " + status + (detail.isEmpty() ? "" : " (" + detail + ")");
        ErrorKind kind = switch (status) {
            case 404 -> ErrorKind.NOT_FOUND;
            case 403 -> ErrorKind.PERMISSION_DENIED;
            case 400, 405, 406, 416 -> ErrorKind.INVALID_ARGUMENT;
            default -> ErrorKind.UNAVAILABLE;
        };
        return new OciMountException(kind, message);
    }

    private static String readDetail(HttpResponse<InputStream> resp) {
        try (InputStream in = resp.body()) {
            byte[] body = in.readNBytes(MAX_ERROR_BODY);
            if (body.length == 0) {
                return "";
            }
            try {
                JsonNode root = Json.parse(body, "error body");
                StringBuilder sb = new StringBuilder();
                for (JsonNode e : root.path("errors")) {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    sb.append(e.path("code").asString("")).append(": ").append(e.path("message").asString(""));
                }
                return sb.toString();
            } catch (OciMountException notJson) {
                String text = new String(body, StandardCharsets.UTF_8).strip();
                return text.length() > 200 ? text.substring(0, 200) + "…" : text;
            }
        } catch (IOException e) {
            return "";
        }
    }
}
