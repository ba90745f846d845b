package io.ocimount.policy;

import io.ocimount.policy.signature.TrustedKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * containers-policy.json read strictly: every supported requirement and identity is read with its keys, every
 * unsupported or unknown thing is refused with the file and the JSON path, and the most specific scope alone applies.
 */
class ContainersPolicyTest {
    static final String FILE = "/etc/containers/policy.json";
    @TempDir
    Path tmp;
    KeyPair ec;
    KeyPair ed;
    KeyPair rsa;
    Path ecFile;
    Path edFile;

    @BeforeEach
    void keys() throws Exception {
        ec = TestKeys.ec("secp256r1");
        ed = TestKeys.of("Ed25519", 0);
        rsa = TestKeys.of("RSA", 2048);
        ecFile = Files.writeString(tmp.resolve("ec.pub"), TestKeys.publicPem(ec));
        edFile = Files.writeString(tmp.resolve("ed.pub"), TestKeys.publicPem(ed));
    }

    static String data(KeyPair pair) {
        return Base64.getEncoder().encodeToString(TestKeys.publicPem(pair).getBytes(StandardCharsets.US_ASCII));
    }

    static ContainersPolicy parse(String json) {
        return ContainersPolicy.parse(json.getBytes(StandardCharsets.UTF_8), FILE);
    }

    static String refused(String json) {
        String m = assertThrows(OciMountException.class, () -> parse(json)).getMessage();
        assertTrue(m.startsWith("policy " + FILE + ": "), m);
        return m;
    }

    /** A policy whose default rejects and whose only scope holds {@code requirement}. */
    static String scoped(String requirement) {
        return "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"quay.io/x\":[" + requirement + "]}}}";
    }

    static String sigstore(String rest) {
        return "{\"type\":\"sigstoreSigned\"," + rest + "}";
    }

    String full() {
        return """
                {
                  "default": [{"type": "reject"}],
                  "transports": {
                    "docker": {
                      "": [{"type": "insecureAcceptAnything"}],
                      "quay.io/org": [{"type": "sigstoreSigned", "keyPath": "%s",
                                       "signedIdentity": {"type": "matchRepository"}}],
                      "quay.io/org/app": [{"type": "sigstoreSigned", "keyPaths": ["%s", "%s"],
                                           "signedIdentity": {"type": "exactRepository", "dockerRepository": "busybox"}}],
                      "quay.io/org/app:v1": [{"type": "insecureAcceptAnything"}],
                      "registry.example.com:5000": [{"type": "sigstoreSigned", "keyData": "%s"}],
                      "*.example.com": [{"type": "sigstoreSigned", "keyDatas": ["%s", "%s"],
                                         "signedIdentity": {"type": "matchExact"}},
                                        {"type": "sigstoreSigned", "keyPath": "%s",
                                         "signedIdentity": {"type": "matchRepoDigestOrExact"}}],
                      "docker.io/library/busybox": [{"type": "reject"}]
                    }
                  }
                }
                """.formatted(ecFile, ecFile, edFile, data(ed), data(ec), data(rsa), edFile);
    }

    static ContainersPolicy.Scoped scope(ContainersPolicy p, String ref) {
        return p.requirementsFor(Reference.parse(ref));
    }

    static Requirement.SigstoreSigned sigstoreOf(ContainersPolicy.Scoped s, int i) {
        return assertInstanceOf(Requirement.SigstoreSigned.class, s.requirements().get(i));
    }

    static void sameKey(KeyPair pair, TrustedKey key) {
        assertArrayEquals(pair.getPublic().getEncoded(), key.key().getEncoded());
        assertEquals(TrustedKey.fingerprintOf(pair.getPublic()), key.fingerprint());
    }

