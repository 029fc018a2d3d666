package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.IngressBackends;
import dev.upstreamguard.cluster.IngressHosts;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.rules.IngressNginx;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Resolves a request the way ingress-nginx does. First the server: the exact host if an Ingress has paths on it, else
 * the wildcard one label up ({@code *.example.com} covers {@code shop.example.com}, not {@code a.shop.example.com}),
 * else the catch-all server of the rules without a host. Then the location among every path on that server, whatever
 * Ingress wrote it: an exact location ({@code Exact}, and the exact twin ingress-nginx adds for {@code Prefix /api})
 * before any prefix, {@code Exact} before {@code Prefix}, the longest prefix ({@code Prefix /api} claims
 * {@code /api/...}; {@code ImplementationSpecific} is a plain nginx prefix: {@code /api} also claims {@code /apiv2}),
 * then the oldest Ingress, then namespace/name. No path: the default backend of the oldest Ingress on the server, else
 * the controller's own default backend (404). Only Ingresses of a class ingress-nginx serves take part, when the view
 * knows any IngressClass; canaries never win a location (they get a share of it).
 */
final class NginxMatcher {
    static final String DATA_PLANE = "ingress-nginx";

    /** One path of an Ingress that matches the request, and how. */
    record Hit(Ingress ingress, ObjectRef ref, String field, String pathType, String path, boolean exact, int length,
               int order) {
        String created() {
            var c = ingress.getMetadata().getCreationTimestamp();
            return c == null ? "" : c;
        }

        Contender contender(String host, String verdict) {
            return new Contender(ref.toString(), field, host + " " + pathType + " " + path, verdict);
        }
    }

    private static final Precedence<Hit> PRECEDENCE = new Precedence<>(List.of(
            new Precedence.Criterion<>("exact location before any prefix",
                    Comparator.comparing((Hit h) -> !h.exact())),
            new Precedence.Criterion<>("Exact before Prefix on the same path",
                    Comparator.comparing((Hit h) -> !h.pathType().equals("Exact"))),
            new Precedence.Criterion<>("longest matching prefix",
                    Comparator.comparingInt((Hit h) -> -h.length())),
            new Precedence.Criterion<>("the oldest Ingress wins a shared location", Comparator.comparing(Hit::created)),
            new Precedence.Criterion<>("namespace/name first alphabetically",
                    Comparator.comparing((Hit h) -> h.ref().namespace() + "/" + h.ref().name())),
            new Precedence.Criterion<>("listed first", Comparator.comparingInt(Hit::order))));

    private final ClusterIndex view;
    private final String prefix;

    NginxMatcher(ClusterIndex view, String annotationPrefix) {
        this.view = view;
        this.prefix = annotationPrefix;
    }

