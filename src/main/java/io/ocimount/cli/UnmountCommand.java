package io.ocimount.cli;

import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.VolumeServiceGrpc;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "unmount", aliases = "umount", mixinStandardHelpOptions = true,
        description = "Unmount an image volume by id or target path (an unknown one is not an error).")
final class UnmountCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(paramLabel = "ID|TARGET", description = "Volume id, or its target path")
    String idOrTarget;

    @Override
    public Integer call() {
        String arg = idOrTarget.startsWith("/") || idOrTarget.startsWith(".")
                ? Path.of(idOrTarget).toAbsolutePath().normalize().toString() : idOrTarget;
        return cli.withDaemon(ch -> {
            VolumeServiceGrpc.newBlockingStub(ch).unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId(arg).build());
            return 0;
        });
    }
}
