package dev.upstreamguard.reports;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.metrics.MicrometerGuardMetrics;
import dev.upstreamguard.policy.GuardConfig;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes the audit's findings as policy reports after each audit ({@link ReportApi#ALL}, each where the cluster serves
 * it): only against a live cluster (a view loaded from manifests has no cluster to write to), only once the caches
 * have synced (a half-listed view would delete good reports and write wrong ones), and only when
 * {@code upstream-guard.reports.enabled}. Never throws: the audit goes on whatever the writes do.
 */
@ApplicationScoped
public class PolicyReports {
    private static final Logger LOG = Logger.getLogger(PolicyReports.class);

    private final List<ReportWriter> writers;
    private final BooleanSupplier synced;

    @Inject
    public PolicyReports(GuardConfig config, ClusterViews views, MicrometerGuardMetrics metrics,
                         Instance<KubernetesClient> client) {
        this(config.reports(), views.live(), () -> views.view().synced(), client::get, metrics);
    }

    /**
     * @param live   whether the view is a live cluster's
     * @param synced whether the view holds every object yet
     * @param client asked for only when the view is live and reports are enabled
     */
    PolicyReports(GuardConfig.ReportsConfig config, boolean live, BooleanSupplier synced,
                  Supplier<KubernetesClient> client, MicrometerGuardMetrics metrics) {
        this.synced = synced;
        if (!config.enabled()) {
            LOG.info("PolicyReports disabled (upstream-guard.reports.enabled=false)");
            this.writers = List.of();
        } else if (!live) {
            LOG.info("PolicyReports off: no live cluster (the view is loaded from manifests)");
            this.writers = List.of();
        } else {
            var c = client.get();
            ReportApi.ALL.forEach(api -> metrics.countReportWrites(api.apiVersion()));
            this.writers = ReportApi.ALL.stream()
                    .map(api -> new ReportWriter(c, api, config.maxResults(), metrics)).toList();
        }
    }

    /** Whether reports are written at all (enabled, against a live cluster). */
    public boolean active() {
        return !writers.isEmpty();
    }

    /** Brings every served API's reports in line with this audit. Called after each audit, one at a time. */
    public void publish(AuditReport audit) {
        if (writers.isEmpty()) {
            return;
        }
        if (!synced.getAsBoolean()) {
            LOG.debug("PolicyReports not written: the caches have not synced yet");
            return;
        }
        for (var writer : writers) {
            try {
                writer.write(audit);
            } catch (RuntimeException e) {
                // ReportWriter catches what the client throws; this is a bug of ours, and still not the audit's
                LOG.errorf(e, "PolicyReports (%s) not written", writer.api().apiVersion());
            }
        }
    }
}