    /** What ingress-nginx does with the request; empty when no Ingress it serves has a server for the host. */
    Optional<Matched> resolve(String host, String path) {
        var notes = new ArrayList<String>();
        var serverHost = host;
        var ingresses = served(view.ingressesClaimingHost(host), notes);
        if (ingresses.isEmpty() && host.indexOf('.') > 0) {
            serverHost = "*" + host.substring(host.indexOf('.'));
            ingresses = served(view.ingressesClaimingHost(serverHost), notes);
        }
        if (ingresses.isEmpty()) {
            serverHost = IngressHosts.ANY_HOST;
            ingresses = served(view.ingressesClaimingHost(IngressHosts.ANY_HOST), notes);
        }
        if (ingresses.isEmpty()) {
            return catchAllDefault(host, notes);
        }
        ingresses.sort(Comparator.comparing((Ingress i) -> created(i)).thenComparing(i -> ObjectRef.of(i).toString()));
        var server = serverHost.equals(IngressHosts.ANY_HOST) ? "server _ (catch-all: rules without a host)"
                : "server " + serverHost;
        var hits = new ArrayList<Hit>();
        var canaries = new ArrayList<String>();
        int order = 0;
        for (var ingress : ingresses) {
            for (var hit : hits(ingress, serverHost, path, order)) {
                if (IngressNginx.canary(ingress, prefix)) {
                    canaries.add(hit.ref() + " " + hit.field() + " (" + hit.pathType() + " " + hit.path() + ") is a "
                            + "canary: it takes a share of this location's requests by its canary annotations");
                } else {
                    hits.add(hit);
                }
            }
            order += 1000;
        }
        notes.addAll(canaries);
        if (hits.isEmpty()) {
            return Optional.of(defaultBackend(ingresses.get(0), server, serverHost, path, notes));
        }
        var ranked = PRECEDENCE.rank(hits);
        var winner = ranked.winner();
        var others = new ArrayList<Contender>();
        for (int i = 1; i < ranked.order().size(); i++) {
            others.add(ranked.order().get(i).contender(serverHost, ranked.loserWhy().get(i - 1)));
        }
        regexNote(winner.ingress(), notes);
        var resolution = new Resolution(server, winner.contender(serverHost, ranked.winnerWhy()), others);
        return Optional.of(new Matched(DATA_PLANE, resolution, targets(winner.ingress(), winner.field(), notes), null,
                notes));
    }

    /** The Ingresses ingress-nginx serves, when classes are known; the others are noted. */
    private List<Ingress> served(List<Ingress> ingresses, List<String> notes) {
        var out = new ArrayList<Ingress>();
        boolean classesKnown = !view.ingressClasses().isEmpty();
        for (var i : ingresses) {
            if (!classesKnown || IngressNginx.servedByNginx(i, view)) {
                out.add(i);
            } else {
                notes.add(ObjectRef.of(i) + " also claims this host, but its class ("
                        + IngressNginx.effectiveClass(i, view).orElse("none") + ") is not served by ingress-nginx");
            }
        }
        return out;
    }

