package io.ocimount.cli;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
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
    public Integer call() throws Exception {
        ManagedChannel ch = cli.channel();
        try {
            var resp = ImageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
            System.out.println(JsonFormat.printer().print(resp));
            return 0;
        } finally {
            ch.shutdownNow();
        }
    }
}
