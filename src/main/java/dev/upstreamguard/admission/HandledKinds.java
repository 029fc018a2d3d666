package dev.upstreamguard.admission;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * The kinds {@code /validate} judges, by group/version/kind, with the model class the object must parse to. The
 * webhook configuration in {@code deploy/} registers exactly these (a test keeps them in step).
 */
public final class HandledKinds {
    /** "group/version/Kind" -> model class. */
    public static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "/v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "apps/v1/DaemonSet", DaemonSet.class,
            "gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class,
            "gateway.networking.k8s.io/v1/GRPCRoute", GRPCRoute.class,
            "gateway.networking.k8s.io/v1/Gateway", Gateway.class,
            "gateway.networking.k8s.io/v1beta1/ReferenceGrant", ReferenceGrant.class,
            // fabric8 7.5 has no class for the v1 ReferenceGrant: it arrives as a generic resource
            "gateway.networking.k8s.io/v1/ReferenceGrant", GenericKubernetesResource.class);

    /** Subresources the webhook is registered for (UPDATE only), judged by the workload rules: "resource/sub" -> parent kind. */
    public static final Map<String, String> SUBRESOURCES = Map.of(
            "deployments/scale", "Deployment",
            "statefulsets/scale", "StatefulSet");

    private HandledKinds() {
    }

    /** The parent kind of a handled subresource request ({@code deployments/scale}), if it is one. */
    public static Optional<String> parentOfSubresource(io.fabric8.kubernetes.api.model.GroupVersionResource resource,
                                                      String subResource) {
        if (resource == null || subResource == null || subResource.isEmpty() || !"apps".equals(resource.getGroup())) {
            return Optional.empty();
        }
        return Optional.ofNullable(SUBRESOURCES.get(resource.getResource() + "/" + subResource));
    }

    public static Optional<Class<? extends HasMetadata>> of(GroupVersionKind gvk) {
        if (gvk == null) {
            return Optional.empty();
        }
        var group = gvk.getGroup() == null ? "" : gvk.getGroup();
        return Optional.ofNullable(KINDS.get(group + "/" + gvk.getVersion() + "/" + gvk.getKind()));
    }
}
