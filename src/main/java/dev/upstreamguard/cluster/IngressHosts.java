package dev.upstreamguard.cluster;

import java.util.LinkedHashSet;
import java.util.Set;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * The hosts an Ingress claims paths on: the host of every rule with at least one HTTP path, {@value #ANY_HOST} for a
 * rule without a host. The {@code defaultBackend} claims no host.
 */
public final class IngressHosts {
    /** The host of a rule that names none: it matches every host. */
    public static final String ANY_HOST = "*";

    private IngressHosts() {
    }

    public static Set<String> of(Ingress ingress) {
        var out = new LinkedHashSet<String>();
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            return out;
        }
        for (var rule : ingress.getSpec().getRules()) {
            if (rule != null && rule.getHttp() != null && rule.getHttp().getPaths() != null
                    && !rule.getHttp().getPaths().isEmpty()) {
                out.add(hostOf(rule.getHost()));
            }
        }
        return out;
    }

    /** A rule's host as the index keys it: {@value #ANY_HOST} when empty. */
    public static String hostOf(String host) {
        return host == null || host.isEmpty() ? ANY_HOST : host;
    }
}
