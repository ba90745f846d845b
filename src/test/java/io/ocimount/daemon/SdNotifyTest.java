package io.ocimount.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.sys.SysException;
import io.ocimount.sys.UnixDatagram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify datagrams reach a socket bound at a path and one in the abstract namespace, as systemd uses both. */
class SdNotifyTest {
    @TempDir
    Path tmp;

    /** A datagram listener standing in for systemd: prints each message it gets on a line of its own. */
    private Process listener(String address, int messages) throws Exception {
        String py = "import socket,sys\na=sys.argv[1]\na='\\0'+a[1:] if a.startswith('@') else a\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(a)\nprint('up',flush=True)\n"
                + "for _ in range(int(sys.argv[2])):\n  print(s.recv(4096).decode().replace('\\n',' '),flush=True)\n";
        Process p = new ProcessBuilder("python3", "-c", py, address, String.valueOf(messages)).start();
        if (!"up".equals(p.inputReader().readLine())) {
            throw new AssertionError("listener: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return p;
    }

    private static List<String> received(Process p) throws Exception {
        List<String> lines = p.inputReader().lines().toList();
        assertEquals(0, p.waitFor());
        return lines;
    }

    @Test
    void readyAndStoppingReachASocketAtAPath() throws Exception {
        String path = tmp.resolve("notify.sock").toString();
        Process p = listener(path, 2);
        try (SdNotify n = new SdNotify(path)) {
            n.ready("serving");
            n.stopping();
        }
        List<String> got = received(p);
        assertTrue(got.get(0).startsWith("READY=1 STATUS=serving MAINPID=" + ProcessHandle.current().pid()), got::toString);
        assertEquals("STOPPING=1", got.get(1));
    }

    @Test
    void anAbstractNameIsSentWithoutATrailingNul() throws Exception {
        String name = "@ocimount-test-" + UUID.randomUUID();
        Process p = listener(name, 1);
        UnixDatagram.send(name, "WATCHDOG=1".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("WATCHDOG=1"), received(p), "the listener bound the name without a NUL: it matched exactly");
    }

    @Test
    void aSocketThatIsGoneIsAnErrorForTheCallerAndOnlyALogLineForSdNotify() throws Exception {
        String missing = tmp.resolve("gone.sock").toString();
        SysException e = assertThrows(SysException.class, () -> UnixDatagram.send(missing, new byte[] {'x'}));
        assertTrue(e.getMessage().startsWith("sendto " + missing + ": No such file or directory"), e::getMessage);
        try (SdNotify n = new SdNotify(missing)) {
            n.ready("serving"); // systemd gone: the daemon goes on
        }
        assertTrue(Files.notExists(Path.of(missing)));
    }

    @Test
    void anAddressLongerThanSunPathIsRefusedBeforeAnySocketIsOpened() {
        SysException e = assertThrows(SysException.class, () -> UnixDatagram.send("/" + "x".repeat(107), new byte[] {'x'}));
        assertTrue(e.getMessage().contains("at most 107 bytes"), e::getMessage);
    }
}
