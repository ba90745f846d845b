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
            if (cli.json()) {
                System.out.println(Cli.json(resp));
                return 0;
            }
            System.out.printf("%-30s %-15s %s%n", "MOUNTPOINT", "USED BYTES", "INODES");
            for (var fs : resp.getImageFilesystemsList()) {
                System.out.printf("%-30s %-15d %d%n", fs.getFsId().getMountpoint(), fs.getUsedBytes().getValue(),
                        fs.getInodesUsed().getValue());
            }
            return 0;
        });
    }
}
