package io.ocimount.cli;

import io.ocimount.api.v1.ImagesGrpc;
import io.ocimount.api.v1.PullProgress;
import io.ocimount.api.v1.PullRequest;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Pull an image, showing each layer's progress on stderr; prints the image id.")
final class PullCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. docker.io/library/busybox:1.36")
    String ref;

    @Option(names = "--creds", description = "user:password for the registry (prefer a docker config.json)")
    String creds;

    @Override
    public Integer call() {
        PullRequest.Builder req = PullRequest.newBuilder().setImage(ref);
        if (creds != null) {
            req.setAuth(Cli.auth(creds));
        }
        return cli.withDaemon(ch -> {
            ProgressDisplay display = new ProgressDisplay(System.err, System.console() != null);
            PullProgress last = null;
            Iterator<PullProgress> updates = ImagesGrpc.newBlockingStub(ch).pull(req.build());
            while (updates.hasNext()) {
                last = updates.next();
                display.show(last);
            }
            display.finish();
            if (last == null || !last.getDone()) {
                throw new Cli.CliException(1, "the daemon ended the pull without a result");
            }
            System.out.println(cli.json() ? Cli.json(last) : last.getImageRef());
            return 0;
        });
    }
}
