package dev.upstreamguard.rules;

import java.util.Comparator;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * No controller serves the Ingress: {@code spec.ingressClassName} names no IngressClass, or no class is named (neither
 * field nor the deprecated {@code kubernetes.io/ingress.class} annotation) and no IngressClass is marked default. The
 * legacy annotation is not judged: controllers match it against their own flag, not against IngressClass objects.
 */
public final class IngressClassMissing extends IngressRule {
    public static final RuleInfo INFO = new RuleInfo("ingress-class-missing", Severity.WARNING,
            "Ingress names no IngressClass that exists, and no default class applies",
            "An Ingress is served only by the controller of its class. When spec.ingressClassName names no "
                    + "IngressClass, or no class is named and none is marked default, no controller picks it up "
                    + "(ingress-nginx only does with --watch-ingress-without-class): its hosts answer 404 from the "
                    + "default backend, or do not resolve to any load balancer at all.",
            "Set spec.ingressClassName to an existing IngressClass (kubectl get ingressclass), or mark one class "
                    + "default with the annotation ingressclass.kubernetes.io/is-default-class: \"true\".");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Ingress ingress, ClusterView view) {
        var ref = ObjectRef.of(ingress);
        var names = view.ingressClasses().stream().map(c -> c.getMetadata().getName()).sorted().toList();
        var named = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (named != null && !named.isEmpty()) {
            return names.contains(named) ? List.of() : List.of(unknownClass(ref, named, names));
        }
        var legacy = IngressNginx.annotation(ingress, IngressNginx.CLASS_ANNOTATION);
        if ((legacy != null && !legacy.isEmpty()) || IngressNginx.defaultClass(view).isPresent()) {
            return List.of(); // the legacy annotation is matched by the controller's flag; the default class applies
        }
        return List.of(noClass(ref, names));
    }

    private static Finding unknownClass(ObjectRef ref, String named, List<String> names) {
        var message = ref + " spec.ingressClassName \"" + named + "\": no IngressClass of that name exists (there "
                + (names.isEmpty() ? "are none" : "are: " + Routes.closest(names, named, 5)) + "); no controller "
                + "serves this Ingress, its hosts answer 404 or do not resolve.";
        var fix = names.isEmpty() ? "install the ingress controller (it creates IngressClass \"" + named
                + "\"), or create that IngressClass."
                : "set spec.ingressClassName to \"" + closest(names, named) + "\", or create IngressClass \"" + named
                        + "\".";
        var summary = ref + ": IngressClass \"" + named + "\" not found";
        return INFO.finding(ref, "class", summary, message, fix, List.of(ref));
    }

    private static Finding noClass(ObjectRef ref, List<String> names) {
        var message = ref + " has no spec.ingressClassName and no " + IngressNginx.CLASS_ANNOTATION
                + " annotation, and no IngressClass is marked default (" + IngressNginx.DEFAULT_CLASS_ANNOTATION
                + ": \"true\"; classes: " + (names.isEmpty() ? "none" : String.join(", ", names))
                + "): no controller serves it, its hosts answer 404 or do not resolve.";
        var fix = names.isEmpty() ? "install an ingress controller and set spec.ingressClassName to its class."
                : "set spec.ingressClassName to one of " + String.join(", ", names) + ", or annotate an IngressClass "
                        + IngressNginx.DEFAULT_CLASS_ANNOTATION + ": \"true\".";
        var summary = ref + ": no ingressClassName and no default IngressClass";
        return INFO.finding(ref, "class", summary, message, fix, List.of(ref));
    }

    private static String closest(List<String> names, String wanted) {
        return names.stream().min(Comparator.comparingInt((String n) -> Routes.distance(n, wanted))
                .thenComparing(Comparator.naturalOrder())).orElseThrow();
    }
}
