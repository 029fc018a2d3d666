package dev.upstreamguard.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * ({@code fail} for an error, {@code warn} for a warning), errors first ({@link #ORDER}), at most {@code maxResults}
 * of them and about {@value #BYTES_BUDGET} bytes (an object must stay well under etcd's 1.5 MiB), and a summary that
 * counts every finding, listed or not. A result ({@link ReportResult}) keeps the timestamp it was first reported
 * with, so an unchanged audit asks for an unchanged report and nothing is rewritten. Pure: no client, no clock.
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
    static final int BYTES_BUDGET = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private NamespaceReport() {
    }

    /**
     * The report of every namespace with findings, by namespace. {@code firstSeen} holds the timestamps of results
     * already reported ({@link ReportResult#firstSeen}); a result not there is stamped with the audit's time.
     * Findings on cluster-scoped objects are left out (none of the rules has any today).
     */
    public static Map<String, GenericKubernetesResource> of(AuditReport audit, ReportApi api, int maxResults,
                                                            Map<String, Object> firstSeen) {
        var now = ReportResult.timestamp(Instant.parse(audit.at()));
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
            var result = ReportResult.of(item, now);
            result.put("timestamp", firstSeen.getOrDefault(ReportResult.key(result), now));
            results.add(result);
            bytes += ReportResult.weight(result);
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
}
