package io.ocimount.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import runtime.v1.AuthConfig;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.PullImageRequest;
import runtime.v1.PullImageResponse;

@Command(name = "pull", mixinStandardHelpOptions = true, description = "Pull an image and print its id.")
final class PullCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(paramLabel = "REF", description = "Image reference, e.g. docker.io/library/busybox:1.36")
    String ref;

    @Option(names = "--creds", description = "user:password for the registry (prefer a docker config.json)")
    String creds;

    @Override
    public Integer call() {
        PullImageRequest.Builder req = PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref));
        if (creds != null) {
            int colon = creds.indexOf(':');
            req.setAuth(AuthConfig.newBuilder().setUsername(colon < 0 ? creds : creds.substring(0, colon))
                    .setPassword(colon < 0 ? "" : creds.substring(colon + 1)));
        }
        return cli.withDaemon(ch -> {
            PullImageResponse resp = ImageServiceGrpc.newBlockingStub(ch).pullImage(req.build());
            System.out.println(resp.getImageRef());
            return 0;
        });
    }
}
