package dev.upstreamguard.rules;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import dev.upstreamguard.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/**
 * ingress-nginx conventions several rules share: its annotation prefix (the controller's {@code --annotations-prefix}),
 * canaries, and the class that serves an Ingress.
 */
public final class IngressNginx {
    /** ingress-nginx's default {@code --annotations-prefix}. */
    public static final String DEFAULT_PREFIX = "nginx.ingress.kubernetes.io";
    /** The deprecated class annotation, matched by the controller against its {@code --ingress-class} flag. */
    public static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
    /** Marks the IngressClass that Ingresses without a class get. */
    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    /** The annotation names, after the prefix, that the rules read: an update changing one must be evaluated. */
    public static final Set<String> READ_NAMES = Set.of("proxy-connect-timeout", "proxy-read-timeout",
            "proxy-send-timeout", "proxy-next-upstream-timeout", "canary", "backend-protocol");

    private IngressNginx() {
    }

    /** The prefix without a trailing slash; blank means the default. */
    public static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return DEFAULT_PREFIX;
        }
        var p = prefix.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? DEFAULT_PREFIX : p;
    }

    static String annotation(HasMetadata o, String key) {
        var annotations = o.getMetadata() == null ? null : o.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** {@code <prefix>/canary: "true"}: the Ingress shares its host and path with a main Ingress on purpose. */
    public static boolean canary(Ingress ingress, String prefix) {
        return "true".equalsIgnoreCase(String.valueOf(annotation(ingress, prefix + "/canary")).trim());
    }

    /** The class that serves the Ingress: {@code spec.ingressClassName}, else the legacy annotation, else the default. */
    public static Optional<String> effectiveClass(Ingress ingress, ClusterView view) {
        var named = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (named != null && !named.isEmpty()) {
            return Optional.of(named);
        }
        var legacy = annotation(ingress, CLASS_ANNOTATION);
        if (legacy != null && !legacy.isEmpty()) {
            return Optional.of(legacy);
        }
        return defaultClass(view).map(c -> c.getMetadata().getName());
    }

    /** The {@code spec.controller} of ingress-nginx's IngressClasses. */
    public static final String CONTROLLER = "k8s.io/ingress-nginx";

    /**
     * True when ingress-nginx serves the Ingress, so its annotations mean something: the effective class (the field, the
     * legacy annotation, else the default class) is an IngressClass whose controller is ingress-nginx's. A class the
     * view does not know (a manifests-only check, a class not created yet) counts when its name says nginx, as the
     * controller's own default {@code --ingress-class=nginx} does. Other controllers ignore nginx annotations.
     */
    public static boolean servedByNginx(Ingress ingress, ClusterView view) {
        var cls = effectiveClass(ingress, view).orElse(null);
        if (cls == null) {
            return false; // no class and no default: no controller serves it (ingress-class-missing says so)
        }
        var known = view.ingressClasses().stream().filter(c -> cls.equals(c.getMetadata().getName())).findFirst();
        if (known.isPresent()) {
            var spec = known.get().getSpec();
            return spec != null && CONTROLLER.equals(spec.getController());
        }
        return cls.toLowerCase(java.util.Locale.ROOT).contains("nginx");
    }

    /** The IngressClass marked default; with several, the newest, as the API server picks it. */
    static Optional<IngressClass> defaultClass(ClusterView view) {
        return view.ingressClasses().stream()
                .filter(c -> "true".equals(annotation(c, DEFAULT_CLASS_ANNOTATION)))
                .max(Comparator.comparing((IngressClass c) -> String.valueOf(c.getMetadata().getCreationTimestamp()))
                        .thenComparing(c -> c.getMetadata().getName()));
    }
}
