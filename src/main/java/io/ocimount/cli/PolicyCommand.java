package io.ocimount.cli;

import io.ocimount.api.v1.PolicyCheckRequest;
import io.ocimount.api.v1.PolicyCheckResponse;
import io.ocimount.api.v1.PolicyGrpc;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "policy", mixinStandardHelpOptions = true, description = "The trust policy.",
        subcommands = PolicyCommand.Check.class)
final class PolicyCommand {
    @ParentCommand
    Cli cli;

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Decide whether REF may be pulled, as a pull"
            + " would, fetching no config and no layer. Exit 0 when allowed, 4 when refused.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        PolicyCommand parent;

        @Parameters(paramLabel = "REF", description = "Image reference")
        String ref;

        @Option(names = "--creds", description = "user:password for the registry (prefer a docker config.json)")
        String creds;

        @Override
        public Integer call() {
            Cli cli = parent.cli;
            PolicyCheckRequest.Builder req = PolicyCheckRequest.newBuilder().setImage(ref);
            if (creds != null) {
                req.setAuth(Cli.auth(creds));
            }
            return cli.withDaemon(ch -> {
                PolicyCheckResponse r = PolicyGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.MINUTES)
                        .check(req.build());
                if (cli.json()) {
                    System.out.println(Cli.json(r));
                } else {
                    System.out.println((r.getAllowed() ? "allowed" : "refused") + ": " + ref + " (" + r.getResolvedDigest()
                            + " from " + r.getRegistryHost() + ")");
                    System.out.println("  policy scope: " + r.getScope()
                            + (r.getRuleScope().isEmpty() ? "" : ", config rule scope: " + r.getRuleScope()));
                    if (!r.getSignatureKey().isEmpty()) {
                        System.out.println("  signature: " + r.getSignatureFormat() + " by " + r.getSignatureKey()
                                + " over " + r.getSignedDigest());
                    }
                    if (!r.getAllowed()) {
                        System.out.println("  reason (" + r.getRefusal() + "): " + r.getReason());
                    }
                }
                return r.getAllowed() ? 0 : Cli.REFUSED;
            });
        }
    }
}
