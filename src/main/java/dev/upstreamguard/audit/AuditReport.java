package dev.upstreamguard.audit;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the audit found: the rules' findings over every Ingress, Service and workload in the view, and the routes that
 * are broken right now with the reason read from the pods.
 *
 * @param at           when the audit ran (ISO-8601)
 * @param millis       how long it took
 * @param objects      how many objects were evaluated
 * @param runtimeFacts whether endpoints and pods were judged (only against a live cluster)
 * @param findings     every finding, errors first
 * @param brokenRoutes routes with no Service or no ready endpoint
 * @param ruleFailures how many times a rule threw on a subject (what it would have found there is missing from
 *                     {@code findings}); counted as the fault {@code audit-rule-failure}
 * @param failedRules  the first {@link #FAILED_RULES_LISTED} of them
 * @param statusContradictions Gateway API routes whose status, as their controller wrote it, contradicts our walk
 *                     ({@code Accepted} or {@code ResolvedRefs} True where we find the route broken, or the reverse)
 * @param degraded     why the runtime facts are incomplete (an audit-only informer not listed or not watching), or
 *                     null; denials never rest on them
 */
@RegisterForReflection
public record AuditReport(String at, long millis, int objects, boolean runtimeFacts, List<Item> findings,
                          List<BrokenRoute> brokenRoutes, int ruleFailures, List<FailedRule> failedRules,
                          List<StatusContradiction> statusContradictions, String degraded) {

    public AuditReport(String at, long millis, int objects, boolean runtimeFacts, List<Item> findings,
                       List<BrokenRoute> brokenRoutes, int ruleFailures, List<FailedRule> failedRules) {
        this(at, millis, objects, runtimeFacts, findings, brokenRoutes, ruleFailures, failedRules, List.of(), null);
    }

    /** The same report, saying why its runtime facts are incomplete. */
    public AuditReport degradedBy(String why) {
        return new AuditReport(at, millis, objects, runtimeFacts, findings, brokenRoutes, ruleFailures, failedRules,
                statusContradictions, why);
    }

    /**
     * A route whose status contradicts our judgement of it.
     *
     * @param route      {@code HTTPRoute shop/web}
     * @param controller the {@code controllerName} that wrote the status
     * @param message    what it reports and what we find
     */
    @RegisterForReflection
    public record StatusContradiction(String route, String controller, String message) {
    }
    /** At most this many rule failures are listed in a report; {@code ruleFailures} counts them all. */
    public static final int FAILED_RULES_LISTED = 10;

    /** A rule that threw on a subject, and what it threw. */
    @RegisterForReflection
    public record FailedRule(String rule, String subject, String error) {
        /** The error as one short line: a message may span lines or quote a whole object. */
        static FailedRule of(String rule, Object subject, Throwable error) {
            var text = String.valueOf(error).replaceAll("\\s+", " ");
            return new FailedRule(rule, String.valueOf(subject), text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }

        /** {@code rule-id on Service shop/api: IllegalStateException: ...}. */
        public String line() {
            return rule + " on " + subject + ": " + error;
        }
    }

    /**
     * One finding of the audit. {@code kind}, {@code name}, {@code apiVersion} and {@code uid} name its subject the way
     * a Kubernetes object reference does (PolicyReports carry it); {@code uid} is null when the view does not hold the
     * object, {@code apiVersion} when the kind is not one the guard knows.
     */
    @RegisterForReflection
    public record Item(String rule, String severity, String subject, String namespace, String message, String fix,
                       String kind, String name, String apiVersion, String uid) {
        /** A finding without the reference to its subject. */
        public Item(String rule, String severity, String subject, String namespace, String message, String fix) {
            this(rule, severity, subject, namespace, message, fix, null, null, null, null);
        }
    }

    /**
     * One broken route, aligned with ingress-nginx's {@code orphan_ingress}.
     *
     * @param type  {@code no-service}, {@code no-endpoint}, or {@code not-attached} (a Gateway API route no Gateway
     *              listener accepts)
     * @param ready ready endpoints (or pods) behind the Service
     * @param total pods selected
     */
    @RegisterForReflection
    public record BrokenRoute(String ingress, String where, String service, String type, int ready, int total,
                              String reason) {
        /** {@code Ingress shop/web (shop.example.com/) → Service web → 0/3 ready: readiness probe ...}. */
        public String line() {
            var svc = service.substring(service.indexOf('/') + 1);
            if (type.equals("no-service")) {
                return ingress + " (" + where + ") → Service " + svc + " → missing: " + reason;
            }
            if (type.equals("not-attached")) {
                return ingress + " → not attached: " + reason;
            }
            return ingress + " (" + where + ") → Service " + svc + " → " + ready + "/" + total + " ready: " + reason;
        }
    }

    /** Rule and namespace, the labels of the audit findings gauge. */
    public record RuleNamespace(String rule, String namespace) implements Comparable<RuleNamespace> {
        @Override
        public int compareTo(RuleNamespace o) {
            int c = rule.compareTo(o.rule);
            return c != 0 ? c : namespace.compareTo(o.namespace);
        }
    }

    public Map<RuleNamespace, Integer> findingsByRuleAndNamespace() {
        var out = new TreeMap<RuleNamespace, Integer>();
        findings.forEach(f -> out.merge(new RuleNamespace(f.rule(), f.namespace()), 1, Integer::sum));
        return out;
    }

    public Map<String, Integer> brokenRoutesByType() {
        var out = new TreeMap<String, Integer>(Map.of("no-service", 0, "no-endpoint", 0, "not-attached", 0));
        brokenRoutes.forEach(r -> out.merge(r.type(), 1, Integer::sum));
        return out;
    }
}
