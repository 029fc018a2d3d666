package dev.upstreamguard.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.admission.ReviewHandler;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Builds real AdmissionReview JSON, the way the API server sends it, and answers it through the real handler. */
public final class Reviews {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    static {
        new KubernetesSerialization(MAPPER, true);
    }

    private final Map<String, Object> request = new LinkedHashMap<>();

    private Reviews(String op, HasMetadata object, HasMetadata old) {
        var current = object != null ? object : old;
        request.put("uid", "uid-" + Integer.toHexString(System.identityHashCode(this)));
        request.put("kind", Map.of("group", current.getApiVersion().contains("/") ? current.getApiVersion().split("/")[0] : "",
                "version", current.getApiVersion().contains("/") ? current.getApiVersion().split("/")[1] : current.getApiVersion(),
                "kind", current.getKind()));
        request.put("resource", Map.of("group", "", "version", "v1", "resource", current.getPlural()));
        request.put("name", current.getMetadata().getName());
        request.put("namespace", current.getMetadata().getNamespace());
        request.put("operation", op);
        request.put("userInfo", Map.of("username", "jane@example.com", "groups", List.of("system:authenticated")));
        request.put("object", object);
        request.put("oldObject", old);
        request.put("dryRun", false);
    }

    /** A {@code deployments/scale} (or statefulsets) UPDATE, as {@code kubectl scale} or an autoscaler sends it. */
    public static Reviews scale(String resource, String namespace, String name, int replicas) {
        var scale = new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withNewSpec().withReplicas(replicas).endSpec().build();
        var r = new Reviews("UPDATE", scale, scale);
        r.request.put("kind", Map.of("group", "autoscaling", "version", "v1", "kind", "Scale"));
        r.request.put("resource", Map.of("group", "apps", "version", "v1", "resource", resource));
        r.request.put("subResource", "scale");
        return r;
    }

    public static Reviews create(HasMetadata object) {
        return new Reviews("CREATE", object, null);
    }

    public static Reviews update(HasMetadata object, HasMetadata old) {
        return new Reviews("UPDATE", object, old);
    }

    public static Reviews delete(HasMetadata old) {
        return new Reviews("DELETE", null, old);
    }

    public Reviews dryRun() {
        request.put("dryRun", true);
        return this;
    }

    public Reviews user(String username) {
        request.put("userInfo", Map.of("username", username));
        return this;
    }

    public Reviews subResource(String sub) {
        request.put("subResource", sub);
        return this;
    }

    public Reviews uid(String uid) {
        request.put("uid", uid);
        return this;
    }

    public Map<String, Object> asMap() {
        return Map.of("apiVersion", "admission.k8s.io/v1", "kind", "AdmissionReview", "request", request);
    }

    public byte[] json() {
        try {
            return MAPPER.writeValueAsBytes(asMap());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ReviewHandler handler(ClusterView view, PolicySettings settings) {
        return handler(view, settings, new Evaluator());
    }

    public static ReviewHandler handler(ClusterView view, PolicySettings settings, Evaluator evaluator) {
        return new ReviewHandler(MAPPER, () -> view, evaluator, new Decider(settings));
    }

    /** Sends the review through parse and answer, as /validate does, and returns the response. */
    public AdmissionResponse answerWith(ReviewHandler handler) {
        var review = handler.answer(handler.parse(json()));
        return review.getResponse();
    }
}
