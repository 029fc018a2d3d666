package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.RouteBackends;
import dev.upstreamguard.gateway.GatewayRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;

/**
 * The routes one rule of an HTTPRoute or GRPCRoute sends requests to: its Service backendRefs, each with its share of
 * the rule's requests (by weight). A backendRef of weight 0 gets none and is not walked; a backendRef of another kind
 * is noted. A rule that has no backendRef to send to answers 500, unless it redirects.
 */
final class GatewayTargets {
    private GatewayTargets() {
    }

    /** The routes a rule sends to, or the break when it sends to none (500); notes go to the caller's list. */
    record Targets(List<RouteTarget> routes, Hop broken) {
    }

    /** The targets of rule {@code rule}. */
    static Targets of(HasMetadata route, int rule, List<String> notes) {
        var prefix = "rules[" + rule + "].";
        var refs = GatewayRoute.of(route).backends().stream().filter(b -> b.field().startsWith(prefix)).toList();
        var ref = GatewayRoute.of(route).ref();
        if (refs.isEmpty()) {
            if (redirects(route, rule)) {
                notes.add(ref + " rules[" + rule + "] redirects (RequestRedirect): no backend to walk");
                return new Targets(List.of(), null);
            }
            return new Targets(List.of(), Hop.broken("backend", Problem.error(ref + " rules[" + rule + "] has no "
                    + "backendRefs: the gateway answers 500 for every request it matches.", "add a backendRef to the "
                    + "rule, or a RequestRedirect filter.")));
        }
        int total = refs.stream().mapToInt(b -> Math.max(0, b.weight())).sum();
        if (total == 0) {
            return new Targets(List.of(), Hop.broken("backend", Problem.error(ref + " rules[" + rule + "]: every "
                    + "backendRef has weight 0: the gateway answers 500 for every request it matches.", "give a "
                    + "backendRef a weight above 0.")));
        }
        var services = RouteBackends.of(route);
        var out = new ArrayList<RouteTarget>();
        for (var b : refs) {
            if (!b.isService()) {
                var group = b.group().isEmpty() ? "core" : b.group();
                notes.add(ref + " " + b.field() + " names " + b.target() + " (" + group + "), not a Service: not walked");
                continue;
            }
            if (b.weight() <= 0) {
                notes.add(ref + " " + b.field() + " -> " + b.target() + " has weight 0: it gets no requests");
                continue;
            }
            var share = refs.size() == 1 ? null : Math.round(b.weight() * 100.0 / total) + "%";
            services.stream().filter(s -> s.field().equals(b.field())).findFirst()
                    .ifPresent(s -> out.add(new RouteTarget(route, s, share)));
        }
        return new Targets(out, null);
    }

    /** Every rule's targets, for a route asked about by name. */
    static List<RouteTarget> all(HasMetadata route, List<String> notes, List<Hop> broken) {
        int rules = ruleCount(route);
        var out = new ArrayList<RouteTarget>();
        for (int r = 0; r < rules; r++) {
            var targets = of(route, r, notes);
            out.addAll(targets.routes());
            if (targets.broken() != null) {
                broken.add(targets.broken());
            }
        }
        return out;
    }

    private static int ruleCount(HasMetadata route) {
        if (route instanceof HTTPRoute http) {
            return http.getSpec() == null || http.getSpec().getRules() == null ? 0 : http.getSpec().getRules().size();
        }
        var grpc = (io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute) route;
        return grpc.getSpec() == null || grpc.getSpec().getRules() == null ? 0 : grpc.getSpec().getRules().size();
    }

    private static boolean redirects(HasMetadata route, int rule) {
        if (!(route instanceof HTTPRoute http) || http.getSpec() == null || http.getSpec().getRules() == null) {
            return false;
        }
        var r = http.getSpec().getRules().get(rule);
        return r != null && r.getFilters() != null && r.getFilters().stream()
                .anyMatch(f -> f != null && "RequestRedirect".equals(f.getType()));
    }
}
