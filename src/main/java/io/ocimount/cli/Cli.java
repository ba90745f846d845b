package io.ocimount.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.config.Version;
import io.ocimount.errdefs.OciMountException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ocimount command line. Every command but {@code pack} talks to the daemon over its socket; none reads the
 * store itself.
 * Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 refused, 5 daemon or registry unavailable.
 */
@Command(name = "ocimount", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "OCI images and image volumes for Linux nodes.")
public final class Cli {
    /**
     * The subcommands, in the order help lists them, under their names and aliases. Only the one a command line
     * names is built: picocli reads each command's annotations by reflection, and building all of them took
     * 80-100 ms of a short command's run.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("pull", PullCommand::new);
        COMMANDS.put("images", ImagesCommand::new);
        COMMANDS.put("inspect", InspectCommand::new);
        COMMANDS.put("rmi", RmiCommand::new);
        COMMANDS.put("imagefsinfo", ImageFsInfoCommand::new);
        COMMANDS.put("mount", MountCommand::new);
        COMMANDS.put("unmount", UnmountCommand::new);
        COMMANDS.put("umount", UnmountCommand::new);
        COMMANDS.put("volumes", VolumesCommand::new);
        COMMANDS.put("version", VersionCommand::new);
        COMMANDS.put("pack", PackCommand::new);
        COMMANDS.put("policy", PolicyCommand::new);
        COMMANDS.put("audit", AuditCommand::new);
    }

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

    /** Every subcommand: for help, tests and anything that runs several command lines. */
    public static CommandLine commandLine() {
        return commandLine(null, Map.of());
    }

    /**
     * The command line for {@code args}, with only the subcommand they name, or every one when they name none
     * known (help, a typo: picocli then lists or suggests them all). {@code more} adds the entry point's own
     * subcommands (the daemon), built the same way.
     */
    public static CommandLine commandLine(String[] args, Map<String, Supplier<Object>> more) {
        CommandLine cl = new CommandLine(new Cli());
        Map<String, Supplier<Object>> all = new LinkedHashMap<>(COMMANDS);
        all.putAll(more);
        String named = args == null ? null : subcommandOf(args);
        if (named != null && all.containsKey(named)) {
            cl.addSubcommand(all.get(named).get());
        } else {
            java.util.Set<Class<?>> added = new java.util.HashSet<>();
            for (Supplier<Object> command : all.values()) {
                Object c = command.get();
                if (added.add(c.getClass())) { // an alias names a command already added
                    cl.addSubcommand(c);
                }
            }
        }
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

    /**
     * The first word that is not an option or the value of --socket or --output: the subcommand's name; none when
     * help or the version is asked for before it (the top level's help lists every command).
     */
    static String subcommandOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--socket") || a.equals("-o") || a.equals("--output")) {
                i++;
            } else if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return null;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
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
