package dev.upstreamguard.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.RuleCatalog;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * An Ingress with {@code proxy-read-timeout: "120s"} through the whole handler, against the demo cluster: denied on a
 * real UPDATE or CREATE, only a warning on a dry run or when the bad value was already there.
 */
class IngressTimeoutReviewTest {
    static final String RULE = "[ingress-nginx-timeout-invalid]";
    static final String READ_TIMEOUT = "nginx.ingress.kubernetes.io/proxy-read-timeout";
    static final String UID = "7f0c1d2e-0000-4000-8000-000000000120";

    private final ObjectMapper mapper = new ObjectMapper();
    private final ClusterIndex index;

    IngressTimeoutReviewTest() {
        new KubernetesSerialization(mapper, true); // registers fabric8's modules on the mapper
        index = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    }

    private ReviewHandler handler(Evaluator evaluator) {
        return new ReviewHandler(mapper, () -> index, evaluator, new Decider(PolicySettings.defaults()));
    }

    /** The demo's live Ingress shop/web (read timeout "60"), deep-copied so the test may edit it. */
    private Ingress liveIngress() throws Exception {
        var live = index.ingress("shop", "web").orElseThrow();
        return mapper.readValue(mapper.writeValueAsBytes(live), Ingress.class);
    }

    private Ingress withAnnotation(Ingress ingress, String key, String value) {
        ingress.getMetadata().getAnnotations().put(key, value);
        return ingress;
    }

    /** Builds the AdmissionReview JSON the API server would send, parses and answers it. */
    private AdmissionResponse review(ReviewHandler handler, String operation, Ingress object, Ingress old,
                                     boolean dryRun) throws Exception {
        var root = mapper.createObjectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        var request = root.putObject("request");
        request.put("uid", UID);
        var kind = request.putObject("kind");
        kind.put("group", "networking.k8s.io");
        kind.put("version", "v1");
        kind.put("kind", "Ingress");
        var resource = request.putObject("resource");
        resource.put("group", "networking.k8s.io");
        resource.put("version", "v1");
        resource.put("resource", "ingresses");
        request.put("name", object.getMetadata().getName());
        request.put("namespace", object.getMetadata().getNamespace());
        request.put("operation", operation);
        request.putObject("userInfo").put("username", "jane@example.com");
        request.set("object", mapper.valueToTree(object));
        if (old != null) {
            request.set("oldObject", mapper.valueToTree(old));
        }
        request.put("dryRun", dryRun);
        var answer = handler.answer(handler.parse(mapper.writeValueAsBytes(root)));
        assertEquals(UID, answer.getResponse().getUid());
        return answer.getResponse();
    }

    private static List<String> warnings(AdmissionResponse r) {
        return r.getWarnings() == null ? List.of() : r.getWarnings();
    }

    @Test
    void deniesReadTimeoutWithUnit_onUpdate() throws Exception {
        var response = review(handler(new Evaluator()), "UPDATE",
                withAnnotation(liveIngress(), READ_TIMEOUT, "120s"), liveIngress(), false);
        assertFalse(response.getAllowed());
        assertEquals(403, response.getStatus().getCode());
        var message = response.getStatus().getMessage();
        assertTrue(message.startsWith(RULE), message);
        assertTrue(message.contains(READ_TIMEOUT), message);
        assertTrue(message.contains("\"120s\""), message);
        assertTrue(message.contains("Fix: write \"120\""), message);
        assertFalse(message.contains("apply it first"), "a bad timeout is no ordering artefact: " + message);
    }

    @Test
    void deniesReadTimeoutWithUnit_onCreate() throws Exception {
        var created = withAnnotation(liveIngress(), READ_TIMEOUT, "120s");
        created.getMetadata().setName("web-v2");
        created.getSpec().getRules().forEach(r -> r.setHost("v2." + r.getHost()));
        var response = review(handler(new Evaluator()), "CREATE", created, null, false);
        assertFalse(response.getAllowed());
        assertTrue(response.getStatus().getMessage().startsWith(RULE), response.getStatus().getMessage());
    }

    @Test
    void warnsInsteadOfDenying_onDryRun() throws Exception {
        var response = review(handler(new Evaluator()), "UPDATE",
                withAnnotation(liveIngress(), READ_TIMEOUT, "120s"), liveIngress(), true);
        assertTrue(response.getAllowed());
        assertNull(response.getStatus());
        var warnings = warnings(response);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith(RULE) && w.contains("\"120\"")), warnings.toString());
    }

    @Test
    void warnsInsteadOfDenying_whenTheBadValueWasAlreadyThere() throws Exception {
        var old = withAnnotation(liveIngress(), READ_TIMEOUT, "90s");
        index.put(old); // the live view, where "before" comes from, already holds the bad value
        var response = review(handler(new Evaluator()), "UPDATE",
                withAnnotation(liveIngress(), READ_TIMEOUT, "120s"), old, false);
        assertTrue(response.getAllowed(), () -> response.getStatus().getMessage());
        assertTrue(warnings(response).stream().anyMatch(w -> w.startsWith(RULE + " already broken")),
                warnings(response).toString());
    }

    @Test
    void onlyWarns_forAConnectTimeoutOverTheCap() throws Exception {
        var response = review(handler(new Evaluator()), "UPDATE",
                withAnnotation(liveIngress(), "nginx.ingress.kubernetes.io/proxy-connect-timeout", "90"),
                liveIngress(), false);
        assertTrue(response.getAllowed());
        assertTrue(warnings(response).stream().anyMatch(w -> w.startsWith(RULE)), warnings(response).toString());
    }

    @Test
    void readsTheConfiguredAnnotationPrefix() throws Exception {
        var custom = handler(new Evaluator(RuleCatalog.all("ingress.example.com")));
        var response = review(custom, "UPDATE",
                withAnnotation(liveIngress(), "ingress.example.com/proxy-read-timeout", "120s"), liveIngress(), false);
        assertFalse(response.getAllowed(), "an UPDATE changing only a custom-prefixed timeout is evaluated and denied");
        assertTrue(response.getStatus().getMessage().contains("ingress.example.com/proxy-read-timeout"));

        var defaultPrefixIgnored = review(custom, "UPDATE",
                withAnnotation(liveIngress(), READ_TIMEOUT, "120s"), liveIngress(), false);
        assertTrue(defaultPrefixIgnored.getAllowed(), "with a custom prefix the default one is not ingress-nginx's");
    }
}
