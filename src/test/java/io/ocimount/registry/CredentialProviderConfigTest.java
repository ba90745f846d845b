package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubelet's CredentialProviderConfig, YAML and JSON, read strictly: every refusal names the file and the field. */
class CredentialProviderConfigTest {
    @TempDir
    Path tmp;
    Path bin;

    static final String YAML = """
            apiVersion: kubelet.config.k8s.io/v1
            kind: CredentialProviderConfig
            providers:
              - name: ecr-credential-provider
                matchImages:
                  - "*.dkr.ecr.*.amazonaws.com"
                  - "registry.example:5000/team"
                defaultCacheDuration: "12h"
                apiVersion: credentialprovider.kubelet.k8s.io/v1
                args: [get-credentials, --verbose]
                env:
                  - name: AWS_PROFILE
                    value: node
            """;

    @BeforeEach
    void binaries() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        Path exe = Files.writeString(bin.resolve("ecr-credential-provider"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<CredentialProviderConfig.Provider> read(String text, String name) throws Exception {
        return CredentialProviderConfig.read(Files.writeString(tmp.resolve(name), text), bin);
    }

    private String refused(String text) {
        return assertThrows(OciMountException.class, () -> read(text, "bad.yaml")).getMessage();
    }

    @Test
    void readsKubeletsYaml() throws Exception {
        CredentialProviderConfig.Provider p = read(YAML, "config.yaml").get(0);
        assertEquals("ecr-credential-provider", p.name());
        assertEquals(bin.resolve("ecr-credential-provider"), p.executable());
        assertEquals(List.of("*.dkr.ecr.*.amazonaws.com", "registry.example:5000/team"), p.matchImages());
        assertEquals(Duration.ofHours(12), p.defaultCacheDuration());
        assertEquals("credentialprovider.kubelet.k8s.io/v1", p.apiVersion());
        assertEquals(List.of("get-credentials", "--verbose"), p.args());
        assertEquals(Map.of("AWS_PROFILE", "node"), p.env());
    }

    @Test
    void readsJsonToo() throws Exception {
        String json = "{\"apiVersion\":\"kubelet.config.k8s.io/v1\",\"kind\":\"CredentialProviderConfig\",\"providers\":"
                + "[{\"name\":\"ecr-credential-provider\",\"matchImages\":[\"*.example\"],\"defaultCacheDuration\":\"0s\","
                + "\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\"}]}";
        CredentialProviderConfig.Provider p = read(json, "config.json").get(0);
        assertEquals(Duration.ZERO, p.defaultCacheDuration());
        assertEquals(List.of(), p.args());
    }

    @Test
    void unknownFieldsAreRefusedWithTheirPlace() {
        String m = refused(YAML.replace("    args:", "    argz:"));
        assertTrue(m.contains("bad.yaml") && m.contains("\"providers[0].argz\" is not a known field"), m);
        m = refused(YAML + "extra: 1\n");
        assertTrue(m.contains("\"extra\" is not a known field"), m);
        m = refused(YAML.replace("      - name: AWS_PROFILE", "      - nam: AWS_PROFILE"));
        assertTrue(m.contains("\"providers[0].env[0].nam\""), m);
        m = refused(YAML + "    tokenAttributes: {serviceAccountTokenAudience: x}\n");
        assertTrue(m.contains("providers[0].tokenAttributes") && m.contains("not supported"), m);
    }

    @Test
    void aFileThatDoesNotParseIsRefusedWithoutQuotingItsText() {
        String m = refused(YAML.replace("value: node", "value: \"hunter2Secret"));
        assertTrue(m.contains("bad.yaml") && m.contains("is not valid YAML or JSON"), m);
        assertTrue(!m.contains("hunter2"), "an env value may be a secret: " + m);
    }

    @Test
    void aMissingBinaryStopsTheStart() {
        String m = refused(YAML.replace("name: ecr-credential-provider", "name: gcr-credential-provider"));
        assertTrue(m.contains("\"providers[0].name\"") && m.contains(bin.resolve("gcr-credential-provider").toString())
                && m.contains("does not exist"), m);
    }

    @Test
    void requiredFieldsAndValuesAreChecked() {
        assertTrue(refused(YAML.replace("kubelet.config.k8s.io/v1", "kubelet.config.k8s.io/v2")).contains("\"apiVersion\""));
        assertTrue(refused(YAML.replace("kind: CredentialProviderConfig", "kind: Other")).contains("\"kind\""));
        assertTrue(refused(YAML.replace("    defaultCacheDuration: \"12h\"\n", ""))
                .contains("\"providers[0].defaultCacheDuration\" is required"));
        assertTrue(refused(YAML.replace("\"12h\"", "\"12 hours\"")).contains("\"providers[0].defaultCacheDuration\""));
        assertTrue(refused(YAML.replace("\"12h\"", "\"-1h\"")).contains("must not be negative"));
        assertTrue(refused(YAML.replace("apiVersion: credentialprovider.kubelet.k8s.io/v1",
                "apiVersion: credentialprovider.kubelet.k8s.io/v2")).contains("\"providers[0].apiVersion\""));
        assertTrue(refused(YAML.replace("""
                    matchImages:
                      - "*.dkr.ecr.*.amazonaws.com"
                      - "registry.example:5000/team"
                """, "    matchImages: []\n")).contains("\"providers[0].matchImages\" must list"));
        assertTrue(refused(YAML.replace("ecr-credential-provider", "../ecr")).contains("\"providers[0].name\""));
        assertTrue(refused("apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders: []\n")
                .contains("\"providers\" must list at least one"));
        assertTrue(refused(YAML + YAML.substring(YAML.indexOf("  - name"))).contains("listed twice"));
        assertTrue(refused("providers: [").contains("not valid YAML or JSON"));
    }

    @Test
    void goDurations() {
        assertEquals(Duration.ofMinutes(90), CredentialProviderConfig.goDuration("1h30m"));
        assertEquals(Duration.ofMillis(1500), CredentialProviderConfig.goDuration("1.5s"));
        assertEquals(Duration.ofMillis(300), CredentialProviderConfig.goDuration("300ms"));
        assertEquals(Duration.ZERO, CredentialProviderConfig.goDuration("0"));
        assertEquals(Duration.ofSeconds(-5), CredentialProviderConfig.goDuration("-5s"));
        assertThrows(IllegalArgumentException.class, () -> CredentialProviderConfig.goDuration("5"));
        assertThrows(IllegalArgumentException.class, () -> CredentialProviderConfig.goDuration("5 s"));
    }
}
