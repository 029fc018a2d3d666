package dev.upstreamguard.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.audit.AuditReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The report one namespace gets from an audit, as the policy reports API spells it: one result per finding
 * ({@code fail} for an error, {@code warn} for a warning), errors first ({@link #ORDER}), at most {@code maxResults} of them and about
 * {@value #BYTES_BUDGET} bytes (an object must stay well under etcd's 1.5 MiB), and a summary that counts every
 * finding, listed or not. A result keeps the timestamp it was first reported with, so an unchanged audit asks for an
 * unchanged report and nothing is rewritten. Pure: no client, no clock.
 */
public final class NamespaceReport {
    /** The name of every report the guard writes, one per namespace. */
    public static final String NAME = "upstream-guard";
    /** The results' source and policy: the guard. */
    public static final String SOURCE = "upstream-guard";
    /** The label that marks the reports the guard owns (the only ones it updates or deletes). */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** How many findings a report leaves out (absent when it lists them all). */
    public static final String OMITTED = "upstream-guard.dev/results-omitted";
    static final int MESSAGE_LIMIT = 1024;
    static final int FIX_LIMIT = 512;
    static final int BYTES_BUDGET = 1_000_000;
    /** What a result weighs besides its message and fix, roughly, in JSON. */
    private static final int RESULT_OVERHEAD = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    private NamespaceReport() {
    }

    /**
     * The report of every namespace with findings, by namespace. {@code firstSeen} holds the timestamps of results
     * already reported, by {@link #key}; a result not there is stamped with the audit's time. Findings on
     * cluster-scoped objects are left out (none of the rules has any today).
     */
    public static Map<String, GenericKubernetesResource> of(AuditReport audit, ReportApi api, int maxResults,
                                                            Map<String, Object> firstSeen) {
        var now = timestamp(Instant.parse(audit.at()));
        var byNamespace = new TreeMap<String, List<AuditReport.Item>>();
        for (var item : audit.findings()) {
            if (item.namespace() != null && !item.namespace().isEmpty()) {
                byNamespace.computeIfAbsent(item.namespace(), k -> new ArrayList<>()).add(item);
            }
        }
        var out = new LinkedHashMap<String, GenericKubernetesResource>();
        byNamespace.forEach((ns, items) -> {
            items.sort(ORDER);
            out.put(ns, report(ns, items, api, maxResults, firstSeen, now));
        });
        return out;
    }

    /**
     * Errors first, then by object, rule and message: the same findings always make the same list, whatever order the
     * audit found them in (two replicas walk their views in their own orders), so the cap keeps the same ones and an
     * unchanged audit never rewrites a report.
     */
    static final Comparator<AuditReport.Item> ORDER = Comparator
            .comparing((AuditReport.Item i) -> !"error".equals(i.severity()))
            .thenComparing(AuditReport.Item::subject).thenComparing(AuditReport.Item::rule)
            .thenComparing(i -> String.valueOf(i.message()));

    private static GenericKubernetesResource report(String namespace, List<AuditReport.Item> items, ReportApi api,
                                                    int maxResults, Map<String, Object> firstSeen,
                                                    Map<String, Object> now) {
        var results = new ArrayList<Map<String, Object>>();
        long bytes = 0;
        int fail = 0;
        for (var item : items) {
            fail += "error".equals(item.severity()) ? 1 : 0;
            if (results.size() >= maxResults || bytes > BYTES_BUDGET) {
                continue; // still counted in the summary
            }
            var result = result(item, now);
            result.put("timestamp", firstSeen.getOrDefault(key(result), now));
            results.add(result);
            bytes += RESULT_OVERHEAD + String.valueOf(result.get("message")).length()
                    + String.valueOf(((Map<?, ?>) result.get("properties")).get("fix")).length();
        }
        var summary = new LinkedHashMap<String, Object>();
        summary.put("pass", 0);
        summary.put("fail", fail);
        summary.put("warn", items.size() - fail);
        summary.put("error", 0);
        summary.put("skip", 0);

        var report = new GenericKubernetesResource();
        report.setApiVersion(api.apiVersion());
        report.setKind(api.kind());
        var meta = new ObjectMetaBuilder().withName(NAME).withNamespace(namespace).addToLabels(MANAGED_BY, SOURCE);
        int omitted = items.size() - results.size();
        if (omitted > 0) {
            meta.addToAnnotations(OMITTED, String.valueOf(omitted));
        }
        report.setMetadata(meta.build());
        if (api.sourceOnReport()) {
            report.setAdditionalProperty("source", SOURCE);
            report.setAdditionalProperty("configuration", Map.of("limits", Map.of("maxResults", maxResults)));
        }
        report.setAdditionalProperty("summary", summary);
        report.setAdditionalProperty("results", results);
        return report;
    }

    /** One finding as a result; its timestamp is set by the caller. */
    static Map<String, Object> result(AuditReport.Item item, Map<String, Object> now) {
        boolean error = "error".equals(item.severity());
        var result = new LinkedHashMap<String, Object>();
        result.put("source", SOURCE);
        result.put("policy", SOURCE);
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
    public static Map<String, Object> firstSeen(Collection<GenericKubernetesResource> reports) {
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

    /**
     * Whether a report as read from the API server already says what {@code wanted} says: same results, summary and
     * other fields (compared as JSON, whatever the order of keys or the width of numbers), and the same count of
     * omitted results.
     */
    public static boolean sameContent(GenericKubernetesResource existing, GenericKubernetesResource wanted) {
        return tree(existing.getAdditionalProperties()).equals(tree(wanted.getAdditionalProperties()))
                && String.valueOf(annotation(existing)).equals(String.valueOf(annotation(wanted)));
    }

    private static String annotation(GenericKubernetesResource report) {
        var annotations = report.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(OMITTED);
    }

    private static JsonNode tree(Object value) {
        try {
            // through text, so an int read back equals the long it was written as
            return JSON.readTree(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
