package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.NamespaceState;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.gateway.Attachment;
import dev.upstreamguard.gateway.Attachments;
import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.Listeners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;

/**
 * Resolves a request the way a Gateway API implementation does, per Gateway. The listener first: of the listeners
 * covering the host, one on the URL's port, the most specific hostname (exact, then the longest wildcard, then none).
 * Then the rules of the routes attached to that listener ({@link Attachments}) whose hostnames cover the host, by the
 * spec's precedence: an exact hostname over a wildcard (longer first), Exact path over PathPrefix (longest) over
 * RegularExpression, a method match, more header matches, more query parameter matches, the oldest route
 * (creationTimestamp), namespace/name alphabetically, then rule and match order. A gRPC call (content-type
 * application/grpc) is matched against GRPCRoutes (service, then method, then headers), any other request against
 * HTTPRoutes. Routes that match but attach to no listener are kept: they are why a host answers 404.
 */
final class GatewayMatcher {
    private static final Precedence<RuleMatch> HTTP = new Precedence<>(List.of(
            new Precedence.Criterion<>("an exact hostname over a wildcard", hostnameExactness()),
            new Precedence.Criterion<>("the longer matching hostname", hostnameLength()),
            new Precedence.Criterion<>("path match type: Exact, then PathPrefix, then RegularExpression",
                    Comparator.comparingInt(RuleMatch::pathRank)),
            new Precedence.Criterion<>("longest matching path", Comparator.comparingInt((RuleMatch m) -> -m.length())),
            new Precedence.Criterion<>("a method match", Comparator.comparingInt((RuleMatch m) -> -m.methodChars())),
            new Precedence.Criterion<>("more header matches", Comparator.comparingInt((RuleMatch m) -> -m.headers())),
            new Precedence.Criterion<>("more query parameter matches",
                    Comparator.comparingInt((RuleMatch m) -> -m.queryParams())),
            new Precedence.Criterion<>("the oldest route (creationTimestamp)", Comparator.comparing(RuleMatch::created)),
            new Precedence.Criterion<>("namespace/name first alphabetically", byName()),
            new Precedence.Criterion<>("rule order", Comparator.comparingInt(RuleMatch::rule)),
            new Precedence.Criterion<>("match order", Comparator.comparingInt(RuleMatch::match))));
    private static final Precedence<RuleMatch> GRPC = new Precedence<>(List.of(
            new Precedence.Criterion<>("an exact hostname over a wildcard", hostnameExactness()),
            new Precedence.Criterion<>("the longer matching hostname", hostnameLength()),
            new Precedence.Criterion<>("the longer matching service",
                    Comparator.comparingInt((RuleMatch m) -> -m.length())),
            new Precedence.Criterion<>("the longer matching method",
                    Comparator.comparingInt((RuleMatch m) -> -m.methodChars())),
            new Precedence.Criterion<>("more header matches", Comparator.comparingInt((RuleMatch m) -> -m.headers())),
            new Precedence.Criterion<>("the oldest route (creationTimestamp)", Comparator.comparing(RuleMatch::created)),
            new Precedence.Criterion<>("namespace/name first alphabetically", byName()),
            new Precedence.Criterion<>("rule order", Comparator.comparingInt(RuleMatch::rule)),
            new Precedence.Criterion<>("match order", Comparator.comparingInt(RuleMatch::match))));

    /** What the Gateways do with the request, and the routes that match it but attach to no listener. */
    record Result(List<Matched> served, List<HasMetadata> unattached) {
    }

    private final ClusterIndex view;

    GatewayMatcher(ClusterIndex view) {
        this.view = view;
    }

    Result resolve(ExplainQuery q) {
        var host = q.url().host();
        var kind = q.grpc() ? GatewayRoute.GRPC_ROUTE : GatewayRoute.HTTP_ROUTE;
        // "ns/gateway" -> listener name -> routes attached through it whose hostnames cover the host
        var attached = new TreeMap<String, Map<String, List<HasMetadata>>>();
        var unattached = new ArrayList<HasMetadata>();
        for (var route : view.allGatewayRoutes()) {
            if (!route.getKind().equals(kind)) {
                continue;
            }
            var gr = GatewayRoute.of(route);
            if (routeHostname(gr.hostnames(), host).isEmpty()) {
                continue;
            }
            var attachments = Attachments.all(gr, view::gateway, this::namespaceLabels);
            for (var a : attachments) {
                if (!a.attached()) {
                    continue;
                }
                for (var listener : a.attachedThrough()) {
                    attached.computeIfAbsent(a.parent().namespace() + "/" + a.parent().name(), k -> new TreeMap<>())
                            .computeIfAbsent(listener, k -> new ArrayList<>()).add(route);
                }
            }
            if (attachments.stream().noneMatch(Attachment::attached) && Attachments.unattached(attachments)
                    && !matches(route, "", q).isEmpty()) {
                unattached.add(route);
            }
        }
        var served = new ArrayList<Matched>();
        attached.forEach((key, byListener) -> {
            var slash = key.indexOf('/');
            view.gateway(key.substring(0, slash), key.substring(slash + 1))
                    .flatMap(g -> resolve(g, byListener, q)).ifPresent(served::add);
        });
        unattached.sort(Comparator.comparing(r -> ObjectRef.of(r).toString()));
        return new Result(served, unattached);
    }

