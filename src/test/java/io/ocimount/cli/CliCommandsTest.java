package io.ocimount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command line builds only the subcommand it names; help and unknown words still see them all. And the client's
 * event loop ends before an exit, which would otherwise wait for it.
 */
class CliCommandsTest {
    private static final List<String> ALL = List.of("pull", "images", "inspect", "rmi", "imagefsinfo", "mount",
            "unmount", "volumes", "version", "pack", "policy", "audit");

    @Command(name = "extra")
    static final class Extra implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void theSubcommandIsTheFirstWordThatIsNoOptionOrOptionValue() {
        assertEquals("images", Cli.subcommandOf(new String[] {"images"}));
        assertEquals("pack", Cli.subcommandOf(new String[] {"--socket", "/run/x.sock", "-o", "json", "pack", "dir"}));
        assertEquals("volumes", Cli.subcommandOf(new String[] {"--socket=/x", "--output", "table", "volumes"}));
        assertNull(Cli.subcommandOf(new String[] {"--help"}));
        assertNull(Cli.subcommandOf(new String[] {"--help", "pull"}), "the top level's help, which lists every command");
        assertNull(Cli.subcommandOf(new String[] {"-V", "pack"}));
        assertEquals("pull", Cli.subcommandOf(new String[] {"pull", "--help"}), "the command's own help");
        assertNull(Cli.subcommandOf(new String[0]));
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertEquals(List.of("images"), List.copyOf(Cli.commandLine(new String[] {"images"}, Map.of()).getSubcommands()
                .keySet()));
        assertEquals(List.of("unmount", "umount"), List.copyOf(Cli.commandLine(new String[] {"umount", "x"}, Map.of())
                .getSubcommands().keySet()), "an alias builds its command, under both names");
        assertEquals(List.of("extra"), List.copyOf(Cli.commandLine(new String[] {"extra"}, Map.of("extra", Extra::new))
                .getSubcommands().keySet()));
    }

    @Test
    void withoutAKnownNameEveryCommandIsThereInHelpOrder() {
        List<String> expected = new java.util.ArrayList<>(ALL);
        expected.add(expected.indexOf("unmount") + 1, "umount");
        expected.add("extra");
        for (String[] args : new String[][] {{"--help"}, {"imagez"}, {}}) {
            CommandLine cl = Cli.commandLine(args, Map.of("extra", Extra::new));
            assertEquals(expected, List.copyOf(cl.getSubcommands().keySet()), String.join(" ", args));
        }
        assertEquals(List.copyOf(Cli.commandLine().getSubcommands().keySet()), expected.subList(0, expected.size() - 1));
    }

    /** In a JVM of its own: ending the event loop in this one would break every later test's channel. */
    @Test
    void beforeExitTheClientsEventLoopThreadEnds() throws Exception {
        assertEquals("1 0", io.ocimount.testkit.OwnJvm.run(EventLoopExitProbe.class), "event loop threads before, after");
    }

    @Test
    void anUnknownCommandIsStillAUsageErrorWithASuggestion() {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new String[] {"imagez"}, Map.of());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("imagez"));
        assertTrue(err.toString().contains("images"), err.toString());
    }
}
