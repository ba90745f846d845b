package io.ocimount.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.RemoveImageRequest;

@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove an image with all its names.")
final class RmiCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(paramLabel = "IMAGE", description = "Reference, digest reference or id")
    String image;

    @Override
    public Integer call() {
        return cli.withDaemon(ch -> {
            var stub = ImageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            var status = stub.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
            if (!status.hasImage()) {
                throw new Cli.CliException(Cli.NOT_FOUND, "no such image \"" + image + "\"");
            }
            stub.removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build());
            status.getImage().getRepoTagsList().forEach(t -> System.out.println("Deleted: " + t));
            if (status.getImage().getRepoTagsCount() == 0) {
                System.out.println("Deleted: " + status.getImage().getId());
            }
            return 0;
        });
    }
}
