package io.ocimount.csi;

import csi.v1.NodePublishVolumeRequest;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Json;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.DockerConfigCredentials;
import io.ocimount.volume.MountRequest;
import io.ocimount.volume.PullPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A NodePublishVolume call read as an image-volume mount: the image and how to pull it from {@code volume_context}
 * (the pod's {@code volumeAttributes}, plus the pod's identity that kubelet adds with {@code podInfoOnMount}), and
 * the pull's credentials from {@code secrets} (the {@code nodePublishSecretRef}). Every refusal is INVALID_ARGUMENT
 * and names the field; a secret's values never appear in a message.
 */
record PublishRequest(MountRequest mount, Credentials credentials) {
    static final String IMAGE = "image";
    static final String SUB_PATH = "subPath";
    static final String PULL_POLICY = "pullPolicy";
    /** warm-metal's container-image-csi-driver spelling of pullPolicy: Always. */
    static final String PULL_ALWAYS = "pullAlways";
    /** What kubelet adds to volume_context; the keys below are the ones kept. */
    static final String KUBELET_PREFIX = "csi.storage.k8s.io/";
    static final String POD_NAMESPACE = KUBELET_PREFIX + "pod.namespace";
    static final String POD_NAME = KUBELET_PREFIX + "pod.name";
    static final String POD_UID = KUBELET_PREFIX + "pod.uid";
    static final String SERVICE_ACCOUNT = KUBELET_PREFIX + "serviceAccount.name";
    /** The key of a kubernetes.io/dockerconfigjson secret. */
    static final String DOCKER_CONFIG_JSON = ".dockerconfigjson";
    private static final List<String> OURS = List.of(IMAGE, SUB_PATH, PULL_POLICY, PULL_ALWAYS);

    static PublishRequest of(NodePublishVolumeRequest req) {
        if (req.getVolumeId().isEmpty()) {
            throw OciMountException.invalid("NodePublishVolume: volume_id is missing");
        }
        if (req.getTargetPath().isEmpty()) {
            throw OciMountException.invalid("NodePublishVolume: target_path is missing");
        }
        if (!req.hasVolumeCapability()) {
            throw OciMountException.invalid("NodePublishVolume: volume_capability is missing");
        }
        if (req.getVolumeCapability().hasBlock()) {
            throw OciMountException.invalid("NodePublishVolume: volume_capability asks for block access; an image volume"
                    + " is a read-only file system");
        }
        Map<String, String> context = req.getVolumeContextMap();
        for (String key : context.keySet()) {
            if (!OURS.contains(key) && !key.startsWith(KUBELET_PREFIX)) {
                throw OciMountException.invalid("volume attribute " + Quote.of(key) + " is not known (known: "
                        + String.join(", ", OURS) + ")");
            }
        }
        String image = context.getOrDefault(IMAGE, "");
        if (image.isBlank()) {
            throw OciMountException.invalid("volume attribute \"" + IMAGE + "\" is missing: name the image to mount");
        }
        // readonly=false is mounted read-only all the same: an image volume has nothing to write to
        MountRequest mount = new MountRequest(req.getVolumeId(), req.getTargetPath(), image,
                context.getOrDefault(SUB_PATH, ""), true, "", pullPolicy(context), context.get(POD_NAMESPACE),
                context.get(POD_NAME), context.get(POD_UID), context.get(SERVICE_ACCOUNT));
        return new PublishRequest(mount, credentials(req.getSecretsMap(), image));
    }

    /** pullPolicy as Kubernetes spells it, or pullAlways: "true"; null (kubelet's default for the tag) when absent. */
    private static PullPolicy pullPolicy(Map<String, String> context) {
        String policy = context.get(PULL_POLICY);
        PullPolicy named = policy == null ? null : switch (policy) {
            case "Always" -> PullPolicy.ALWAYS;
            case "IfNotPresent" -> PullPolicy.IF_NOT_PRESENT;
            case "Never" -> PullPolicy.NEVER;
            default -> throw OciMountException.invalid("volume attribute \"" + PULL_POLICY + "\" is " + Quote.of(policy)
                    + ": want Always, IfNotPresent or Never");
        };
        String always = context.get(PULL_ALWAYS);
        if (always == null || always.equals("false")) {
            return named;
        }
        if (!always.equals("true")) {
            throw OciMountException.invalid("volume attribute \"" + PULL_ALWAYS + "\" is " + Quote.of(always)
                    + ": want \"true\" or \"false\"");
        }
        if (named != null && named != PullPolicy.ALWAYS) {
            throw OciMountException.invalid("volume attributes \"" + PULL_ALWAYS + "\" and \"" + PULL_POLICY
                    + "\" disagree: \"true\" and " + Quote.of(policy));
        }
        return PullPolicy.ALWAYS;
    }

    /** The secret's entry for the image's registry; none when the secret has none (then the node's config.json applies). */
    private static Credentials credentials(Map<String, String> secrets, String image) {
        if (secrets.isEmpty()) {
            return Credentials.NONE;
        }
        String config = secrets.get(DOCKER_CONFIG_JSON);
        if (config == null) {
            throw OciMountException.invalid("the volume's secret has no \"" + DOCKER_CONFIG_JSON + "\" key: use a secret"
                    + " of type kubernetes.io/dockerconfigjson (keys given: " + String.join(", ", secrets.keySet().stream()
                    .sorted().toList()) + ")");
        }
        JsonNode root;
        try {
            root = Json.parse(config.getBytes(StandardCharsets.UTF_8), "secret");
        } catch (OciMountException e) {
            // the parser's message may quote the secret's text
            throw OciMountException.invalid("the volume's secret: \"" + DOCKER_CONFIG_JSON + "\" is not a JSON object");
        }
        if (!root.path("auths").isObject()) {
            throw OciMountException.invalid("the volume's secret: \"" + DOCKER_CONFIG_JSON + "\" has no \"auths\" object");
        }
        String registry = Reference.parse(image).domain();
        try {
            return DockerConfigCredentials.lookup(root, registry);
        } catch (OciMountException e) {
            throw OciMountException.invalid("the volume's secret: " + e.getMessage()); // names the entry, not its value
        }
    }
}
