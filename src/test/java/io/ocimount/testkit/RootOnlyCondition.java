package io.ocimount.testkit;

import io.ocimount.sys.Syscalls;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test tagged "native" (real mounts, device nodes, owners, a registry and the daemon as root) when the JVM
 * does not run as root, saying why, so a user's run of the test command reports those as skipped instead of
 * failing. Registered for every test through META-INF/services and junit-platform.properties.
 */
public final class RootOnlyCondition implements ExecutionCondition {
    static final String NATIVE = "native";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!context.getTags().contains(NATIVE)) {
            return ConditionEvaluationResult.enabled("not a root-only test");
        }
        if (Syscalls.isRoot()) {
            return ConditionEvaluationResult.enabled("running as root");
        }
        String why = "needs root (tagged \"native\": real mounts, device nodes and owners in a private mount namespace); "
                + "run native-tests/run.sh as root, or pass -DskipNative=true to leave these out";
        // the reports keep the reason; the console only counts skips, so it is said there too
        System.err.println("skipped " + context.getDisplayName() + ": " + why);
        return ConditionEvaluationResult.disabled("skipped: " + why);
    }
}