    /** The Gateway's answer: its listener for the host, then the winning rule among the routes attached to it. */
    private Optional<Matched> resolve(Gateway gateway, Map<String, List<HasMetadata>> byListener, ExplainQuery q) {
        var url = q.url();
        var covering = Listeners.of(gateway).stream().filter(l -> covers(l.getHostname(), url.host()))
                .filter(l -> l.getProtocol() == null || List.of("HTTP", "HTTPS")
                        .contains(l.getProtocol().toUpperCase(Locale.ROOT))).toList();
        if (covering.isEmpty()) {
            return Optional.empty();
        }
        var onPort = covering.stream().filter(l -> l.getPort() != null && l.getPort() == url.port()).toList();
        var notes = new ArrayList<String>();
        var listener = mostSpecific(onPort.isEmpty() ? covering : onPort);
        if (onPort.isEmpty()) {
            notes.add("no listener of this Gateway covering " + url.host() + " is on the URL's port " + url.port()
                    + ": listener \"" + listener.getName() + "\" is on " + listener.getPort() + " ("
                    + listener.getProtocol() + "); explain resolves the request there");
        }
        var dataPlane = "Gateway " + gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
        var server = "listener \"" + listener.getName() + "\" (" + Listeners.describe(listener) + " "
                + listener.getProtocol() + ")";
        var routes = byListener.getOrDefault(listener.getName(), List.of());
        var candidates = new ArrayList<RuleMatch>();
        for (var route : routes) {
            var hostname = routeHostname(GatewayRoute.of(route).hostnames(), url.host()).orElse("");
            candidates.addAll(matches(route, hostname.isEmpty() ? nullToEmpty(listener.getHostname()) : hostname, q));
        }
        if (candidates.isEmpty()) {
            return Optional.of(noRule(dataPlane, server, listener, routes, byListener, q, notes));
        }
        var ranked = (q.grpc() ? GRPC : HTTP).rank(candidates);
        var winner = ranked.winner();
        var others = new ArrayList<Contender>();
        for (int i = 1; i < ranked.order().size(); i++) {
            others.add(contender(ranked.order().get(i), ranked.loserWhy().get(i - 1)));
        }
        var targets = GatewayTargets.of(winner.route(), winner.rule(), notes);
        var resolution = new Resolution(server, contender(winner, ranked.winnerWhy()), others);
        return Optional.of(new Matched(dataPlane, resolution, targets.routes(), targets.broken(), notes));
    }

    /** The listener for the host has no rule that matches the request: 404. */
    private static Matched noRule(String dataPlane, String server, Listener listener, List<HasMetadata> routes,
                                  Map<String, List<HasMetadata>> byListener, ExplainQuery q, List<String> notes) {
        var url = q.url();
        var names = routes.stream().map(r -> ObjectRef.of(r).toString()).distinct().toList();
        var message = "no rule of the routes attached to " + dataPlane + " " + server + " matches " + q.method() + " "
                + url.path() + " (" + (names.isEmpty() ? "none attached there covers " + url.host()
                : "attached there: " + String.join(", ", names)) + "): the gateway answers 404.";
        String fix;
        if (names.isEmpty()) {
            fix = "attach a route for " + url.host() + " to listener \"" + listener.getName() + "\": it is the most "
                    + "specific listener for that host, so routes attached only to listener " + String.join(", ",
                    byListener.keySet().stream().map(n -> "\"" + n + "\"").toList()) + " never get its requests.";
        } else {
            fix = "add a rule that matches " + url.path() + " to one of those routes.";
        }
        return new Matched(dataPlane, new Resolution(server, null, List.of()), List.of(),
                Hop.broken("match", Problem.error(message, fix)), notes);
    }

    private static List<RuleMatch> matches(HasMetadata route, String hostname, ExplainQuery q) {
        if (route instanceof HTTPRoute http) {
            return RuleMatch.of(http, hostname, q);
        }
        return RuleMatch.of((GRPCRoute) route, hostname, q);
    }

    private static Contender contender(RuleMatch m, String verdict) {
        var host = m.hostname().isEmpty() ? "*" : m.hostname();
        return new Contender(m.ref().toString(), m.field(), host + " " + m.text(), verdict);
    }

    /**
     * The route hostname that covers the request host, the most specific first ({@code ""} when the route names none:
     * it takes the listener's); empty when none does.
     */
    static Optional<String> routeHostname(List<String> hostnames, String host) {
        if (hostnames.isEmpty()) {
            return Optional.of("");
        }
        return hostnames.stream().map(h -> h.toLowerCase(Locale.ROOT)).filter(h -> covers(h, host))
                .min(Comparator.comparing((String h) -> h.startsWith("*")).thenComparing(h -> -h.length()));
    }

    /** Gateway API hostname matching: exact, or {@code *.example.com} for one or more labels before the suffix. */
    static boolean covers(String hostname, String host) {
        if (hostname == null || hostname.isEmpty()) {
            return true;
        }
        var h = hostname.toLowerCase(Locale.ROOT);
        if (h.startsWith("*.")) {
            var suffix = h.substring(1);
            return host.length() > suffix.length() && host.endsWith(suffix);
        }
        return h.equals(host);
    }

    private static Listener mostSpecific(List<Listener> listeners) {
        return listeners.stream().min(Comparator.comparing((Listener l) -> rank(l.getHostname()))
                .thenComparing(l -> -nullToEmpty(l.getHostname()).length())).orElseThrow();
    }

    private static int rank(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            return 2;
        }
        return hostname.startsWith("*") ? 1 : 0;
    }

    private Map<String, String> namespaceLabels(String ns) {
        return view.namespace(ns).map(NamespaceState::labels).orElse(Map.of());
    }

    private static Comparator<RuleMatch> hostnameExactness() {
        return Comparator.comparing((RuleMatch m) -> !m.exactHostname());
    }

    private static Comparator<RuleMatch> hostnameLength() {
        return Comparator.comparingInt((RuleMatch m) -> -m.hostname().length());
    }

    private static Comparator<RuleMatch> byName() {
        return Comparator.comparing((RuleMatch m) -> m.ref().namespace() + "/" + m.ref().name());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
