package io.ocimount.cli;

import io.ocimount.api.v1.ListVolumesRequest;
import io.ocimount.api.v1.ListVolumesResponse;
import io.ocimount.api.v1.Volume;
import io.ocimount.api.v1.VolumeServiceGrpc;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "volumes", mixinStandardHelpOptions = true, description = "List mounted image volumes.")
final class VolumesCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        return cli.withDaemon(ch -> {
            ListVolumesResponse r = VolumeServiceGrpc.newBlockingStub(ch).listVolumes(ListVolumesRequest.getDefaultInstance());
            if (cli.json()) {
                System.out.println(Cli.json(r));
                return 0;
            }
            System.out.printf("%-30s %-40s %-20s %s%n", "VOLUME", "IMAGE", "SUB PATH", "TARGET");
            for (Volume v : r.getVolumesList()) {
                System.out.printf("%-30s %-40s %-20s %s%n", v.getVolumeId(), v.getImage(), v.getSubPath(), v.getTargetPath());
            }
            return 0;
        });
    }
}
