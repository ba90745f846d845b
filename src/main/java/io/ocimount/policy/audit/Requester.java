package io.ocimount.policy.audit;

/**
 * Who asked for a pull or mount, as audit records name them.
 *
 * @param caller     "CRI" (kubelet or crictl), "CLI" (ocimount's own API, which its CLI drives) or "CSI" (kubelet's
 *                   NodePublishVolume)
 * @param pullPolicy Always, IfNotPresent or Never for a mount; empty for a CRI or CLI pull
 */
public record Requester(String caller, String volumeId, String target, String podNamespace, String podName,
                        String podUid, String podServiceAccount, String pullPolicy) {
    public static final Requester CRI = of("CRI");
    public static final Requester CLI = of("CLI");

    public Requester {
        volumeId = orEmpty(volumeId);
        target = orEmpty(target);
        podNamespace = orEmpty(podNamespace);
        podName = orEmpty(podName);
        podUid = orEmpty(podUid);
        podServiceAccount = orEmpty(podServiceAccount);
        pullPolicy = orEmpty(pullPolicy);
    }

    private static Requester of(String caller) {
        return new Requester(caller, "", "", "", "", "", "", "");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
