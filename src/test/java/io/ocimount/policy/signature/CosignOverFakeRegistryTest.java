package io.ocimount.policy.signature;

import io.ocimount.policy.MatchRepository;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import io.ocimount.oci.MediaTypes;
import io.ocimount.ref.Reference;
import io.ocimount.registry.FetchedManifest;
import io.ocimount.testkit.CosignSigner;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What cosign pushes, served over HTTP by {@link FakeRegistry}: its referrers API lists the bundle's referrer,
 * and with the API off (404, as docker-registry 2.8) the fallback tag is used. The source here is a bare HTTP
 * reader for the test, not the daemon's.
 */
class CosignOverFakeRegistryTest {
    static final KeyPair KEYS = CosignSigner.newKeys("ec");
    final FakeRegistry registry = new FakeRegistry("127.0.0.1");
    final ImageBuilder.Image image = new ImageBuilder().layer(Map.of("f", "x")).build();
    final Digest digest = image.manifest().digest();
    final CosignSigner signer = new CosignSigner(KEYS);
    final HttpClient http = HttpClient.newHttpClient();

    CosignOverFakeRegistryTest() throws IOException {
    }

    @AfterEach
    void close() {
        registry.close();
    }

    SignatureResult check() {
        Reference pulled = Reference.parse(registry.host() + "/team/app:v1");
        SignedIdentity sameRepository = new MatchRepository();
        return new CosignSignatures().check(new HttpSource("team/app"), pulled, List.of(digest),
                List.of(TrustedKey.of(KEYS.getPublic(), "k")), sameRepository,
                Cancellation.none());
    }

    @Test
    void theReferrersApiListsManifestsWhoseSubjectIsTheDigest() throws Exception {
        registry.addImage("team/app", "v1", image);
        CosignSigner.Bundle bundle = signer.signBundle(image.manifest());
        registry.addImage("team/app", null, bundle.referrer());
        registry.addImage("team/app", "other", new ImageBuilder().build()); // no subject: not listed

        JsonNode index = Json.parse(get("/v2/team/app/referrers/" + digest).body(), "referrers");
        assertEquals(MediaTypes.OCI_INDEX, index.get("mediaType").asString());
        assertEquals(1, index.get("manifests").size());
        JsonNode entry = index.get("manifests").get(0);
        assertEquals(bundle.referrer().manifest().digest().toString(), entry.get("digest").asString());
        assertEquals(bundle.referrer().manifest().bytes().length, entry.get("size").asLong());
        assertEquals(CosignSigner.BUNDLE, entry.get("artifactType").asString());
        assertEquals("dsse-envelope", entry.get("annotations").get("dev.sigstore.bundle.content").asString());

        HttpResponse<byte[]> filtered = get("/v2/team/app/referrers/" + digest + "?artifactType=application%2Fexample");
        assertEquals(0, Json.parse(filtered.body(), "referrers").get("manifests").size());
        assertEquals("artifactType", filtered.headers().firstValue("OCI-Filters-Applied").orElse(null));
        assertTrue(registry.requests.contains("GET /v2/team/app/referrers/" + digest));

        SignatureResult r = check();
        assertTrue(r.verified(), r.reason());
        assertEquals("sigstore-bundle", r.format());
    }

    @Test
    void withoutTheApiTheFallbackTagIsRead() throws Exception {
        registry.referrersApi(false);
        registry.addImage("team/app", "v1", image);
        CosignSigner.Bundle bundle = signer.signBundle(image.manifest());
        registry.addImage("team/app", null, bundle.referrer());
        registry.addManifest("team/app", bundle.fallbackTag(), bundle.fallbackIndex());
        assertEquals(404, get("/v2/team/app/referrers/" + digest).statusCode());

        SignatureResult r = check();
        assertTrue(r.verified(), r.reason());
        assertTrue(registry.requests.contains("GET /v2/team/app/manifests/" + bundle.fallbackTag()), registry.requests.toString());
    }

    @Test
    void aSimpleSignatureIsServedUnderItsTag() {
        registry.addImage("team/app", "v1", image);
        CosignSigner.SimpleSignature s = signer.signSimple(registry.host() + "/team/app", digest);
        registry.addImage("team/app", s.tag(), s.signatureImage());
        SignatureResult r = check();
        assertTrue(r.verified(), r.reason());
        assertEquals("cosign-simplesigning", r.format());
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
                .header("Accept", String.join(",", MediaTypes.MANIFEST_ACCEPT)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Reads one repository of the fake registry, checking digests as the daemon's source does. */
    final class HttpSource implements SignatureSource {
        final String repo;

        HttpSource(String repo) {
            this.repo = repo;
        }

        private Optional<HttpResponse<byte[]>> fetch(String path) {
            try {
                HttpResponse<byte[]> r = get("/v2/" + repo + path);
                return r.statusCode() == 404 ? Optional.empty() : Optional.of(r);
            } catch (Exception e) {
                throw OciMountException.unavailable("fake registry", e);
            }
        }

        private static byte[] checked(Descriptor desc, byte[] body) {
            if (!Digest.of(body).equals(desc.digest())) {
                throw OciMountException.dataLoss(desc.digest() + ": wrong bytes");
            }
            return body;
        }

        @Override
        public Optional<FetchedManifest> manifestByTag(String tag, Cancellation cancel) {
            return fetch("/manifests/" + tag).map(r -> {
                String type = r.headers().firstValue("Content-Type").orElse(null);
                return new FetchedManifest(new Descriptor(type, Digest.of(r.body()), r.body().length), r.body(), type);
            });
        }

        @Override
        public FetchedManifest manifest(Descriptor desc, Cancellation cancel) {
            HttpResponse<byte[]> r = fetch("/manifests/" + desc.digest()).orElseThrow();
            return new FetchedManifest(desc, checked(desc, r.body()), r.headers().firstValue("Content-Type").orElse(null));
        }

        @Override
        public Optional<byte[]> referrers(Digest subject, Cancellation cancel) {
            return fetch("/referrers/" + subject).map(HttpResponse::body);
        }

        @Override
        public byte[] blob(Descriptor desc, long maxBytes, Cancellation cancel) {
            return checked(desc, fetch("/blobs/" + desc.digest()).orElseThrow().body());
        }
    }
}
