package io.ocimount.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.ImageStatusResponse;

@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show one image as JSON.")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(paramLabel = "IMAGE", description = "Reference, digest reference or id")
    String image;

    @Override
    public Integer call() {
        return cli.withDaemon(ch -> {
            ImageStatusResponse resp = ImageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image))
                            .setVerbose(true).build());
            if (!resp.hasImage()) {
                throw new Cli.CliException(Cli.NOT_FOUND, "no such image \"" + image + "\"");
            }
            System.out.println(Cli.json(resp));
            return 0;
        });
    }
}
