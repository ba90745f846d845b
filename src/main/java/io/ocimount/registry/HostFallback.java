package io.ocimount.registry;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Asks the hosts of a namespace in order (mirrors first, then the upstream): a host that lacks the content or
 * cannot be reached passes the request on; any other failure (auth, verification) stops at once.
 */
final class HostFallback {
    private HostFallback() {
    }

    static <T> T firstAnswer(List<RegistryHost> hosts, Predicate<RegistryHost> eligible, Function<RegistryHost, T> call,
                             String noHostMessage) {
        OciMountException last = null;
        for (RegistryHost host : hosts) {
            if (!eligible.test(host)) {
                continue;
            }
            try {
                return call.apply(host);
            } catch (OciMountException e) {
                if (e.kind() != ErrorKind.NOT_FOUND && e.kind() != ErrorKind.UNAVAILABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last != null ? last : OciMountException.notFound(noHostMessage);
    }
}
