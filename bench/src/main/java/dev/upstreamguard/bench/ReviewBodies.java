package dev.upstreamguard.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The AdmissionReview bodies the benchmarks post, the way the API server sends them (uid first, userInfo, the whole
 * object and oldObject with managedFields). Each is a change that must be evaluated (not exempt as a no-op) and is
 * allowed, against any {@link SyntheticCluster}:
 * <ul>
 *   <li>{@code ingress-create}: a new Ingress in {@code team-0000} routing three paths to existing Services;</li>
 *   <li>{@code service-update}: Service {@code team-0000/app-01} gains a {@code metrics} port;</li>
 *   <li>{@code deployment-update}: the big Deployment {@code team-0000/app-00} gets a new image and env var (~20 KB);</li>
 *   <li>{@code httproute-update}: HTTPRoute {@code team-0000/web} (three rules, attached to the shared Gateway) gains a
 *   rule to Service {@code app-03} port 80.</li>
 * </ul>
 */
public final class ReviewBodies {
    public static final List<String> NAMES = List.of("ingress-create", "service-update", "deployment-update",
            "httproute-update");

    public static final ObjectMapper MAPPER = new ObjectMapper();
    static {
        new KubernetesSerialization(MAPPER, true);
    }

    private ReviewBodies() {
    }

    public static byte[] body(String name) {
        return body(name, false);
    }

    /**
     * @param sharedSelectorPair the Service of {@code service-update} also selects {@code app.kubernetes.io/part-of:
     *                           shop}, as in {@link SyntheticCluster}'s {@code wide-shared} shape
     */
    public static byte[] body(String name, boolean sharedSelectorPair) {
        return switch (name) {
            case "ingress-create" -> ingressCreate();
            case "service-update" -> serviceUpdate(sharedSelectorPair);
            case "deployment-update" -> deploymentUpdate();
            case "httproute-update" -> httpRouteUpdate();
            default -> throw new IllegalArgumentException("no review " + name);
        };
    }

    static byte[] ingressCreate() {
        var ns = SyntheticCluster.REVIEW_NS;
        var ingress = SyntheticCluster.ingress(ns, "storefront",
                List.of(SyntheticCluster.app(0), SyntheticCluster.app(1), SyntheticCluster.app(2)));
        ingress.getMetadata().setUid(null);
        ingress.getMetadata().setResourceVersion(null);
        ingress.getMetadata().setManagedFields(List.of(SyntheticCluster.managedFields("argocd-controller", 6)));
        return review("CREATE", "bench-ingress-create", "networking.k8s.io", "v1", "ingresses", ingress, null);
    }

    static byte[] serviceUpdate(boolean sharedSelectorPair) {
        var ns = SyntheticCluster.REVIEW_NS;
        var old = SyntheticCluster.service(ns, SyntheticCluster.app(1));
        if (sharedSelectorPair) {
            old.getSpec().getSelector().put("app.kubernetes.io/part-of", "shop");
        }
        old.getMetadata().setManagedFields(List.of(SyntheticCluster.managedFields("helm", 5)));
        var updated = new ServiceBuilder(old).editSpec().addNewPort().withName("metrics").withPort(9090)
                .withTargetPort(new IntOrString("metrics")).withProtocol("TCP").endPort().endSpec().build();
        return review("UPDATE", "bench-service-update", "", "v1", "services", updated, old);
    }

    static byte[] deploymentUpdate() {
        var ns = SyntheticCluster.REVIEW_NS;
        var old = SyntheticCluster.deployment(ns, 0, true);
        var app = old.getSpec().getTemplate().getSpec().getContainers().get(0);
        var updated = new DeploymentBuilder(old).editSpec().editTemplate().editSpec().editFirstContainer()
                .withImage(app.getImage().replace("1.4.2", "1.4.3"))
                .addToEnv(new EnvVar("FEATURE_NEW_CHECKOUT", "true", null)).endContainer().endSpec().endTemplate()
                .endSpec().build();
        updated.getMetadata().setGeneration(8L);
        return review("UPDATE", "bench-deployment-update", "apps", "v1", "deployments", updated, old);
    }

    static byte[] httpRouteUpdate() {
        var ns = SyntheticCluster.REVIEW_NS;
        var old = SyntheticCluster.httpRoute(ns, "web",
                List.of(SyntheticCluster.app(0), SyntheticCluster.app(1), SyntheticCluster.app(2)));
        old.getMetadata().setManagedFields(List.of(SyntheticCluster.managedFields("argocd-controller", 8)));
        var updated = new HTTPRouteBuilder(old).editSpec().addToRules(SyntheticCluster.httpRouteRule(SyntheticCluster.app(3)))
                .endSpec().build();
        updated.getMetadata().setGeneration(2L);
        return review("UPDATE", "bench-httproute-update", "gateway.networking.k8s.io", "v1", "httproutes", updated, old);
    }

    static byte[] review(String op, String uid, String group, String version, String resource, HasMetadata object,
                         HasMetadata old) {
        var current = object != null ? object : old;
        var request = new LinkedHashMap<String, Object>();
        request.put("uid", uid + "-0000-4000-8000-000000000000");
        request.put("kind", Map.of("group", group, "version", version, "kind", current.getKind()));
        request.put("resource", Map.of("group", group, "version", version, "resource", resource));
        request.put("requestKind", Map.of("group", group, "version", version, "kind", current.getKind()));
        request.put("requestResource", Map.of("group", group, "version", version, "resource", resource));
        request.put("name", current.getMetadata().getName());
        request.put("namespace", current.getMetadata().getNamespace());
        request.put("operation", op);
        request.put("userInfo", Map.of("username", "system:serviceaccount:argocd:argocd-application-controller",
                "uid", "0b7c2b8e-5d9f-4c2a-9f6b-1a2b3c4d5e6f",
                "groups", List.of("system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated")));
        request.put("object", object);
        request.put("oldObject", old);
        request.put("dryRun", false);
        request.put("options", Map.of("apiVersion", "meta.k8s.io/v1", "kind", op.equals("CREATE") ? "CreateOptions"
                : "UpdateOptions", "fieldManager", "argocd-controller"));
        var review = new LinkedHashMap<String, Object>();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        review.put("request", request);
        try {
            return MAPPER.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
