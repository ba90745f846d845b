package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimount.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The precedence: the caller's credentials when they apply, then the sources in order, then anonymous. */
class CredentialChainTest {
    private final Reference ref = Reference.parse("registry.example:5000/team/app:v1");
    private final List<String> asked = new ArrayList<>();

    private CredentialSource source(String name, Credentials answer) {
        return r -> {
            asked.add(name);
            return Optional.ofNullable(answer);
        };
    }

    private static Credentials user(String name) {
        return new Credentials("", name, "pw", "", "");
    }

    @Test
    void theCallersCredentialsWinAndNoSourceIsAsked() {
        CredentialChain chain = new CredentialChain(List.of(source("plugins", user("plugin")), source("docker", user("docker"))));
        assertEquals("caller", chain.resolve(ref, new Credentials("registry.example:5000", "caller", "pw", "", "")).username());
        assertEquals(List.of(), asked);
    }

    @Test
    void theCallersCredentialsForAnotherRegistryAreNotUsed() {
        CredentialChain chain = new CredentialChain(List.of(source("plugins", user("plugin"))));
        assertEquals("plugin", chain.resolve(ref, new Credentials("other.example", "caller", "pw", "", "")).username());
    }

    @Test
    void pluginsComeBeforeDockerConfig() {
        CredentialChain chain = new CredentialChain(List.of(source("plugins", user("plugin")), source("docker", user("docker"))));
        assertEquals("plugin", chain.resolve(ref, Credentials.NONE).username());
        assertEquals(List.of("plugins"), asked, "the docker config is not read once a plugin answered");
    }

    @Test
    void aSourceWithNothingOrEmptyCredentialsPassesToTheNext() {
        CredentialChain chain = new CredentialChain(List.of(source("plugins", null), source("empty", Credentials.NONE),
                source("docker", user("docker"))));
        assertEquals("docker", chain.resolve(ref, null).username());
        assertEquals(List.of("plugins", "empty", "docker"), asked);
    }

    @Test
    void nothingAnywhereMeansAnonymous() {
        CredentialChain chain = new CredentialChain(List.of(source("plugins", null), source("docker", null)));
        assertEquals(Credentials.NONE, chain.resolve(ref, Credentials.NONE));
    }
}
