package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The idle timeout goes into the JDK's own property, unless the operator already set that with -D. */
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

    @Test
    void theOperatorsPropertyWins() {
        System.setProperty(PROPERTY, "600");
        new HttpClients(Duration.ofSeconds(7));
        assertEquals("600", System.getProperty(PROPERTY));
    }
}
