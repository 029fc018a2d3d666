package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;

/**
 * Lists the backendRefs of HTTPRoute and GRPCRoute rules as {@link RouteBackend}s. A backendRef without a name is
 * skipped: the API server rejects it, and there is nothing to resolve.
 */
final class RouteBackends {
    private RouteBackends() {
    }

    static List<RouteBackend> of(ObjectRef route, String host, HTTPRouteSpec spec) {
        var out = new ArrayList<RouteBackend>();
        var rules = spec.getRules();
        if (rules == null) {
            return out;
        }
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null || rule.getBackendRefs() == null) {
                continue;
            }
            var match = httpMatch(rule.getMatches());
            var refs = rule.getBackendRefs();
            for (int b = 0; b < refs.size(); b++) {
                var ref = refs.get(b);
                if (ref != null && ref.getName() != null && !ref.getName().isEmpty()) {
                    out.add(backend(route, r, b, host, match, rule.getName(), ref.getGroup(), ref.getKind(),
                            ref.getName(), ref.getNamespace(), ref.getPort(), ref.getWeight()));
                }
            }
        }
        return out;
    }

    static List<RouteBackend> of(ObjectRef route, String host, GRPCRouteSpec spec) {
        var out = new ArrayList<RouteBackend>();
        var rules = spec.getRules();
        if (rules == null) {
            return out;
        }
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null || rule.getBackendRefs() == null) {
                continue;
            }
            var match = grpcMatch(rule.getMatches());
            var refs = rule.getBackendRefs();
            for (int b = 0; b < refs.size(); b++) {
                var ref = refs.get(b);
                if (ref != null && ref.getName() != null && !ref.getName().isEmpty()) {
                    out.add(backend(route, r, b, host, match, rule.getName(), ref.getGroup(), ref.getKind(),
                            ref.getName(), ref.getNamespace(), ref.getPort(), ref.getWeight()));
                }
            }
        }
        return out;
    }

    private static RouteBackend backend(ObjectRef route, int rule, int index, String host, String match,
                                        String ruleName, String group, String kind, String name, String namespace,
                                        Integer port, Integer weight) {
        return new RouteBackend(route, "rules[" + rule + "].backendRefs[" + index + "]",
                group == null ? "" : group,
                kind == null || kind.isEmpty() ? "Service" : kind,
                name,
                namespace == null || namespace.isEmpty() ? route.namespace() : namespace,
                port, weight == null ? 1 : weight, host, match, ParentRef.blankToNull(ruleName));
    }

    /**
     * The first match's path: {@code /catalog} for a prefix (the usual case, printed bare), else {@code Exact /tea} or
     * {@code RegularExpression ^/v[0-9]+}. A rule without matches, or a match without a path, matches prefix "/".
     */
    static String httpMatch(List<HTTPRouteMatch> matches) {
        var first = matches == null || matches.isEmpty() ? null : matches.get(0);
        HTTPPathMatch path = first == null ? null : first.getPath();
        var type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
        var value = path == null || path.getValue() == null ? "/" : path.getValue();
        return type.equals("PathPrefix") ? value : type + " " + value;
    }

    /**
     * The first match's method: {@code helloworld.Greeter/SayHello}, {@code helloworld.Greeter/*} or
     * {@code *}{@code /SayHello}; null when the rule matches every call (no matches, or a match on headers only).
     */
    static String grpcMatch(List<GRPCRouteMatch> matches) {
        var first = matches == null || matches.isEmpty() ? null : matches.get(0);
        GRPCMethodMatch method = first == null ? null : first.getMethod();
        if (method == null || (isBlank(method.getService()) && isBlank(method.getMethod()))) {
            return null;
        }
        var service = isBlank(method.getService()) ? "*" : method.getService();
        var name = isBlank(method.getMethod()) ? "*" : method.getMethod();
        var type = method.getType() == null || method.getType().equals("Exact") ? "" : method.getType() + " ";
        return type + service + "/" + name;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }
}
