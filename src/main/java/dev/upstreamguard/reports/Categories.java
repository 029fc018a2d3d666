package dev.upstreamguard.reports;

import java.util.List;

/**
 * The category of a rule's results in a policy report, derived from its id: the rule family. Policy Reporter groups
 * and filters results by category. Documented in docs/policyreports.md.
 */
public final class Categories {
    /** Configuration ingress-nginx reads from annotations. */
    public static final String INGRESS_NGINX = "ingress-nginx";
    /** Readiness, liveness and startup probes. */
    public static final String PROBES = "probes";
    /** Replicas and rollout strategy: what can take every endpoint away at once. */
    public static final String ROLLOUT = "rollout";
    /** A Service's selector and targetPorts: whether it gets endpoints. */
    public static final String ENDPOINTS = "endpoints";
    /** A route and its links: Ingress and Gateway API routes, classes, hosts and paths, parents, backends, grants. */
    public static final String ROUTING = "routing";
    /** A rule of no family above (a new rule should get one). */
    public static final String OTHER = "other";
    /** Every category, in the order docs/policyreports.md lists them. */
    public static final List<String> ALL = List.of(ROUTING, ENDPOINTS, PROBES, ROLLOUT, INGRESS_NGINX, OTHER);

    private Categories() {
    }

    /** The category of the rule with this id. */
    public static String of(String ruleId) {
        // most specific first: ingress-nginx-* before ingress-*, *-probe-* before anything a probe rule may start with
        if (ruleId.startsWith("ingress-nginx-")) {
            return INGRESS_NGINX;
        }
        if (ruleId.contains("probe") || ruleId.startsWith("liveness-") || ruleId.startsWith("readiness-")
                || ruleId.startsWith("startup-")) {
            return PROBES;
        }
        if (ruleId.startsWith("rollout-") || ruleId.startsWith("workload-")) {
            return ROLLOUT;
        }
        if (ruleId.startsWith("service-")) {
            return ENDPOINTS;
        }
        if (ruleId.startsWith("ingress-") || ruleId.startsWith("route-") || ruleId.startsWith("gateway-")
                || ruleId.startsWith("reference-grant-") || ruleId.startsWith("grpc-") || ruleId.startsWith("http-")) {
            return ROUTING;
        }
        return OTHER;
    }
}
