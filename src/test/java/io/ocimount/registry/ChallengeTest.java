package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void parsesBearerWithQuotedParams() {
        Challenge c = Challenge.preferred(Challenge.parseAll(List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\"")));
        assertEquals("bearer", c.scheme());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:samalba/my-app:pull,push", c.param("scope"));
    }

    @Test
    void prefersBearerOverBasicAcrossHeaders() {
        List<Challenge> all = Challenge.parseAll(List.of("Basic realm=\"x\"", "Bearer realm=\"https://a/t\", error=\"invalid_token\""));
        assertEquals(2, all.size());
        Challenge c = Challenge.preferred(all);
        assertEquals("bearer", c.scheme());
        assertEquals("invalid_token", c.param("error"));
        assertEquals("basic", Challenge.preferred(Challenge.parseAll(List.of("Basic realm=\"Registry Realm\""))).scheme());
        assertNull(Challenge.preferred(Challenge.parseAll(List.of("Negotiate abc"))));
    }

    @Test
    void credentialsNeverPrintSecrets() {
        Credentials c = Credentials.of("", "", "", java.util.Base64.getEncoder().encodeToString("bob:hunter2".getBytes()), "", "");
        assertEquals("bob", c.username());
        assertEquals("hunter2", c.password());
        assertEquals(-1, c.toString().indexOf("hunter2"));
    }
}
