package io.ocimount.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import runtime.v1.Image;
import runtime.v1.ImageFilter;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ListImagesRequest;

@Command(name = "images", mixinStandardHelpOptions = true, description = "List images (optionally of one repository).")
final class ImagesCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(paramLabel = "FILTER", arity = "0..1", description = "A repository, reference or id")
    String filter = "";

    @Override
    public Integer call() {
        return cli.withDaemon(ch -> {
            var resp = ImageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listImages(ListImagesRequest.newBuilder().setFilter(ImageFilter.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(filter))).build());
            if (cli.json()) {
                System.out.println(Cli.json(resp));
                return 0;
            }
            System.out.printf("%-60s %-15s %s%n", "IMAGE", "ID", "SIZE");
            for (Image i : resp.getImagesList()) {
                String name = !i.getRepoTagsList().isEmpty() ? String.join(",", i.getRepoTagsList())
                        : i.getRepoDigestsCount() > 0 ? i.getRepoDigests(0) : "<none>";
                System.out.printf("%-60s %-15s %s%n", name, i.getId().substring(7, 19), i.getSize());
            }
            return 0;
        });
    }
}
