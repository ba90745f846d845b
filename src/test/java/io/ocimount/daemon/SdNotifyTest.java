package io.ocimount.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.sys.SysException;
import io.ocimount.sys.UnixDatagram;
import io.ocimount.testkit.NotifyListener;
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

    @Test
    void readyAndStoppingReachASocketAtAPath() throws Exception {
        String path = tmp.resolve("notify.sock").toString();
        try (NotifyListener systemd = NotifyListener.start(path, tmp.resolve("got"));
             SdNotify n = new SdNotify(path)) {
            n.ready("serving");
            n.stopping();
            List<String> got = systemd.await(2);
            assertTrue(got.get(0).startsWith("READY=1 STATUS=serving MAINPID=" + ProcessHandle.current().pid()), got::toString);
            assertEquals("STOPPING=1", got.get(1));
        }
    }

    @Test
    void anAbstractNameIsSentWithoutATrailingNul() throws Exception {
        String name = "@ocimount-test-" + UUID.randomUUID();
        try (NotifyListener systemd = NotifyListener.start(name, tmp.resolve("got"))) {
            UnixDatagram.send(name, "WATCHDOG=1".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("WATCHDOG=1"), systemd.await(1), "the listener bound the name without a NUL: it matched");
        }
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
