package dev.upstreamguard.rules;

import java.util.List;
import java.util.Optional;

/** Every rule the guard knows, in catalog order. */
public final class RuleCatalog {
    private static final List<Rule<?>> ALL = List.of(
            new IngressServiceMissing(),
            new IngressServicePortMissing(),
            new ServiceSelectsNothing(),
            new ServiceTargetPortMissing(),
            new IngressNginxTimeoutInvalid(IngressNginx.DEFAULT_PREFIX),
            new IngressClassMissing(),
            new IngressHostPathConflict(IngressNginx.DEFAULT_PREFIX),
            new IngressBackendProtocolMismatch(IngressNginx.DEFAULT_PREFIX));

    private RuleCatalog() {
    }

    /** Every rule, reading ingress-nginx annotations under the default prefix {@code nginx.ingress.kubernetes.io}. */
    public static List<Rule<?>> all() {
        return ALL;
    }

    /**
     * Every rule, reading ingress-nginx annotations under {@code annotationPrefix} (the controller's
     * {@code --annotations-prefix}): the rules that read them are built anew with it.
     */
    public static List<Rule<?>> all(String annotationPrefix) {
        var prefix = IngressNginx.normalizePrefix(annotationPrefix);
        if (prefix.equals(IngressNginx.DEFAULT_PREFIX)) {
            return ALL;
        }
        return ALL.stream().<Rule<?>>map(r -> r instanceof IngressNginx.PrefixAware p ? p.withAnnotationPrefix(prefix) : r)
                .toList();
    }

    public static Optional<RuleInfo> info(String id) {
        return ALL.stream().map(Rule::info).filter(i -> i.id().equals(id)).findFirst();
    }
}
