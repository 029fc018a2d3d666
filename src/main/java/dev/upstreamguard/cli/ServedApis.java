package dev.upstreamguard.cli;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.upstreamguard.admission.HandledKinds;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Which API versions a current cluster serves, as far as a bundle goes: the versions Kubernetes has removed (an
 * object in one is refused by every current API server, so the sync fails on it), and, for a kind the webhook judges,
 * other served versions of the same group and kind, which the API server converts before the webhook sees them
 * ({@code matchPolicy: Equivalent}).
 */
public final class ServedApis {
    /** A removed API version: {@code kinds} empty means every kind of it. */
    record Removed(String apiVersion, List<String> kinds, String removedIn, String use) {
        boolean covers(HasMetadata o) {
            return apiVersion.equals(o.getApiVersion()) && (kinds.isEmpty() || kinds.contains(o.getKind()));
        }
    }

    /** From the Kubernetes deprecated API migration guide; the first row that covers an object wins. */
    static final List<Removed> REMOVED = List.of(
            new Removed("extensions/v1beta1", List.of("Ingress"), "1.22", "networking.k8s.io/v1"),
            new Removed("extensions/v1beta1", List.of("NetworkPolicy"), "1.16", "networking.k8s.io/v1"),
            new Removed("extensions/v1beta1", List.of("PodSecurityPolicy"), "1.16", "Pod Security Admission"),
            new Removed("extensions/v1beta1", List.of(), "1.16", "apps/v1"),
            new Removed("apps/v1beta1", List.of(), "1.16", "apps/v1"),
            new Removed("apps/v1beta2", List.of(), "1.16", "apps/v1"),
            new Removed("networking.k8s.io/v1beta1", List.of(), "1.22", "networking.k8s.io/v1"),
            new Removed("policy/v1beta1", List.of("PodSecurityPolicy"), "1.25", "Pod Security Admission"),
            new Removed("policy/v1beta1", List.of(), "1.25", "policy/v1"),
            new Removed("batch/v1beta1", List.of(), "1.25", "batch/v1"),
            new Removed("autoscaling/v2beta1", List.of(), "1.25", "autoscaling/v2"),
            new Removed("autoscaling/v2beta2", List.of(), "1.26", "autoscaling/v2"),
            new Removed("discovery.k8s.io/v1beta1", List.of(), "1.25", "discovery.k8s.io/v1"),
            new Removed("events.k8s.io/v1beta1", List.of(), "1.25", "events.k8s.io/v1"),
            new Removed("node.k8s.io/v1beta1", List.of(), "1.25", "node.k8s.io/v1"),
            new Removed("rbac.authorization.k8s.io/v1beta1", List.of(), "1.22", "rbac.authorization.k8s.io/v1"),
            new Removed("rbac.authorization.k8s.io/v1alpha1", List.of(), "1.22", "rbac.authorization.k8s.io/v1"),
            new Removed("apiextensions.k8s.io/v1beta1", List.of(), "1.22", "apiextensions.k8s.io/v1"),
            new Removed("admissionregistration.k8s.io/v1beta1", List.of(), "1.22", "admissionregistration.k8s.io/v1"),
            new Removed("apiregistration.k8s.io/v1beta1", List.of(), "1.22", "apiregistration.k8s.io/v1"),
            new Removed("scheduling.k8s.io/v1beta1", List.of(), "1.22", "scheduling.k8s.io/v1"),
            new Removed("scheduling.k8s.io/v1alpha1", List.of(), "1.17", "scheduling.k8s.io/v1"),
            new Removed("storage.k8s.io/v1beta1", List.of("CSIStorageCapacity"), "1.27", "storage.k8s.io/v1"),
            new Removed("storage.k8s.io/v1beta1", List.of(), "1.22", "storage.k8s.io/v1"),
            new Removed("certificates.k8s.io/v1beta1", List.of(), "1.22", "certificates.k8s.io/v1"),
            new Removed("coordination.k8s.io/v1beta1", List.of(), "1.22", "coordination.k8s.io/v1"),
            new Removed("flowcontrol.apiserver.k8s.io/v1beta1", List.of(), "1.26", "flowcontrol.apiserver.k8s.io/v1"),
            new Removed("flowcontrol.apiserver.k8s.io/v1beta2", List.of(), "1.29", "flowcontrol.apiserver.k8s.io/v1"));

    private final ObjectMapper mapper;

    public ServedApis(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Why no current API server accepts this object's API version, or empty when one does. */
    public static Optional<String> notServed(HasMetadata o) {
        return REMOVED.stream().filter(r -> r.covers(o)).findFirst().map(r -> o.getApiVersion() + " " + o.getKind()
                + " is not served since Kubernetes " + r.removedIn() + ": use " + r.use() + " (kubectl convert, or "
                + "rewrite the manifest); the API server refuses it and the sync fails here");
    }

    /** The group/version/kind of an object, from its apiVersion and kind. */
    public static GroupVersionKind gvk(HasMetadata o) {
        var apiVersion = o.getApiVersion() == null ? "" : o.getApiVersion();
        int slash = apiVersion.indexOf('/');
        var gvk = new GroupVersionKind();
        gvk.setGroup(slash < 0 ? "" : apiVersion.substring(0, slash));
        gvk.setVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1));
        gvk.setKind(o.getKind());
        return gvk;
    }

    /** True when the webhook is registered for this object's group, version and kind. */
    public static boolean judged(HasMetadata o) {
        return HandledKinds.of(gvk(o)).filter(c -> c.isInstance(o)).isPresent();
    }

    /**
     * The object as the webhook receives it: itself when its version is the one judged; converted to the judged
     * version when only the version differs (the API server converts served versions of one kind); else itself.
     */
    public HasMetadata asJudged(HasMetadata o) {
        if (judged(o)) {
            return o;
        }
        var gvk = gvk(o);
        for (var e : HandledKinds.KINDS.entrySet()) {
            var key = e.getKey();
            var group = key.substring(0, key.indexOf('/'));
            var kind = key.substring(key.lastIndexOf('/') + 1);
            if (group.equals(gvk.getGroup()) && kind.equals(gvk.getKind())) {
                var version = key.substring(key.indexOf('/') + 1, key.lastIndexOf('/'));
                ObjectNode tree = mapper.valueToTree(o);
                tree.put("apiVersion", group.isEmpty() ? version : group + "/" + version);
                return mapper.convertValue(tree, e.getValue());
            }
        }
        return o;
    }
}
