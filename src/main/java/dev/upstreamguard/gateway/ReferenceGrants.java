package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import dev.upstreamguard.gateway.Grant.From;
import dev.upstreamguard.gateway.Grant.To;

/**
 * ReferenceGrant permission for a route's backendRefs. A backendRef into its route's namespace needs no grant; one into
 * another namespace is permitted iff a ReferenceGrant in the <em>target</em> namespace has a {@code from} entry
 * {group {@code gateway.networking.k8s.io}, the route's kind, the route's namespace} and a {@code to} entry {the
 * backend's group and kind, no name or the backend's name}.
 */
public final class ReferenceGrants {
    private ReferenceGrants() {
    }

    /** Judges {@code backend} against {@code grants}; grants outside the backend's namespace are ignored. */
    public static Permission permission(RouteBackend backend, Collection<Grant> grants) {
        if (!backend.crossNamespace()) {
            return new Permission(backend, true, null, "same namespace as the route: no ReferenceGrant needed", "");
        }
        var route = backend.route();
        var inTarget = grants.stream().filter(g -> backend.namespace().equals(g.ref().namespace()))
                .sorted(Comparator.comparing(g -> g.ref().name())).toList();
        for (var g : inTarget) {
            if (g.permits(route.kind(), route.namespace(), backend.group(), backend.kind(), backend.name())) {
                return new Permission(backend, true, g.ref(), g.ref() + " permits " + route.kind() + "s from namespace "
                        + route.namespace(), "");
            }
        }
        var why = inTarget.isEmpty() ? "no ReferenceGrant in namespace " + backend.namespace() + " permits it"
                : inTarget.stream().map(g -> g.ref() + " " + miss(g, backend)).collect(Collectors.joining("; "));
        return new Permission(backend, false, null, why, fix(backend));
    }

    /**
     * The backendRefs among {@code backends} that {@code before} permits and {@code after} does not, each judged
     * against {@code after}: what a ReferenceGrant UPDATE or DELETE withdraws from live routes.
     */
    public static List<Permission> withdrawn(Collection<RouteBackend> backends, Collection<Grant> before,
                                             Collection<Grant> after) {
        var out = new ArrayList<Permission>();
        for (var b : backends) {
            if (b.crossNamespace() && permission(b, before).permitted()) {
                var now = permission(b, after);
                if (!now.permitted()) {
                    out.add(now);
                }
            }
        }
        return out;
    }

    /** Why {@code grant} does not permit {@code backend}: its {@code from}, its {@code to}, or both. */
    private static String miss(Grant grant, RouteBackend backend) {
        var route = backend.route();
        var parts = new ArrayList<String>();
        if (grant.from().stream().noneMatch(f -> Grant.fromMatches(f, route.kind(), route.namespace()))) {
            parts.add(fromMiss(grant.from(), route.kind(), route.namespace()));
        }
        if (grant.to().stream().noneMatch(t -> Grant.toMatches(t, backend.group(), backend.kind(), backend.name()))) {
            parts.add(toMiss(grant.to(), backend));
        }
        return String.join(" and ", parts);
    }

    private static String fromMiss(List<From> from, String kind, String namespace) {
        if (from.isEmpty()) {
            return "permits no one (no from entries)";
        }
        var sameKind = from.stream().filter(f -> kind.equals(f.kind())).toList();
        if (sameKind.isEmpty()) {
            return "permits " + from.stream().map(From::kind).distinct().sorted().collect(Collectors.joining(", "))
                    + " only, not " + kind;
        }
        var rightGroup = sameKind.stream().filter(f -> GatewayRoute.GROUP.equals(f.group())).toList();
        if (rightGroup.isEmpty()) {
            return "permits " + kind + " of group " + quoted(sameKind.get(0).group()) + ", not " + GatewayRoute.GROUP;
        }
        return "permits " + kind + " from namespace " + rightGroup.stream().map(From::namespace).distinct().sorted()
                .collect(Collectors.joining(", ")) + ", not " + namespace;
    }

    private static String toMiss(List<To> to, RouteBackend backend) {
        if (to.isEmpty()) {
            return "grants nothing (no to entries)";
        }
        var sameKind = to.stream().filter(t -> backend.group().equals(t.group()) && backend.kind().equals(t.kind()))
                .toList();
        if (sameKind.isEmpty()) {
            return "grants " + to.stream().map(ReferenceGrants::describe).distinct().sorted()
                    .collect(Collectors.joining(", ")) + " only, not " + backend.kind();
        }
        return "names " + backend.kind() + " " + sameKind.stream().map(To::name).distinct().sorted()
                .collect(Collectors.joining(", ")) + ", not " + backend.name();
    }

    private static String fix(RouteBackend backend) {
        var route = backend.route();
        return "add a ReferenceGrant in namespace " + backend.namespace() + " with from {group: " + GatewayRoute.GROUP
                + ", kind: " + route.kind() + ", namespace: " + route.namespace() + "} and to {group: "
                + quoted(backend.group()) + ", kind: " + backend.kind() + ", name: " + backend.name()
                + "}, or point the backendRef at a " + backend.kind() + " in namespace " + route.namespace() + ".";
    }

    private static String describe(To t) {
        return t.group().isEmpty() || t.group().equals(GatewayRoute.GROUP) ? t.kind() : t.kind() + "." + t.group();
    }

    private static String quoted(String group) {
        return group.isEmpty() ? "\"\"" : group;
    }
}