    /** The paths of the Ingress's rules on {@code serverHost} that match {@code path}. */
    private static List<Hit> hits(Ingress ingress, String serverHost, String path, int order) {
        var out = new ArrayList<Hit>();
        var rules = ingress.getSpec() == null ? null : ingress.getSpec().getRules();
        if (rules == null) {
            return out;
        }
        var ref = ObjectRef.of(ingress);
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null || rule.getHttp() == null || rule.getHttp().getPaths() == null
                    || !IngressHosts.hostOf(rule.getHost()).equals(serverHost)) {
                continue;
            }
            var paths = rule.getHttp().getPaths();
            for (int p = 0; p < paths.size(); p++) {
                var entry = paths.get(p);
                if (entry == null) {
                    continue;
                }
                var value = entry.getPath() == null || entry.getPath().isEmpty() ? "/" : entry.getPath();
                var type = entry.getPathType() == null || entry.getPathType().isEmpty() ? "ImplementationSpecific"
                        : entry.getPathType();
                var field = "rules[" + r + "].http.paths[" + p + "]";
                match(type, value, path).ifPresent(m -> out.add(new Hit(ingress, ref, field, type, value, m.exact(),
                        m.length(), order + out.size())));
            }
        }
        return out;
    }

    /** How a location of this path matches the request: exactly, or as a prefix of that many characters. */
    record Match(boolean exact, int length) {
    }

    /**
     * The locations ingress-nginx writes for a path: {@code Exact /a} is {@code location = /a}; {@code Prefix /a} is
     * {@code location = /a} and {@code location /a/} ({@code /} and a path ending in {@code /} are the prefix alone);
     * {@code ImplementationSpecific /a} is {@code location /a}.
     */
    static Optional<Match> match(String pathType, String value, String path) {
        switch (pathType) {
            case "Exact":
                return value.equals(path) ? Optional.of(new Match(true, value.length())) : Optional.empty();
            case "Prefix":
                if (value.equals("/") || value.endsWith("/")) {
                    return path.startsWith(value) ? Optional.of(new Match(false, value.length())) : Optional.empty();
                }
                if (value.equals(path)) {
                    return Optional.of(new Match(true, value.length()));
                }
                return path.startsWith(value + "/") ? Optional.of(new Match(false, value.length() + 1))
                        : Optional.empty();
            default:
                return path.startsWith(value) ? Optional.of(new Match(false, value.length())) : Optional.empty();
        }
    }

    /** No path matches: the default backend of the oldest Ingress on the server, else the controller's (404). */
    private Matched defaultBackend(Ingress oldest, String server, String serverHost, String path, List<String> notes) {
        var ref = ObjectRef.of(oldest);
        var backend = oldest.getSpec() == null ? null : oldest.getSpec().getDefaultBackend();
        if (backend != null && backend.getService() != null) {
            var winner = new Contender(ref.toString(), "defaultBackend", "default backend", "no path on server "
                    + serverHost + " matches " + path + ": the default backend of the oldest Ingress on it serves it");
            return new Matched(DATA_PLANE, new Resolution(server, winner, List.of()),
                    targets(oldest, "defaultBackend", notes), null, notes);
        }
        var problem = Problem.error("no path of the Ingresses on ingress-nginx server " + serverHost + " matches "
                + path + ", and " + ref + " (the oldest on it) has no defaultBackend: the controller's default "
                + "backend answers 404.", "add a path that covers " + path + " to an Ingress on " + serverHost
                + ", or give " + ref + " a defaultBackend.");
        return new Matched(DATA_PLANE, new Resolution(server, null, List.of()), List.of(), Hop.broken("match", problem),
                notes);
    }

    /** No server for the host: the catch-all server's default backend, from an Ingress with no rules, if any. */
    private Optional<Matched> catchAllDefault(String host, List<String> notes) {
        boolean classesKnown = !view.ingressClasses().isEmpty();
        var fallback = view.allIngresses().stream()
                .filter(i -> i.getSpec() != null && i.getSpec().getDefaultBackend() != null
                        && (i.getSpec().getRules() == null || i.getSpec().getRules().isEmpty()))
                .filter(i -> !classesKnown || IngressNginx.servedByNginx(i, view))
                .min(Comparator.comparing(NginxMatcher::created).thenComparing(i -> ObjectRef.of(i).toString()));
        return fallback.map(i -> {
            var winner = new Contender(ObjectRef.of(i).toString(), "defaultBackend", "default backend", "no Ingress "
                    + "has a rule for " + host + ": the catch-all server's default backend, from this Ingress without "
                    + "rules, serves it");
            return new Matched(DATA_PLANE, new Resolution("server _ (catch-all)", winner, List.of()),
                    targets(i, "defaultBackend", notes), null, notes);
        });
    }

    /** The Service route of the winning path; a {@code backend.resource} is noted instead. */
    private static List<RouteTarget> targets(Ingress ingress, String field, List<String> notes) {
        var backend = IngressBackends.of(ingress).stream().filter(b -> b.field().equals(field)).findFirst();
        if (backend.isEmpty()) {
            notes.add(ObjectRef.of(ingress) + " " + field + " names a backend.resource, not a Service: not walked");
            return List.of();
        }
        return List.of(new RouteTarget(ingress, backend.get(), null));
    }

    private void regexNote(Ingress ingress, List<String> notes) {
        var annotations = ingress.getMetadata().getAnnotations();
        if (annotations != null && "true".equalsIgnoreCase(annotations.get(prefix + "/use-regex"))) {
            notes.add(ObjectRef.of(ingress) + " has " + prefix + "/use-regex: \"true\": ingress-nginx reads its "
                    + "paths (and every path on the host) as regular expressions; explain matched them as prefixes");
        }
    }

    private static String created(Ingress i) {
        var c = i.getMetadata().getCreationTimestamp();
        return c == null ? "" : c;
    }
}
