package dev.upstreamguard.reports;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.upstreamguard.audit.AuditReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * One finding as a policy report result: {@code fail}/{@code high} for an error, {@code warn}/{@code medium} for a
 * warning, the rule's category, the object as a core/v1 ObjectReference, the message and the fix. Results are plain
 * maps, as fabric8's {@link GenericKubernetesResource} holds them (there are no model classes for this API), and are
 * known again across audits by {@link #key}.
 */
final class ReportResult {
    static final int MESSAGE_LIMIT = 1024;
    static final int FIX_LIMIT = 512;
    /** What a result weighs besides its message and fix, roughly, in JSON. */
    private static final int OVERHEAD = 400;

    private ReportResult() {
    }

    /** One finding as a result, stamped {@code now} (the caller carries an earlier stamp over). */
    static Map<String, Object> of(AuditReport.Item item, Map<String, Object> now) {
        boolean error = "error".equals(item.severity());
        var result = new LinkedHashMap<String, Object>();
        result.put("source", NamespaceReport.SOURCE);
        result.put("policy", NamespaceReport.SOURCE);
        result.put("rule", item.rule());
        result.put("category", Categories.of(item.rule()));
        // the API's scale is critical/high/medium/low/info: an error breaks a route now, a warning may later
        result.put("severity", error ? "high" : "medium");
        result.put("result", error ? "fail" : "warn");
        result.put("scored", error); // "warn: not met, and the policy is not scored"
        result.put("timestamp", now);
        result.put("message", cut(item.message(), MESSAGE_LIMIT));
        result.put("resources", List.of(resource(item)));
        result.put("properties", Map.of("fix", cut(item.fix(), FIX_LIMIT)));
        return result;
    }

    /** The finding's subject as a core/v1 ObjectReference; uid and apiVersion only when known. */
    private static Map<String, Object> resource(AuditReport.Item item) {
        var ref = new LinkedHashMap<String, Object>();
        if (item.apiVersion() != null) {
            ref.put("apiVersion", item.apiVersion());
        }
        ref.put("kind", item.kind() != null ? item.kind() : item.subject().split(" ", 2)[0]);
        ref.put("namespace", item.namespace());
        ref.put("name", item.name() != null ? item.name() : item.subject().substring(item.subject().indexOf('/') + 1));
        if (item.uid() != null) {
            ref.put("uid", item.uid());
        }
        return ref;
    }

    /**
     * What makes two results the same finding from one audit to the next: rule, subject and message (the message
     * carries the field path). Works on results built here and on results read back from the API server alike.
     */
    static String key(Map<?, ?> result) {
        var resources = result.get("resources") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m
                ? m : Map.of();
        return result.get("rule") + "\u0000" + resources.get("kind") + "\u0000" + resources.get("namespace") + "/"
                + resources.get("name") + "\u0000" + result.get("message");
    }

    /** The timestamps of the results in these reports, by {@link #key}: carried over to the same results. */
    static Map<String, Object> firstSeen(Collection<GenericKubernetesResource> reports) {
        var out = new HashMap<String, Object>();
        for (var report : reports) {
            if (report.getAdditionalProperties().get("results") instanceof List<?> results) {
                for (var r : results) {
                    if (r instanceof Map<?, ?> result && result.get("timestamp") != null) {
                        out.putIfAbsent(key(result), result.get("timestamp"));
                    }
                }
            }
        }
        return out;
    }

    /** Roughly what the result weighs in JSON, for the report's byte budget. */
    static int weight(Map<String, Object> result) {
        return OVERHEAD + String.valueOf(result.get("message")).length()
                + String.valueOf(((Map<?, ?>) result.get("properties")).get("fix")).length();
    }

    /** A metav1.Timestamp: whole seconds (the results' time is the audit's, to the second). */
    static Map<String, Object> timestamp(Instant at) {
        var out = new LinkedHashMap<String, Object>();
        out.put("seconds", at.getEpochSecond());
        out.put("nanos", 0);
        return out;
    }

    private static String cut(String text, int limit) {
        if (text == null) {
            return "";
        }
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }
}
