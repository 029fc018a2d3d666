package dev.upstreamguard.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.upstreamguard.cluster.GatewayApi;
import dev.upstreamguard.rules.IngressNginx;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * The fields the rules read, so an UPDATE that changes none of them (Argo CD or Flux label churn, a Helm no-op
 * re-apply, a rollout-restart annotation) is recognised and never evaluated: a no-op must never be denied, or a
 * degraded app could never be re-synced.
 */
final class Relevance {
    private Relevance() {
    }

    static boolean sameForRules(HasMetadata a, HasMetadata b) {
        return fingerprint(a).equals(fingerprint(b));
    }

    static List<Object> fingerprint(HasMetadata o) {
        if (o instanceof Ingress i) {
            return Arrays.asList(i.getSpec(), ruleAnnotations(i));
        }
        if (o instanceof Service s) {
            var spec = s.getSpec();
            return spec == null ? List.of() : Arrays.asList(spec.getSelector(), spec.getPorts(), spec.getType(),
                    spec.getClusterIP(), spec.getExternalName(), spec.getPublishNotReadyAddresses());
        }
        if (o instanceof Deployment d && d.getSpec() != null) {
            var s = d.getSpec();
            return Arrays.asList(s.getReplicas(), s.getSelector(), s.getStrategy(), s.getMinReadySeconds(),
                    labels(s.getTemplate()), podSpec(s.getTemplate()));
        }
        if (o instanceof StatefulSet st && st.getSpec() != null) {
            var s = st.getSpec();
            return Arrays.asList(s.getReplicas(), s.getSelector(), s.getUpdateStrategy(), labels(s.getTemplate()),
                    podSpec(s.getTemplate()));
        }
        if (o instanceof DaemonSet ds && ds.getSpec() != null) {
            var s = ds.getSpec();
            return Arrays.asList(s.getSelector(), s.getUpdateStrategy(), labels(s.getTemplate()), podSpec(s.getTemplate()));
        }
        if (GatewayApi.judged(o)) {
            // routes, Gateways and grants: only the spec is read (labels, annotations and status churn are no-ops)
            return Arrays.asList(spec(o));
        }
        return List.of(o); // unknown kinds: any change is relevant
    }

    /**
     * The annotations Ingress rules read: ingress-nginx's, under the default prefix or, for the names the rules read,
     * under any prefix (the configured {@code --annotations-prefix} is not known here; counting a foreign annotation
     * only costs an evaluation), and the class annotation.
     */
    private static Map<String, String> ruleAnnotations(Ingress i) {
        var out = new TreeMap<String, String>();
        var annotations = i.getMetadata().getAnnotations();
        if (annotations != null) {
            annotations.forEach((k, v) -> {
                if (k.startsWith(IngressNginx.DEFAULT_PREFIX + "/") || k.equals(IngressNginx.CLASS_ANNOTATION)
                        || (k.indexOf('/') > 0 && IngressNginx.READ_NAMES.contains(k.substring(k.lastIndexOf('/') + 1)))) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    /** The spec of a Gateway API object, typed or generic. */
    private static Object spec(HasMetadata o) {
        if (o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource g) {
            return g.getAdditionalProperties().get("spec");
        }
        if (o instanceof HTTPRoute r) {
            return r.getSpec();
        }
        if (o instanceof GRPCRoute r) {
            return r.getSpec();
        }
        if (o instanceof Gateway g) {
            return g.getSpec();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant g) {
            return g.getSpec();
        }
        return o;
    }

    private static Object labels(PodTemplateSpec t) {
        return t == null || t.getMetadata() == null ? null : t.getMetadata().getLabels();
    }

    private static Object podSpec(PodTemplateSpec t) {
        return t == null ? null : t.getSpec();
    }
}
