package io.ocimount.cli;

import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.MountVolumeResponse;
import io.ocimount.api.v1.PullPolicy;
import io.ocimount.api.v1.VolumeServiceGrpc;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;

@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Mount an image (or a sub path of it) read-only on TARGET; prints the volume id.")
final class MountCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Parameters(index = "0", paramLabel = "REF", description = "Image reference")
    String ref;

    @Parameters(index = "1", paramLabel = "TARGET", description = "Host path to mount on (created when missing)")
    Path target;

    @Option(names = "--sub-path", description = "Directory or file inside the image to mount instead of all of it")
    String subPath = "";

    @Option(names = "--pull-policy", description = "Always, IfNotPresent or Never (default: kubelet's rule for the tag)")
    String pullPolicy;

    @Option(names = "--id", description = "Volume id (default: the target path)")
    String id;

    @Override
    public Integer call() {
        Path abs = target.toAbsolutePath().normalize();
        String volumeId = id != null ? id : abs.toString();
        MountVolumeRequest req = MountVolumeRequest.newBuilder().setVolumeId(volumeId).setTargetPath(abs.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setImageSubPath(subPath)
                        .setReadonly(true))
                .setPullPolicy(policy(pullPolicy)).build();
        return cli.withDaemon(ch -> {
            MountVolumeResponse r = VolumeServiceGrpc.newBlockingStub(ch).mountVolume(req);
            System.out.println(volumeId);
            System.err.println("mounted " + ref + " (" + r.getImageRef() + ") on " + r.getTargetPath());
            return 0;
        });
    }

    private static PullPolicy policy(String p) {
        if (p == null) {
            return PullPolicy.PULL_POLICY_UNSPECIFIED;
        }
        return switch (p.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "")) {
            case "always" -> PullPolicy.ALWAYS;
            case "ifnotpresent" -> PullPolicy.IF_NOT_PRESENT;
            case "never" -> PullPolicy.NEVER;
            default -> throw new Cli.CliException(2, "--pull-policy must be Always, IfNotPresent or Never, not \"" + p + "\"");
        };
    }
}
