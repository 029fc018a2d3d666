package dev.upstreamguard.reports;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.metrics.FaultLog;
import dev.upstreamguard.metrics.GuardMetrics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * Brings one policy reports API's reports in line with an audit: asks discovery whether the cluster serves the API
 * (one small GET per audit, so CRDs installed later are picked up and removed ones dropped), lists the reports the
 * guard owns (one call, every namespace), then creates, updates in place or deletes only the reports whose content
 * changed. A failure is counted ({@code upstream_guard_reports_written_total{result="failed"}}), logged at WARN at
 * most once a minute, and left for the next audit: it never reaches the audit. Not thread-safe: one audit at a time.
 */
public final class ReportWriter {
    private static final Logger LOG = Logger.getLogger(ReportWriter.class);
    static final String FAULT = "report-write-failed";

    private final KubernetesClient client;
    private final ReportApi api;
    private final int maxResults;
    private final GuardMetrics metrics;
    private final FaultLog faults = new FaultLog(LOG);
    /** Whether discovery served the API at the last look; null before the first. Logged when it changes. */
    private Boolean served;

    /**
     * What one audit's writes did: reports created, updated, deleted, left alone as they were, and writes (or the
     * discovery or list call) that failed.
     */
    public record Round(boolean served, int created, int updated, int deleted, int unchanged, int failed) {
        static final Round NOT_SERVED = new Round(false, 0, 0, 0, 0, 0);

        /** Whether anything was written or failed. */
        public boolean wroteOrFailed() {
            return created + updated + deleted + failed > 0;
        }
    }

    public ReportWriter(KubernetesClient client, ReportApi api, int maxResults, GuardMetrics metrics) {
        this.client = client;
        this.api = api;
        this.maxResults = maxResults;
        this.metrics = metrics;
    }

    public ReportApi api() {
        return api;
    }

    /** Writes what the audit asks for where it differs from what the API server holds. Never throws. */
    public Round write(AuditReport audit) {
        var servedNow = served();
        if (servedNow == null) {
            return new Round(false, 0, 0, 0, 0, 1);
        }
        if (!servedNow) {
            return Round.NOT_SERVED;
        }
        Map<String, GenericKubernetesResource> existing;
        try {
            existing = owned();
        } catch (RuntimeException e) {
            failed("could not list the " + api.kind() + "s it owns; none written this audit", e);
            return new Round(true, 0, 0, 0, 0, 1);
        }
        var wanted = NamespaceReport.of(audit, api, maxResults, ReportResult.firstSeen(existing.values()));
        int created = 0, updated = 0, deleted = 0, unchanged = 0, failed = 0;
        for (var e : wanted.entrySet()) {
            var old = existing.get(e.getKey());
            try {
                if (old == null) {
                    reports(e.getKey()).resource(e.getValue()).create();
                    created++;
                    metrics.reportWritten(api.apiVersion(), "created");
                } else if (NamespaceReport.sameContent(old, e.getValue())) {
                    unchanged++;
                } else {
                    reports(e.getKey()).resource(replaced(old, e.getValue())).update();
                    updated++;
                    metrics.reportWritten(api.apiVersion(), "updated");
                }
            } catch (RuntimeException ex) {
                failed++;
                failed(api.kind() + " " + e.getKey() + "/" + NamespaceReport.NAME + " not "
                        + (old == null ? "created" : "updated"), ex);
            }
        }
        for (var ns : existing.keySet()) {
            if (wanted.containsKey(ns)) {
                continue;
            }
            try {
                // gone already (someone deleted it since the list) is not a write of ours
                if (!reports(ns).withName(NamespaceReport.NAME).delete().isEmpty()) {
                    deleted++;
                    metrics.reportWritten(api.apiVersion(), "deleted");
                }
            } catch (RuntimeException ex) {
                failed++;
                failed(api.kind() + " " + ns + "/" + NamespaceReport.NAME + " not deleted", ex);
            }
        }
        var round = new Round(true, created, updated, deleted, unchanged, failed);
        if (round.wroteOrFailed()) {
            LOG.infof("%ss (%s): %d created, %d updated, %d deleted, %d unchanged, %d failed", api.kind(),
                    api.apiVersion(), created, updated, deleted, unchanged, failed);
        }
        return round;
    }

    /** The reports of this API the guard owns, by namespace. */
    private Map<String, GenericKubernetesResource> owned() {
        var out = new LinkedHashMap<String, GenericKubernetesResource>();
        for (var r : client.genericKubernetesResources(api.context()).inAnyNamespace()
                .withLabel(NamespaceReport.MANAGED_BY, NamespaceReport.SOURCE).list().getItems()) {
            if (NamespaceReport.NAME.equals(r.getMetadata().getName())) {
                out.put(r.getMetadata().getNamespace(), r);
            }
        }
        return out;
    }

    /** The report as read, with the wanted content: its resourceVersion makes the update fail if it changed since. */
    private static GenericKubernetesResource replaced(GenericKubernetesResource old, GenericKubernetesResource wanted) {
        var out = new GenericKubernetesResource();
        out.setApiVersion(wanted.getApiVersion());
        out.setKind(wanted.getKind());
        out.setMetadata(new ObjectMetaBuilder(old.getMetadata()).build());
        var annotations = new LinkedHashMap<String, String>();
        if (old.getMetadata().getAnnotations() != null) {
            annotations.putAll(old.getMetadata().getAnnotations());
        }
        annotations.remove(NamespaceReport.OMITTED);
        if (wanted.getMetadata().getAnnotations() != null) {
            annotations.putAll(wanted.getMetadata().getAnnotations());
        }
        out.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        out.setAdditionalProperties(new LinkedHashMap<>(wanted.getAdditionalProperties()));
        return out;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> reports(String namespace) {
        return client.genericKubernetesResources(api.context()).inNamespace(namespace);
    }

    /**
     * Whether the cluster serves the API now (a resource of that name at {@code /apis/<group>/<version>}); null when
     * discovery failed (counted and logged: nothing is written then). Logs, at INFO, the first answer and every change.
     */
    private Boolean served() {
        boolean now;
        try {
            var resources = client.getApiResources(api.apiVersion());
            now = resources != null && resources.getResources() != null
                    && resources.getResources().stream().anyMatch(r -> api.plural().equals(r.getName()));
        } catch (RuntimeException e) {
            failed("could not ask discovery whether " + api.apiVersion() + " is served; no " + api.kind()
                    + "s written this audit", e);
            return null;
        }
        if (served == null || served != now) {
            if (now) {
                LOG.infof("%s (%s) is served%s: writing one %s per namespace with findings after each audit",
                        api.crdName(), api.apiVersion(), served == null ? "" : " now", api.kind());
            } else {
                LOG.infof("%s (%s) is %s served by this cluster: no %ss written (looked for again at each audit)",
                        api.crdName(), api.apiVersion(), served == null ? "not" : "no longer", api.kind());
            }
        }
        served = now;
        return now;
    }

    private void failed(String what, RuntimeException e) {
        metrics.reportWritten(api.apiVersion(), "failed");
        faults.fault(FAULT, what + ": " + why(e) + " (tried again at the next audit)");
    }

    /** What the API server said, in one line ({@code 403 Forbidden: ...}), not the client's whole Status dump. */
    static String why(RuntimeException e) {
        if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            var reason = k.getStatus().getReason() == null ? "" : " " + k.getStatus().getReason();
            return k.getCode() + reason + ": " + k.getStatus().getMessage();
        }
        return String.valueOf(e).replaceAll("\\s+", " ");
    }
}
