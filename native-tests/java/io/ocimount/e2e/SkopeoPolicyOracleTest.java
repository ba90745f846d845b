package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.image.ImageService;
import io.ocimount.image.PolicyCheck;
import io.ocimount.policy.PolicySettings;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * containers/image (skopeo, which CRI-O and podman share) as the oracle for which scope of a containers-policy.json
 * applies: the same file, the same images on the real docker-registry, and ocimount must accept and reject exactly
 * what skopeo does. Debian's skopeo is built with sigstore disabled ("Debian-local change: sigstore disabled"), so
 * it cannot judge signatures; the scopes are what it can judge.
 */
@Tag("native")
class SkopeoPolicyOracleTest {
    @TempDir
    Path tmp;

    @Test
    void ocimountAppliesTheScopeContainersImageApplies() throws Exception {
        try (RealRegistry registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null)) {
            String host = registry.host();
            Map<String, ImageBuilder.Image> pushed = new LinkedHashMap<>();
            for (String repo : List.of("team/app", "team/tool", "team/sub/deep", "teamx/app", "other/app")) {
                ImageBuilder.Image image = new ImageBuilder().layer(Map.of("f", repo)).build();
                registry.push(repo, "1", image);
                registry.push(repo, "2", image);
                pushed.put(repo, image);
            }
            String pinnedDigest = pushed.get("other/app").manifest().digest().toString();
            Path policy = Files.writeString(tmp.resolve("policy.json"), """
                    {"default": [{"type": "reject"}],
                     "transports": {"docker": {
                       "HOST": [{"type": "insecureAcceptAnything"}],
                       "HOST/team": [{"type": "reject"}],
                       "HOST/team/app": [{"type": "insecureAcceptAnything"}],
                       "HOST/team/app:2": [{"type": "reject"}],
                       "HOST/team/sub": [{"type": "insecureAcceptAnything"}],
                       "HOST/other/app": [{"type": "reject"}],
                       "HOST/other/app@DIGEST": [{"type": "insecureAcceptAnything"}]}}}
                    """.replace("HOST", host).replace("DIGEST", pinnedDigest));
            List<String> refs = new ArrayList<>();
            for (String repo : pushed.keySet()) {
                refs.add(host + "/" + repo + ":1");
                refs.add(host + "/" + repo + ":2");
                refs.add(host + "/" + repo + "@" + pushed.get(repo).manifest().digest());
            }
            List<String> skopeoAllowed = new ArrayList<>();
            List<String> ocimountAllowed = new ArrayList<>();
            try (ImageService images = TestImages.create(tmp.resolve("root"), TestImages.registry(), TestImages.amd64(),
                    new PolicySettings(policy, List.of()))) {
                for (String ref : refs) {
                    Commands.Result skopeo = Commands.run(Map.of(), List.of("skopeo", "--policy", policy.toString(),
                            "inspect", "--raw", "--tls-verify=false", "docker://" + ref));
                    Commands.Result copy = Commands.run(Map.of(), List.of("skopeo", "--policy", policy.toString(), "copy",
                            "--src-tls-verify=false", "docker://" + ref, "dir:" + tmp.resolve("copy-" + refs.indexOf(ref))));
                    if (skopeo.rc() != 0) {
                        throw new AssertionError(ref + " cannot be read at all: " + skopeo.describe());
                    }
                    if (copy.rc() == 0) {
                        skopeoAllowed.add(ref);
                    } else if (!copy.err().contains("rejected")) {
                        throw new AssertionError(ref + ": skopeo failed for another reason: " + copy.describe());
                    }
                    PolicyCheck ours = images.checkPolicy(ref, Credentials.NONE, Cancellation.none());
                    if (ours.decision().allowed()) {
                        ocimountAllowed.add(ref);
                    }
                }
            }
            assertEquals(skopeoAllowed, ocimountAllowed);
            assertEquals(List.of(host + "/team/app:1", host + "/team/app@" + pushed.get("team/app").manifest().digest(),
                    host + "/team/sub/deep:1", host + "/team/sub/deep:2",
                    host + "/team/sub/deep@" + pushed.get("team/sub/deep").manifest().digest(),
                    host + "/teamx/app:1", host + "/teamx/app:2", host + "/teamx/app@" + pushed.get("teamx/app").manifest().digest(),
                    host + "/other/app@" + pinnedDigest), ocimountAllowed, "the expected set, so the oracle was not vacuous");
        }
    }
}
