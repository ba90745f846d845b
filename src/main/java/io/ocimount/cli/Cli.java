package io.ocimount.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.config.Version;
import io.ocimount.errdefs.OciMountException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ocimount command line. Every command but {@code pack} talks to the daemon over its socket; none reads the
 * store itself.
 * Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 refused, 5 daemon or registry unavailable.
 */
@Command(name = "ocimount", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "OCI images and image volumes for Linux nodes.",
        subcommands = {PullCommand.class, ImagesCommand.class, InspectCommand.class, RmiCommand.class,
                ImageFsInfoCommand.class, MountCommand.class, UnmountCommand.class, VolumesCommand.class,
                VersionCommand.class, PackCommand.class, PolicyCommand.class, AuditCommand.class})
public final class Cli {
    public static final int NOT_FOUND = 3;
    public static final int REFUSED = 4;
    public static final int UNAVAILABLE = 5;

    @Option(names = "--socket", scope = CommandLine.ScopeType.INHERIT,
            description = "Daemon socket (default /run/ocimount/ocimount.sock).")
    Path socket;

    public static final Path DEFAULT_SOCKET = Path.of("/run/ocimount/ocimount.sock");

    /** How results are printed. */
    public enum Output { table, json }

    @Option(names = {"-o", "--output"}, scope = CommandLine.ScopeType.INHERIT,
            description = "table or json (default table).")
    Output output = Output.table;

    boolean json() {
        return output == Output.json;
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof StatusRuntimeException s) {
                cmd.getErr().println("ocimount: " + s.getStatus().getCode() + ": " + s.getStatus().getDescription());
                return exitCode(s);
            }
            if (e instanceof OciMountException o) { // commands that work without the daemon
                cmd.getErr().println("ocimount: " + o.getMessage());
                return exitCode(Status.Code.valueOf(o.kind().name()));
            }
            if (e instanceof CliException c) {
                cmd.getErr().println("ocimount: " + c.getMessage());
                return c.exitCode;
            }
            cmd.getErr().println("ocimount: " + e);
            return 1;
        });
        return cl;
    }

    static int exitCode(StatusRuntimeException s) {
        return exitCode(s.getStatus().getCode());
    }

    static int exitCode(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> NOT_FOUND;
            case INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION, UNAUTHENTICATED, DATA_LOSS -> REFUSED;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
            default -> 1;
        };
    }

    /** The CRI AuthConfig of a {@code --creds user:password} option (a user alone: an empty password). */
    static runtime.v1.AuthConfig auth(String creds) {
        int colon = creds.indexOf(':');
        return runtime.v1.AuthConfig.newBuilder().setUsername(colon < 0 ? creds : creds.substring(0, colon))
                .setPassword(colon < 0 ? "" : creds.substring(colon + 1)).build();
    }

    /** protojson, the format crictl prints. */
    static String json(com.google.protobuf.MessageOrBuilder message) {
        try {
            return com.google.protobuf.util.JsonFormat.printer().print(message);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("print " + message.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code call} on a fresh channel to the daemon, closed afterwards. */
    <T> T withDaemon(java.util.function.Function<ManagedChannel, T> call) {
        ManagedChannel ch = DaemonChannel.open(socket != null ? socket : DEFAULT_SOCKET);
        try {
            return call.apply(ch);
        } finally {
            ch.shutdownNow();
        }
    }

    /** A CLI failure with its exit code. */
    static final class CliException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        CliException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ocimount " + Version.VERSION};
        }
    }
}
