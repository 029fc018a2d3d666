package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.IngressBackends;
import dev.upstreamguard.cluster.IngressHosts;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.rules.RouteNotAttached;
import dev.upstreamguard.rules.Routes;
import dev.upstreamguard.rules.Services;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;

/**
 * Answers one {@link ExplainQuery} over a view: which rule of each data plane serves the URL ({@link NginxMatcher},
 * {@link GatewayMatcher}), then every route reached, hop by hop ({@link RouteHops}). Reads the view only; runs on the
 * caller's thread, never on the admission path, and takes no lock the admission path waits on. Whole-view listings
 * (every Ingress, every route) are read here, which the request path never does: explain is asked by people, a few
 * times.
 */
public final class Explainer {
    static final int SUGGESTIONS = 5;

    private final ClusterIndex view;
    private final Judge judge;
    private final RouteHops hops;

    /**
     * @param runtimeFacts the view holds live pods and EndpointSlices (a cluster, not manifests): readiness is judged
     */
    public Explainer(ClusterIndex view, Judge judge, boolean runtimeFacts) {
        this.view = view;
        this.judge = judge;
        this.hops = new RouteHops(view, judge, runtimeFacts);
    }

    /**
     * Not inside {@link ClusterIndex#consistent}: that read lock holds the informers' writes back, and a writer waiting
     * on it holds new reviews back too; an explanation that lists the whole view must not sit on the admission path.
     * Each lookup sees the view as it is at that moment, which is what a person troubleshooting wants anyway.
     */
    public Explanation explain(ExplainQuery q) {
        return switch (q.subject()) {
            case URL -> url(q);
            case INGRESS -> ingress(q);
            case ROUTE -> route(q);
            case SERVICE -> service(q);
        };
    }

    private Explanation url(ExplainQuery q) {
        var url = q.url();
        var found = new ArrayList<Section>();
        var nginx = new NginxMatcher(view, judge.annotationPrefix()).resolve(url.host(), url.path());
        boolean catchAll = nginx.map(m -> m.resolution().server().startsWith("_")).orElse(false);
        nginx.ifPresent(m -> found.add(walk(m)));
        var gateways = new GatewayMatcher(view).resolve(q);
        gateways.served().forEach(m -> found.add(walk(m)));
        if (gateways.served().isEmpty() && !gateways.unattached().isEmpty()) {
            found.add(unattached(gateways.unattached()));
        }
        var sections = servedElsewhere(found);
        var suggestions = sections.isEmpty() || catchAll && sections.size() == 1
                ? Routes.nearest(knownHosts(), url.host(), SUGGESTIONS) : List.<String>of();
        if (sections.isEmpty()) {
            var problem = Problem.error("no Ingress rule and no attached HTTPRoute serves host " + url.host()
                    + ": the gateway answers 404 (or the name does not resolve to it).", suggestions.isEmpty()
                    ? "create an Ingress or HTTPRoute for " + url.host() + "."
                    : "check the host; the closest hosts served here: " + String.join(", ", suggestions) + ".");
            return new Explanation(q, List.of(), Hop.broken("host", problem), suggestions);
        }
        return new Explanation(q, sections, null, suggestions);
    }

    /**
     * A data plane where no rule matches the path (a 404 there) is broken only if no other data plane serves the
     * request: during a move from Ingress to Gateway API both serve the host, each only some paths, and which one the
     * URL reaches is up to DNS. Where another serves it, the 404 is a note.
     */
    private static List<Section> servedElsewhere(List<Section> sections) {
        var serving = sections.stream().filter(s -> s.resolution() != null && s.resolution().winner() != null)
                .map(Section::dataPlane).toList();
        if (serving.isEmpty()) {
            return sections;
        }
        var out = new ArrayList<Section>();
        for (var s : sections) {
            if (s.broken() == null || !s.broken().name().equals("match")) {
                out.add(s);
                continue;
            }
            var notes = new ArrayList<String>(s.notes());
            notes.add(s.broken().problem().message() + " (" + String.join(", ", serving) + " serves it; which of "
                    + "them the URL reaches is up to DNS)");
            out.add(new Section(s.dataPlane(), s.resolution(), null, s.walks(), notes));
        }
        return out;
    }

    private Section walk(Matched m) {
        var walks = m.targets().stream().map(hops::walk).toList();
        return new Section(m.dataPlane(), m.resolution(), m.broken(), walks, m.notes());
    }

    /** Routes match the request but attach to no Gateway listener: the webhook's finding on the first. */
    private Section unattached(List<HasMetadata> routes) {
        var first = routes.get(0);
        var findings = judge.rule(RouteNotAttached.INFO.id(), first, view);
        var problem = findings.isEmpty() ? Problem.error(ObjectRef.of(first) + " attaches to no Gateway listener: "
                + "404.", "attach it to a Gateway listener.") : Problem.of(findings.get(0));
        var notes = routes.stream().skip(1).map(r -> ObjectRef.of(r) + " matches too and attaches to no listener either")
                .toList();
        return new Section("Gateway API", null, Hop.broken("attached", problem), List.of(), notes);
    }

