package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimount.testkit.OwnJvm;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout goes into the JDK's own property, unless the operator already set that with -D; and a process
 * about to exit can end the clients' selector threads, which the JVM's exit would wait 300 ms for.
 */
class HttpClientsTest {
    private static final String PROPERTY = HttpClients.KEEP_ALIVE_PROPERTY;
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, saved);
        }
    }

    @Test
    void theIdleTimeoutIsSetWhenNobodySetTheProperty() {
        System.clearProperty(PROPERTY);
        new HttpClients(Duration.ofSeconds(7));
        assertEquals("7", System.getProperty(PROPERTY));
    }

    /** In a JVM of its own: the interrupt would end the selectors of every other test's clients too. */
    @Test
    void beforeExitEveryClientsSelectorThreadEnds() throws Exception {
        assertEquals("200 1 0", OwnJvm.run(SelectorExitProbe.class), "status, selector threads before, after");
    }

    @Test
    void theOperatorsPropertyWins() {
        System.setProperty(PROPERTY, "600");
        new HttpClients(Duration.ofSeconds(7));
        assertEquals("600", System.getProperty(PROPERTY));
    }
}
