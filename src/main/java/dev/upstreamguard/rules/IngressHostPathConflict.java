package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.IngressHosts;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * Another Ingress of the same class already claims the same host and path: ingress-nginx serves each location from one
 * Ingress only (the oldest), so one of the two backends silently gets no traffic. Other Ingresses are found through
 * the host index, across namespaces. A path claims its exact location, and a {@code Prefix} (or
 * {@code ImplementationSpecific}, treated alike) path claims it with or without its trailing slash: {@code Exact /a}
 * and {@code Prefix /a} collide, {@code Prefix /} and {@code Prefix /api} do not. Canaries
 * ({@code <prefix>/canary: "true"}) share a location on purpose and are never conflicts.
 */
public final class IngressHostPathConflict extends IngressRule {
    public static final RuleInfo INFO = new RuleInfo("ingress-host-path-conflict", Severity.WARNING,
            "Another Ingress of the same class claims the same host and path",
            "ingress-nginx merges every Ingress of its class into one server per host and serves each path from "
                    + "one Ingress only, the oldest; the other's backend and annotations are silently ignored for that "
                    + "path. Which one wins changes when the older Ingress is deleted and re-created.",
            "Give one of the Ingresses another host or path, merge the paths into one Ingress, or, for a deliberate "
                    + "traffic split, mark the second one as a canary (nginx.ingress.kubernetes.io/canary: \"true\").");

    private final String prefix;

    /** Reads the canary annotation under {@code prefix}, the controller's {@code --annotations-prefix}. */
    public IngressHostPathConflict(String prefix) {
        this.prefix = IngressNginx.normalizePrefix(prefix);
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    /** One path of an Ingress rule; {@code location} is what it claims, equal locations collide. */
    record Claim(String host, String path, String pathType, String field) {
        String location() {
            if (pathType.equals("Exact")) {
                return path;
            }
            var p = path;
            while (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1); // Prefix /a/ matches /a as well
            }
            return p;
        }

        String where() {
            return host + path + ", " + pathType;
        }
    }

    @Override
    public List<Finding> check(Ingress ingress, ClusterView view) {
        var mine = claims(ingress);
        if (mine.isEmpty() || IngressNginx.canary(ingress, prefix)) {
            return List.of();
        }
        var ref = ObjectRef.of(ingress);
        var cls = IngressNginx.effectiveClass(ingress, view).orElse(null);
        var found = new LinkedHashMap<String, Finding>();
        for (var host : IngressHosts.of(ingress)) {
            for (var other : view.ingressesClaimingHost(host)) {
                if (!sameObject(ingress, other) && !IngressNginx.canary(other, prefix)
                        && Objects.equals(cls, IngressNginx.effectiveClass(other, view).orElse(null))) {
                    collide(ref, mine, other, cls, found);
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** Adds a finding, keyed by host, location and the other Ingress, for each of our claims that {@code other} shares. */
    private void collide(ObjectRef ref, List<Claim> mine, Ingress other, String cls, LinkedHashMap<String, Finding> found) {
        var otherRef = ObjectRef.of(other);
        for (var theirs : claims(other)) {
            for (var claim : mine) {
                if (claim.host().equals(theirs.host()) && claim.location().equals(theirs.location())) {
                    var key = claim.host() + claim.location() + " <-> " + otherRef;
                    found.putIfAbsent(key, finding(ref, claim, otherRef, theirs, cls, key));
                }
            }
        }
    }

    private Finding finding(ObjectRef ref, Claim claim, ObjectRef otherRef, Claim theirs, String cls, String key) {
        var served = cls == null ? "both without a class" : "both of class \"" + cls + "\"";
        var message = ref + " " + claim.field() + " (" + claim.where() + ") claims the same host and path as "
                + otherRef + " " + theirs.field() + " (" + theirs.where() + "), " + served + ": ingress-nginx serves "
                + "it from only one of them (the older Ingress), the other's backend gets no traffic on it.";
        var fix = "use another host or path in one of them, move the path into one Ingress, or, for a deliberate "
                + "split, annotate the second one " + prefix + "/canary: \"true\".";
        var summary = ref + " (" + claim.host() + claim.path() + ") also claimed by " + otherRef;
        return INFO.finding(ref, key, summary, message, fix, List.of(ref, otherRef));
    }

    private static boolean sameObject(Ingress a, Ingress b) {
        return a.getMetadata().getName().equals(b.getMetadata().getName())
                && Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
    }

    static List<Claim> claims(Ingress ingress) {
        var out = new ArrayList<Claim>();
        var rules = ingress.getSpec() == null ? null : ingress.getSpec().getRules();
        if (rules == null) {
            return out;
        }
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null || rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                continue;
            }
            var paths = rule.getHttp().getPaths();
            for (int p = 0; p < paths.size(); p++) {
                var path = paths.get(p);
                if (path == null) {
                    continue;
                }
                var value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
                var type = path.getPathType() == null ? "ImplementationSpecific" : path.getPathType();
                out.add(new Claim(IngressHosts.hostOf(rule.getHost()), value, type,
                        "rules[" + r + "].http.paths[" + p + "]"));
            }
        }
        return out;
    }
}