    private Explanation ingress(ExplainQuery q) {
        var ingress = view.ingress(q.namespace(), q.name()).orElse(null);
        if (ingress == null) {
            var names = view.allIngresses().stream().filter(i -> q.namespace().equals(i.getMetadata().getNamespace()))
                    .map(i -> i.getMetadata().getName()).toList();
            return missing(q, "Ingress", names);
        }
        var notes = new ArrayList<String>();
        var targets = new ArrayList<RouteTarget>();
        for (var b : IngressBackends.of(ingress)) {
            targets.add(new RouteTarget(ingress, b, null));
        }
        if (targets.isEmpty()) {
            notes.add(ObjectRef.of(ingress) + " has no path or default backend that names a Service");
        }
        var walks = targets.stream().map(hops::walk).toList();
        return new Explanation(q, List.of(new Section(ObjectRef.of(ingress).toString(), null, null, walks, notes)),
                null, List.of());
    }

    private Explanation route(ExplainQuery q) {
        var sections = new ArrayList<Section>();
        for (var kind : List.of(GatewayRoute.HTTP_ROUTE, GatewayRoute.GRPC_ROUTE)) {
            view.gatewayApiObject(kind, q.namespace(), q.name()).ifPresent(route -> {
                var notes = new ArrayList<String>();
                var broken = new ArrayList<Hop>();
                var walks = GatewayTargets.all(route, notes, broken).stream().map(hops::walk).toList();
                if (walks.isEmpty() && broken.isEmpty()) {
                    notes.add(ObjectRef.of(route) + " has no backendRef to a Service");
                }
                sections.add(new Section(ObjectRef.of(route).toString(), null, broken.isEmpty() ? null : broken.get(0),
                        walks, notes));
            });
        }
        if (sections.isEmpty()) {
            var names = view.allGatewayRoutes().stream().filter(r -> q.namespace().equals(r.getMetadata().getNamespace()))
                    .map(r -> r.getMetadata().getName()).distinct().toList();
            return missing(q, "HTTPRoute or GRPCRoute", names);
        }
        return new Explanation(q, sections, null, List.of());
    }

    private Explanation service(ExplainQuery q) {
        var service = view.service(q.namespace(), q.name()).orElse(null);
        if (service == null) {
            var names = view.servicesIn(q.namespace()).stream().map(s -> s.getMetadata().getName()).toList();
            return missing(q, "Service", names);
        }
        var targets = new ArrayList<RouteTarget>();
        for (var b : view.backendsNaming(q.namespace(), q.name())) {
            view.object(b.route()).ifPresent(owner -> targets.add(new RouteTarget(owner, b, null)));
        }
        targets.sort(Comparator.comparing((RouteTarget t) -> t.route().route().toString())
                .thenComparing(t -> t.route().field()));
        var notes = new ArrayList<String>();
        if (targets.isEmpty()) {
            notes.add("no Ingress or HTTPRoute routes to " + ObjectRef.of(service) + ": its ports are walked from the "
                    + "Service, with the Service's own rules");
            targets.addAll(ownPorts(service));
        }
        var walks = targets.stream().map(hops::walk).toList();
        return new Explanation(q, List.of(new Section(ObjectRef.of(service).toString(), null, null, walks, notes)),
                null, List.of());
    }

    /** Each port of a Service no route names, as a route from the Service itself (by port number). */
    private static List<RouteTarget> ownPorts(Service service) {
        var ref = ObjectRef.of(service);
        var out = new ArrayList<RouteTarget>();
        var ports = Services.ports(service);
        for (int i = 0; i < ports.size(); i++) {
            var p = ports.get(i);
            var where = "port " + Services.describe(p);
            out.add(new RouteTarget(service, new Backend(ref, "spec.ports[" + i + "]", null, null, null, ref,
                    p.getPort(), null, where, where), null));
        }
        return out;
    }

    private Explanation missing(ExplainQuery q, String kind, List<String> names) {
        var suggestions = Routes.nearest(names, q.name(), SUGGESTIONS);
        var problem = Problem.error("no " + kind + " " + q.namespace() + "/" + q.name() + " in this view (namespace "
                + q.namespace() + " has: " + (names.isEmpty() ? "none" : String.join(", ", suggestions)
                + (names.size() > SUGGESTIONS ? ", ..." : "")) + ").", "check the namespace and name.");
        return new Explanation(q, List.of(), Hop.broken("object", problem), suggestions);
    }

    /** Every host an Ingress rule or an HTTPRoute/GRPCRoute names, for "did you mean". */
    private List<String> knownHosts() {
        var hosts = new TreeSet<String>();
        for (var i : view.allIngresses()) {
            IngressHosts.of(i).stream().filter(h -> !h.equals(IngressHosts.ANY_HOST)).forEach(hosts::add);
        }
        for (var r : view.allGatewayRoutes()) {
            hosts.addAll(GatewayRoute.of(r).hostnames());
        }
        return List.copyOf(hosts);
    }
}