    @Test
    void keyPathLoadsTheFileAndMatchRepository() {
        ContainersPolicy.Scoped s = scope(parse(full()), "quay.io/org/tools:3");
        assertEquals("quay.io/org", s.scope());
        Requirement.SigstoreSigned r = sigstoreOf(s, 0);
        assertEquals(1, r.keys().size());
        sameKey(ec, r.keys().get(0));
        assertEquals(ecFile.toString(), r.keys().get(0).source());
        assertInstanceOf(MatchRepository.class, r.identity());
    }

    @Test
    void keyPathsLoadsEveryFileAndExactRepositoryIsNormalised() {
        ContainersPolicy.Scoped s = scope(parse(full()), "quay.io/org/app:v2");
        assertEquals("quay.io/org/app", s.scope());
        Requirement.SigstoreSigned r = sigstoreOf(s, 0);
        assertEquals(2, r.keys().size());
        sameKey(ec, r.keys().get(0));
        sameKey(ed, r.keys().get(1));
        assertEquals(edFile.toString(), r.keys().get(1).source());
        assertEquals(new ExactRepository("docker.io/library/busybox"), r.identity());
    }

    @Test
    void keyDataIsBase64OfPemAndNoIdentityMeansMatchRepoDigestOrExact() {
        ContainersPolicy.Scoped s = scope(parse(full()), "registry.example.com:5000/team/app@" + ScopesTest.DIGEST);
        assertEquals("registry.example.com:5000", s.scope());
        Requirement.SigstoreSigned r = sigstoreOf(s, 0);
        sameKey(ed, r.keys().get(0));
        assertTrue(r.keys().get(0).source().contains("keyData"), r.keys().get(0).source());
        assertInstanceOf(MatchRepoDigestOrExact.class, r.identity());
    }

    @Test
    void keyDatasLoadEveryKeyAndEveryRequirementOfTheScopeIsKept() {
        ContainersPolicy.Scoped s = scope(parse(full()), "a.b.example.com/x:1");
        assertEquals("*.example.com", s.scope());
        assertEquals(2, s.requirements().size());
        Requirement.SigstoreSigned first = sigstoreOf(s, 0);
        sameKey(ec, first.keys().get(0));
        sameKey(rsa, first.keys().get(1));
        assertTrue(first.keys().get(1).source().endsWith("keyDatas[1]"), first.keys().get(1).source());
        assertInstanceOf(MatchExact.class, first.identity());
        Requirement.SigstoreSigned second = sigstoreOf(s, 1);
        sameKey(ed, second.keys().get(0));
        assertInstanceOf(MatchRepoDigestOrExact.class, second.identity());
    }

    @Test
    void theMostSpecificScopeAloneApplies() {
        ContainersPolicy p = parse(full());
        assertEquals(new ContainersPolicy.Scoped("quay.io/org/app:v1", List.of(new Requirement.AcceptAnything())),
                scope(p, "quay.io/org/app:v1"));
        assertEquals("quay.io/org/app", scope(p, "quay.io/org/app@" + ScopesTest.DIGEST).scope());
        assertEquals(new ContainersPolicy.Scoped("docker.io/library/busybox", List.of(new Requirement.Reject())),
                scope(p, "busybox:1.36"));
        assertEquals("*.example.com", scope(p, "registry.example.com/x:1").scope());
    }

    @Test
    void theTransportDefaultThenTheGlobalDefaultApply() {
        ContainersPolicy p = parse(full());
        assertEquals(new ContainersPolicy.Scoped("", List.of(new Requirement.AcceptAnything())), scope(p, "ghcr.io/x:1"));
        ContainersPolicy noTransportDefault = parse(scoped("{\"type\":\"insecureAcceptAnything\"}"));
        assertEquals(new ContainersPolicy.Scoped("default", List.of(new Requirement.Reject())),
                scope(noTransportDefault, "ghcr.io/x:1"));
        assertEquals("default", scope(noTransportDefault, "quay.io/xy:1").scope());
        assertEquals("quay.io/x", scope(noTransportDefault, "quay.io/x/y:1").scope());
    }

