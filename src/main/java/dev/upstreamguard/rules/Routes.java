package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * Which routes lead where, judged per Service port: a port is <em>routed</em> when at least one route (an Ingress
 * backend or a Gateway API backendRef) resolves to it, by number or by name. And the phrases that name routes in
 * messages, plus "did you mean" suggestions.
 */
public final class Routes {
    private Routes() {
    }

    /** The routes that resolve to this port of the Service. */
    public static List<Backend> toPort(ClusterView view, Service service, ServicePort port) {
        var out = new ArrayList<Backend>();
        for (var b : view.backendsNaming(service.getMetadata().getNamespace(), service.getMetadata().getName())) {
            if (b.asksFor(port.getName(), port.getPort())) {
                out.add(b);
            }
        }
        return out;
    }

    /** The routes that resolve to any port of the Service. ExternalName Services resolve every port named. */
    public static List<Backend> toService(ClusterView view, Service service) {
        var named = view.backendsNaming(service.getMetadata().getNamespace(), service.getMetadata().getName());
        if (named.isEmpty() || Services.externalName(service)) {
            return named;
        }
        var out = new ArrayList<Backend>();
        for (var b : named) {
            if (Services.ports(service).stream().anyMatch(p -> b.asksFor(p.getName(), p.getPort()))) {
                out.add(b);
            }
        }
        return out;
    }

    /** True when some route resolves to one of the Service's ports. */
    public static boolean routed(ClusterView view, Service service) {
        return !toService(view, service).isEmpty();
    }

    /** True when some route resolves to the port with this {@link Services#portKey key}. */
    public static boolean routed(ClusterView view, Service service, String portKey) {
        return Services.port(service, portKey).map(p -> !toPort(view, service, p).isEmpty()).orElse(false);
    }

    /**
     * {@code Ingress shop/web (shop.example.com/) -> } naming the first of these routes and how many more, or "" when
     * there are none.
     */
    static String leadingTo(List<Backend> routes) {
        if (routes.isEmpty()) {
            return "";
        }
        var first = routes.stream().min(Comparator.comparing((Backend b) -> b.route().toString())
                .thenComparing(Backend::field)).orElseThrow();
        var more = routes.size() > 1 ? " (+" + (routes.size() - 1) + " more routes)" : "";
        return first.brief() + more + " -> ";
    }

    /** The phrase for routes to any port of the Service. */
    static String leadingTo(ClusterView view, Service service) {
        return leadingTo(toService(view, service));
    }

    /** The phrase for routes to this port only: a message about one port names only the routes that use it. */
    static String leadingTo(ClusterView view, Service service, ServicePort port) {
        return leadingTo(toPort(view, service, port));
    }

    /**
     * The finding of a route whose Service does not exist, for the rule of that link on that route kind: the chain, the
     * Services the namespace has (closest first) and the fix. On a CREATE it may appear later in the same sync.
     *
     * @param pointer what the route calls its reference: "backend" (Ingress) or "backendRef" (Gateway API)
     */
    static Finding serviceMissing(RuleInfo info, RouteWalk walk, ClusterView view, String pointer) {
        var b = walk.backend();
        var svc = b.service();
        var names = view.servicesIn(svc.namespace()).stream().map(s -> s.getMetadata().getName()).toList();
        var message = b.describe() + " -> " + svc + ": no such Service in namespace " + svc.namespace() + " (it has: "
                + closest(names, svc.name(), 5) + ").";
        var fix = "create Service " + svc.namespace() + "/" + svc.name() + ", or point the " + pointer
                + " at an existing Service.";
        return info.finding(b.route(), b.routeKey(), walk.briefChain() + ": Service not found", message, fix,
                List.of(b.route(), svc)).absent();
    }

    /** Up to {@code max} names, closest to {@code wanted} first; "none" when empty. */
    static String closest(List<String> names, String wanted, int max) {
        if (names.isEmpty()) {
            return "none";
        }
        var s = String.join(", ", byDistance(names, wanted, max));
        return names.size() > max ? s + ", ..." : s;
    }

    /** Up to {@code max} names, closest to {@code wanted} by edit distance first (then alphabetically). */
    public static List<String> nearest(List<String> names, String wanted, int max) {
        return byDistance(names, wanted, max);
    }

    /** The one name closest to {@code wanted}. */
    static String closestOne(List<String> names, String wanted) {
        var best = byDistance(names, wanted, 1);
        return best.isEmpty() ? "" : best.get(0);
    }

    /**
     * The {@code max} names closest to {@code wanted}, each distance computed once (a namespace can hold thousands of
     * names; a comparator that computed them would do it n log n times).
     */
    private static List<String> byDistance(List<String> names, String wanted, int max) {
        record Scored(String name, int distance) {
        }
        var scored = new ArrayList<Scored>(names.size());
        for (var n : names) {
            scored.add(new Scored(n, distance(n, wanted)));
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        var out = new ArrayList<String>(Math.min(max, scored.size()));
        for (int i = 0; i < scored.size() && i < max; i++) {
            out.add(scored.get(i).name());
        }
        return out;
    }

    /**
     * Levenshtein distance, for "did you mean" suggestions on the failure path only. Only the first 64 characters count
     * (Kubernetes names are at most 63; a label value or annotation could be far longer).
     */
    static int distance(String a, String b) {
        a = a.length() > 64 ? a.substring(0, 64) : a;
        b = b.length() > 64 ? b.substring(0, 64) : b;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            var t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
