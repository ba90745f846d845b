package io.ocimount.csi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.NodePublishVolumeRequest;
import csi.v1.VolumeCapability;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.registry.Credentials;
import io.ocimount.volume.MountRequest;
import io.ocimount.volume.PullPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a NodePublishVolume call becomes an image-volume mount, and every refusal of one, without root. */
class PublishRequestTest {
    private static final String TARGET = "/var/lib/kubelet/pods/7f3a/volumes/kubernetes.io~csi/agent/mount";
    /** One token to a JSON parser, so a parse error that quoted it would quote it whole. */
    private static final String SECRET_PASSWORD = "s3cretNeverShown";

    private static VolumeCapability mountCapability() {
        return VolumeCapability.newBuilder().setMount(VolumeCapability.MountVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
                .build();
    }

    private static NodePublishVolumeRequest.Builder request(Map<String, String> context) {
        return NodePublishVolumeRequest.newBuilder().setVolumeId("csi-4b1d").setTargetPath(TARGET)
                .setVolumeCapability(mountCapability()).putAllVolumeContext(context);
    }

    private static OciMountException refused(NodePublishVolumeRequest.Builder req, String expected) {
        OciMountException e = assertThrows(OciMountException.class, () -> PublishRequest.of(req.build()));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e;
    }

    @Test
    void volumeAttributesAndThePodKubeletAddsBecomeTheMount() {
        PublishRequest p = PublishRequest.of(request(Map.of("image", "registry.example/otel/javaagent:2.15.0",
                "subPath", "javaagent", "pullPolicy", "IfNotPresent",
                "csi.storage.k8s.io/pod.namespace", "apps", "csi.storage.k8s.io/pod.name", "web-0",
                "csi.storage.k8s.io/pod.uid", "7f3a", "csi.storage.k8s.io/serviceAccount.name", "web",
                "csi.storage.k8s.io/ephemeral", "true")).setReadonly(false).build());
        assertEquals(new MountRequest("csi-4b1d", TARGET, "registry.example/otel/javaagent:2.15.0", "javaagent", true, "",
                PullPolicy.IF_NOT_PRESENT, "apps", "web-0", "7f3a", "web"), p.mount(),
                "read-only even when kubelet says readonly=false");
        assertEquals(Credentials.NONE, p.credentials());
    }

    @Test
    void pullPolicyIsKubernetesSpellingOrWarmMetalsPullAlways() {
        assertEquals(PullPolicy.ALWAYS, PublishRequest.of(request(Map.of("image", "a/b:1", "pullAlways", "true")).build())
                .mount().pullPolicy());
        assertEquals(PullPolicy.NEVER, PublishRequest.of(request(Map.of("image", "a/b:1", "pullPolicy", "Never",
                "pullAlways", "false")).build()).mount().pullPolicy());
        assertEquals(null, PublishRequest.of(request(Map.of("image", "a/b:1")).build()).mount().pullPolicy(),
                "absent: kubelet's default for the reference");
        refused(request(Map.of("image", "a/b:1", "pullPolicy", "always")), "\"pullPolicy\" is \"always\"");
        refused(request(Map.of("image", "a/b:1", "pullAlways", "yes")), "\"pullAlways\" is \"yes\"");
        refused(request(Map.of("image", "a/b:1", "pullAlways", "true", "pullPolicy", "Never")), "disagree");
    }

    @Test
    void eachMissingOrBadFieldIsRefusedByName() {
        refused(request(Map.of("image", "a/b:1")).clearVolumeId(), "volume_id is missing");
        refused(request(Map.of("image", "a/b:1")).clearTargetPath(), "target_path is missing");
        refused(request(Map.of("image", "a/b:1")).clearVolumeCapability(), "volume_capability is missing");
        refused(request(Map.of("image", "a/b:1")).setVolumeCapability(VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())), "block access");
        refused(request(Map.of()), "\"image\" is missing");
        refused(request(Map.of("image", "a/b:1", "subpath", "x")), "\"subpath\" is not known");
    }

    private static String dockerConfig(String registry, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    @Test
    void aDockerConfigJsonSecretGivesTheEntryForTheImagesRegistry() {
        PublishRequest p = PublishRequest.of(request(Map.of("image", "registry.example:5000/team/app:v1"))
                .putSecrets(".dockerconfigjson", "{\"auths\":{\"other.example\":{\"auth\":\""
                        + Base64.getEncoder().encodeToString("x:y".getBytes(StandardCharsets.UTF_8)) + "\"},"
                        + dockerConfig("registry.example:5000", "kube", SECRET_PASSWORD).substring(10)).build());
        assertEquals("kube", p.credentials().username());
        assertEquals(SECRET_PASSWORD, p.credentials().password());
        assertFalse(p.credentials().toString().contains(SECRET_PASSWORD), "never printed");
        PublishRequest none = PublishRequest.of(request(Map.of("image", "elsewhere.example/app:v1"))
                .putSecrets(".dockerconfigjson", dockerConfig("registry.example:5000", "kube", SECRET_PASSWORD)).build());
        assertEquals(Credentials.NONE, none.credentials(), "no entry for that registry: the node's own config applies");
    }

    @Test
    void aSecretOfTheWrongShapeIsRefusedWithoutShowingItsValues() {
        OciMountException wrongType = refused(request(Map.of("image", "a/b:1")).putSecrets("password", SECRET_PASSWORD),
                "kubernetes.io/dockerconfigjson");
        assertFalse(wrongType.getMessage().contains(SECRET_PASSWORD), wrongType.getMessage());
        OciMountException notJson = refused(request(Map.of("image", "a/b:1"))
                .putSecrets(".dockerconfigjson", "{\"auths\": " + SECRET_PASSWORD), "is not a JSON object");
        assertFalse(notJson.getMessage().contains("s3cret"), notJson.getMessage());
        OciMountException badAuth = refused(request(Map.of("image", "registry.example/app:1"))
                .putSecrets(".dockerconfigjson", "{\"auths\":{\"registry.example\":{\"auth\":\"" + SECRET_PASSWORD + "\"}}}"),
                "the volume's secret");
        assertFalse(badAuth.getMessage().contains("s3cret"), badAuth.getMessage());
        OciMountException duplicate = refused(request(Map.of("image", "a/b:1")).putSecrets(".dockerconfigjson",
                "{\"auths\":{\"a\":{\"password\":\"" + SECRET_PASSWORD + "\"},\"a\":{\"password\":\"" + SECRET_PASSWORD + "\"}}}"),
                "is not a JSON object");
        assertFalse(duplicate.getMessage().contains("s3cret"), duplicate.getMessage());
        OciMountException noAuths = refused(request(Map.of("image", "a/b:1")).putSecrets(".dockerconfigjson",
                "{\"auths\":[\"" + SECRET_PASSWORD + "\"]}"), "has no \"auths\" object");
        assertFalse(noAuths.getMessage().contains("s3cret"), noAuths.getMessage());
    }
}