    @Test
    void emptyTransportsAreAllowed() {
        assertEquals("default", scope(parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{}}"), "busybox").scope());
        assertEquals("default", scope(parse("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{}}}"),
                "busybox").scope());
    }

    @Test
    void acceptAnythingIsThePolicyWhenNoneIsConfigured() {
        assertEquals(new ContainersPolicy.Scoped("default", List.of(new Requirement.AcceptAnything())),
                ContainersPolicy.acceptAnything().requirementsFor(Reference.parse("quay.io/any/thing:1")));
    }

    @Test
    void loadReadsTheFileAndNamesItWhenItIsMissing() throws Exception {
        Path file = Files.writeString(tmp.resolve("policy.json"), full());
        assertEquals("quay.io/org", ContainersPolicy.load(file).requirementsFor(Reference.parse("quay.io/org/a:1")).scope());
        Path missing = tmp.resolve("nope.json");
        String m = assertThrows(OciMountException.class, () -> ContainersPolicy.load(missing)).getMessage();
        assertEquals("policy " + missing + ": does not exist", m);
        Files.writeString(file, "{\"default\":[]}");
        m = assertThrows(OciMountException.class, () -> ContainersPolicy.load(file)).getMessage();
        assertEquals("policy " + file + ": default: must not be an empty list", m);
    }

    @Test
    void theBriefsExampleMessage() {
        assertEquals("policy " + FILE + ": transports.docker.\"quay.io/x\"[0].type: \"signedBy\" is not supported by"
                        + " ocimount (only insecureAcceptAnything, reject, sigstoreSigned with public keys)",
                assertThrows(OciMountException.class, () -> parse(scoped(
                        "{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/k.gpg\"}"))).getMessage());
    }

    @Test
    void topLevelIsStrict() {
        assertTrue(refused("{\"default\":[{\"type\":\"reject\"}],\"defualt\":[]}").endsWith(": defualt: is not a known field"));
        assertTrue(refused("{\"transports\":{}}").endsWith(": default: is required (a list of requirements)"));
        assertTrue(refused("{\"default\":[]}").endsWith(": default: must not be an empty list"));
        assertTrue(refused("{\"default\":{\"type\":\"reject\"}}").endsWith(": default: must be a list of requirements, not an object"));
        assertTrue(refused("{\"default\":null}").endsWith(": default: must be a list of requirements, not null"));
        assertTrue(refused("{\"default\":[{\"type\":\"reject\"}],\"transports\":[]}").endsWith(": transports: must be an object, not a list"));
        assertTrue(refused("[]").endsWith(": (top level): must be an object, not a list"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-daemon", "atomic", "containers-storage", "dir", "oci"})
    void otherTransportsAreRefusedByName(String transport) {
        String m = refused("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{},\"" + transport
                + "\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}");
        assertTrue(m.contains(": transports." + transport + ": the \"" + transport + "\" transport is not supported by ocimount"), m);
    }

    @Test
    void scopesAreCheckedAndEmptyListsRefused() {
        String m = refused("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"busybox\":[{\"type\":\"reject\"}]}}}");
        assertTrue(m.contains(": transports.docker.\"busybox\": is not a valid scope: not fully qualified"), m);
        assertTrue(m.contains("\"docker.io/library/busybox\""), m);
        assertTrue(refused(scoped("")).endsWith(": transports.docker.\"quay.io/x\": must not be an empty list"));
        assertTrue(refused("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"quay.io/x\":{}}}}")
                .endsWith(": transports.docker.\"quay.io/x\": must be a list of requirements, not an object"));
        assertTrue(refused("{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":[]}}")
                .endsWith(": transports.docker: must be an object, not a list"));
    }

    @Test
    void requirementsAreStrict() {
        assertTrue(refused("{\"default\":[\"reject\"]}").endsWith(": default[0]: must be an object, not a string"));
        assertTrue(refused("{\"default\":[{}]}").endsWith(": default[0].type: is required (a string)"));
        assertTrue(refused("{\"default\":[{\"type\":1}]}").endsWith(": default[0].type: must be a string, not a number"));
        assertTrue(refused("{\"default\":[{\"type\":\"reject\"},{\"type\":\"acceptAll\"}]}")
                .endsWith(": default[1].type: \"acceptAll\" is not a requirement type (only insecureAcceptAnything, reject,"
                        + " sigstoreSigned with public keys)"));
        assertTrue(refused("{\"default\":[{\"type\":\"reject\",\"keyPath\":\"/k\"}]}").endsWith(": default[0].keyPath: is not a known field"));
        assertTrue(refused("{\"default\":[{\"type\":\"insecureAcceptAnything\",\"x\":true}]}").endsWith(": default[0].x: is not a known field"));
        assertTrue(refused(scoped("{\"type\":\"signedBaseLayer\"}")).contains("[0].type: \"signedBaseLayer\" is not supported by ocimount"));
    }

    @Test
    void sigstoreSignedUnknownFieldsAreRefused() {
        assertTrue(refused(scoped(sigstore("\"keyPth\":\"/k.pub\""))).endsWith("\"quay.io/x\"[0].keyPth: is not a known field"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fulcio", "pki"})
    void keylessIsRefused(String field) {
        String m = refused(scoped(sigstore("\"" + field + "\":{\"caPath\":\"/ca.pem\"}")));
        assertTrue(m.contains("\"quay.io/x\"[0]." + field + ": keyless signatures (Fulcio or PKI certificates) are not supported"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rekorPublicKeyPath", "rekorPublicKeyPaths", "rekorPublicKeyData", "rekorPublicKeyDatas"})
    void rekorIsRefused(String field) {
        String m = refused(scoped(sigstore("\"keyPath\":\"" + ecFile + "\",\"" + field + "\":\"x\"")));
        assertTrue(m.contains("\"quay.io/x\"[0]." + field + ": Rekor is not supported by ocimount"), m);
    }

    @Test
    void exactlyOneKeySource() {
        assertTrue(refused(scoped(sigstore("\"signedIdentity\":{\"type\":\"matchRepository\"}")))
                .endsWith("\"quay.io/x\"[0]: sigstoreSigned needs exactly one of keyPath, keyPaths, keyData, keyDatas"));
        assertTrue(refused(scoped(sigstore("\"keyPath\":\"" + ecFile + "\",\"keyData\":\"" + data(ec) + "\"")))
                .endsWith("exactly one of keyPath, keyPaths, keyData, keyDatas; it has keyPath, keyData"));
    }

    @Test
    void keyFilesAreReadAtLoad() throws Exception {
        Path missing = tmp.resolve("missing.pub");
        assertTrue(refused(scoped(sigstore("\"keyPath\":\"" + missing + "\"")))
                .endsWith("\"quay.io/x\"[0].keyPath: key file " + missing + " does not exist"));
        assertTrue(refused(scoped(sigstore("\"keyPaths\":[\"" + ecFile + "\",\"" + missing + "\"]")))
                .endsWith("[0].keyPaths[1]: key file " + missing + " does not exist"));
        assertTrue(refused(scoped(sigstore("\"keyPath\":\"keys/cosign.pub\""))).endsWith("must be an absolute path"));
        assertTrue(refused(scoped(sigstore("\"keyPath\":\"" + tmp + "\""))).contains("key file " + tmp + " cannot be read"));
        Path big = Files.write(tmp.resolve("big.pub"), new byte[KeyReader.MAX_KEY_FILE + 1]);
        assertTrue(refused(scoped(sigstore("\"keyPath\":\"" + big + "\""))).contains("is larger than"));
    }

    @Test
    void aPrivateKeyFileIsRefusedWithoutQuotingIt() throws Exception {
        String privatePem = TestKeys.pem("PRIVATE KEY", ec.getPrivate().getEncoded());
        Path file = Files.writeString(tmp.resolve("cosign.key"), privatePem);
        String m = refused(scoped(sigstore("\"keyPath\":\"" + file + "\"")));
        assertTrue(m.contains("[0].keyPath: " + file + ": holds a private key"), m);
        assertFalse(m.contains(privatePem.split("\n")[1]), m);
    }

    @Test
    void keyDataMustBeBase64OfAPublicKey() {
        String pem = TestKeys.publicPem(ec);
        String m = refused(scoped(sigstore("\"keyData\":\"" + pem.replace("\n", "\\n") + "\"")));
        assertTrue(m.endsWith("[0].keyData: must be the base64 of a PEM public key (the PEM text itself is not accepted)"), m);
        assertFalse(m.contains(pem.split("\n")[1]), m);
        String garbage = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
        assertTrue(refused(scoped(sigstore("\"keyDatas\":[\"" + data(ec) + "\",\"" + garbage + "\"]")))
                .endsWith("\"quay.io/x\"[0].keyDatas[1]: holds no PEM PUBLIC KEY block"));
        assertTrue(refused(scoped(sigstore("\"keyDatas\":\"" + data(ec) + "\"")))
                .endsWith("[0].keyDatas: must be a list of strings, not a string"));
        assertTrue(refused(scoped(sigstore("\"keyPaths\":[]"))).endsWith("[0].keyPaths: must not be an empty list"));
        assertTrue(refused(scoped(sigstore("\"keyPaths\":[\"" + ecFile + "\",7]"))).endsWith("[0].keyPaths[1]: must be a string, not a number"));
        assertTrue(refused(scoped(sigstore("\"keyPath\":\"\""))).endsWith("[0].keyPath: must not be empty"));
    }

    @Test
    void unsupportedIdentitiesAreRefused() {
        String key = "\"keyPath\":\"" + ecFile + "\",";
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":{\"type\":\"remapIdentity\",\"prefix\":\"a.io\","
                + "\"signedPrefix\":\"b.io\"}"))).contains("[0].signedIdentity.type: \"remapIdentity\" is not supported by ocimount"));
        String m = refused(scoped(sigstore(key + "\"signedIdentity\":{\"type\":\"exactReference\",\"dockerReference\":\"a.io/b:1\"}")));
        assertTrue(m.contains("[0].signedIdentity.type: \"exactReference\" is not supported by ocimount: cosign signatures"
                + " carry only a repository"), m);
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":{\"type\":\"matchAnything\"}")))
                .contains("[0].signedIdentity.type: is not a signedIdentity type"));
    }

    @Test
    void identitiesAreStrict() {
        String key = "\"keyPath\":\"" + ecFile + "\",";
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":{\"type\":\"matchRepository\",\"x\":1}")))
                .endsWith("[0].signedIdentity.x: is not a known field"));
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":null"))).endsWith("[0].signedIdentity: must be an object, not null"));
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":\"matchRepository\"")))
                .endsWith("[0].signedIdentity: must be an object, not a string"));
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":{\"type\":\"exactRepository\"}")))
                .endsWith("[0].signedIdentity.dockerRepository: is required (a string)"));
        assertTrue(refused(scoped(sigstore(key + "\"signedIdentity\":{\"type\":\"exactRepository\",\"dockerRepository\":\"quay.io/x:v1\"}")))
                .endsWith("[0].signedIdentity.dockerRepository: \"quay.io/x:v1\" must be a repository, without a tag or digest"));
    }

    @Test
    void jsonErrorsSayWhereWithoutQuotingTheText() {
        String m = refused("{\"default\": [{\"type\": \"reject\"}],\n \"transports\": SECRETVALUE}");
        assertTrue(m.contains("not valid JSON at line 2, column"), m);
        assertFalse(m.contains("SECRETVALUE"), m);
        m = refused("{\"default\":[{\"type\":\"reject\"}],\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        assertTrue(m.contains("a duplicate key at line 1"), m);
        assertTrue(refused("{\"default\":[{\"type\":\"reject\"}]} {}").contains("not valid JSON"));
        assertTrue(refused("").startsWith("policy " + FILE + ": "));
    }
}
