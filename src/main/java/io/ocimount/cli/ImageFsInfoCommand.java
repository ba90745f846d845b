package io.ocimount.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import runtime.v1.ImageFsInfoRequest;
import runtime.v1.ImageServiceGrpc;

@Command(name = "imagefsinfo", mixinStandardHelpOptions = true, description = "Show the store's used bytes and inodes.")
final class ImageFsInfoCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        return cli.withDaemon(ch -> {
            var resp = ImageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
            System.out.println(Cli.json(resp));
            return 0;
        });
    }
}
