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
final class BackendRefs {
    private BackendRefs() {
    }

    /** One backendRef, whichever route kind it comes from: the fields HTTPBackendRef and GRPCBackendRef share. */
    private record Ref(String group, String kind, String name, String namespace, Integer port, Integer weight) {
    }

    /** One rule: its name, its first match for people, its backendRefs. */
    private record Rule(String name, String match, List<Ref> refs) {
    }

    static List<RouteBackend> of(ObjectRef route, String host, HTTPRouteSpec spec) {
        var rules = new ArrayList<Rule>();
        if (spec.getRules() != null) {
            for (var r : spec.getRules()) {
                rules.add(r == null || r.getBackendRefs() == null ? null : new Rule(r.getName(), httpMatch(r.getMatches()),
                        r.getBackendRefs().stream().map(b -> b == null ? null : new Ref(b.getGroup(), b.getKind(),
                                b.getName(), b.getNamespace(), b.getPort(), b.getWeight())).toList()));
            }
        }
        return of(route, host, rules);
    }

    static List<RouteBackend> of(ObjectRef route, String host, GRPCRouteSpec spec) {
        var rules = new ArrayList<Rule>();
        if (spec.getRules() != null) {
            for (var r : spec.getRules()) {
                rules.add(r == null || r.getBackendRefs() == null ? null : new Rule(r.getName(), grpcMatch(r.getMatches()),
                        r.getBackendRefs().stream().map(b -> b == null ? null : new Ref(b.getGroup(), b.getKind(),
                                b.getName(), b.getNamespace(), b.getPort(), b.getWeight())).toList()));
            }
        }
        return of(route, host, rules);
    }

    /** Every named backendRef of every rule, with the spec's defaults and its field path. */
    private static List<RouteBackend> of(ObjectRef route, String host, List<Rule> rules) {
        var out = new ArrayList<RouteBackend>();
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null) {
                continue;
            }
            for (int b = 0; b < rule.refs().size(); b++) {
                var ref = rule.refs().get(b);
                if (ref != null && ref.name() != null && !ref.name().isEmpty()) {
                    out.add(backend(route, r, b, host, rule.match(), rule.name(), ref));
                }
            }
        }
        return out;
    }

    private static RouteBackend backend(ObjectRef route, int rule, int index, String host, String match,
                                        String ruleName, Ref ref) {
        return new RouteBackend(route, "rules[" + rule + "].backendRefs[" + index + "]",
                ref.group() == null ? "" : ref.group(),
                ref.kind() == null || ref.kind().isEmpty() ? "Service" : ref.kind(),
                ref.name(),
                ref.namespace() == null || ref.namespace().isEmpty() ? route.namespace() : ref.namespace(),
                ref.port(), ref.weight() == null ? 1 : ref.weight(), host, match, ParentRef.blankToNull(ruleName));
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
