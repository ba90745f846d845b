package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** kubelet's matchImages rules (URLsMatchStr and its keyring tests), and the choice of the most specific auth key. */
class ImageGlobTest {
    @Test
    void aStarMatchesOneLabelNeverADot() {
        assertTrue(ImageGlob.matches("*.registry.io", "abc.registry.io/team/app"));
        assertFalse(ImageGlob.matches("*.registry.io", "a.b.registry.io/team/app"), "one label only");
        assertFalse(ImageGlob.matches("*.registry.io", "registry.io/team/app"), "as many labels as the glob");
        assertTrue(ImageGlob.matches("*.*.registry.io", "a.b.registry.io/x"));
        assertTrue(ImageGlob.matches("*-ecr.*.amazonaws.com", "123-ecr.eu-west-1.amazonaws.com/app"));
        assertTrue(ImageGlob.matches("123456789.dkr.ecr.*.amazonaws.com", "123456789.dkr.ecr.us-east-1.amazonaws.com/x"));
        assertFalse(ImageGlob.matches("*.registry.io", "abc.registry.com/team/app"));
        assertTrue(ImageGlob.matches("reg?.io", "reg1.io/x"));
        assertTrue(ImageGlob.matches("reg[0-9].io", "reg7.io/x"));
        assertFalse(ImageGlob.matches("reg[^0-9].io", "reg7.io/x"));
    }

    @Test
    void portsMustBeEqual() {
        assertTrue(ImageGlob.matches("registry.io:8080", "registry.io:8080/app"));
        assertFalse(ImageGlob.matches("registry.io:8080", "registry.io/app"));
        assertFalse(ImageGlob.matches("registry.io", "registry.io:8080/app"), "no port in the glob matches only no port");
        assertFalse(ImageGlob.matches("registry.io:8080", "registry.io:5000/app"));
        assertTrue(ImageGlob.matches("127.0.0.1:5000", "127.0.0.1:5000/test/img"));
    }

    @Test
    void pathsArePrefixes() {
        assertTrue(ImageGlob.matches("registry.io/team", "registry.io/team/app"));
        assertTrue(ImageGlob.matches("registry.io/team", "registry.io/teamwork/app"), "a plain text prefix, as kubelet");
        assertFalse(ImageGlob.matches("registry.io/team", "registry.io/other/app"));
        assertTrue(ImageGlob.matches("registry.io", "registry.io/anything/at/all"));
        assertFalse(ImageGlob.matches("registry.io/team/app/deeper", "registry.io/team/app"));
    }

    @Test
    void theMostSpecificAuthKeyWins() {
        List<String> keys = List.of("registry.io", "registry.io/team", "registry.io/team/app", "*.registry.io", "other.io");
        assertEquals(Optional.of("registry.io/team/app"), ImageGlob.mostSpecific(keys, "registry.io/team/app"));
        assertEquals(Optional.of("registry.io/team"), ImageGlob.mostSpecific(keys, "registry.io/team/db"));
        assertEquals(Optional.of("registry.io"), ImageGlob.mostSpecific(keys, "registry.io/x"));
        assertEquals(Optional.of("*.registry.io"), ImageGlob.mostSpecific(keys, "eu.registry.io/x"));
        assertEquals(Optional.empty(), ImageGlob.mostSpecific(keys, "elsewhere.io/x"));
        assertEquals(Optional.of("https://registry.io/"), ImageGlob.mostSpecific(List.of("https://registry.io/"), "registry.io/x"),
                "a scheme and a bare / are dropped as kubelet's keyring does");
    }

    @Test
    void dockerHubsLegacyKeyAppliesToDockerIoImages() {
        List<String> keys = List.of("https://index.docker.io/v1/");
        assertEquals(Optional.of("https://index.docker.io/v1/"), ImageGlob.mostSpecific(keys, "docker.io/library/busybox"));
        assertEquals(Optional.empty(), ImageGlob.mostSpecific(keys, "quay.io/library/busybox"));
    }
}
