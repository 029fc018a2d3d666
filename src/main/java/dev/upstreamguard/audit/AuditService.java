package dev.upstreamguard.audit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.metrics.MicrometerGuardMetrics;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.GuardConfig;
import dev.upstreamguard.reports.PolicyReports;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.RuleCatalog;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the audit every {@code upstream-guard.audit.interval} once the caches have synced, and on demand; logs a
 * readable summary (one line per broken route) and publishes the figures as metrics.
 */
@ApplicationScoped
public class AuditService {
    private static final Logger LOG = Logger.getLogger(AuditService.class);

    private final ClusterViews views;
    private final Auditor auditor;
    private final MicrometerGuardMetrics metrics;
    private final GuardConfig.AuditConfig config;
    private final PolicyReports reports;
    private Periodic periodic;
    private volatile AuditReport last;

    public AuditService(ClusterViews views, MicrometerGuardMetrics metrics, GuardConfig config, PolicyReports reports) {
        this.views = views;
        this.reports = reports;
        this.metrics = metrics;
        this.config = config.audit();
        var decider = new Decider(config.policy());
        this.auditor = new Auditor(new Evaluator(RuleCatalog.with(config.ingressNginx().annotationsPrefix(),
                config.livenessBudgetSeconds())), decider::withConfiguredSeverity);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Periodic audit disabled (upstream-guard.audit.enabled=false); GET /audit on the management port "
                    + "still runs one");
            return;
        }
        var interval = config.interval();
        periodic = new Periodic("upstream-guard-audit", config.initialDelay(), interval, this::scheduled,
                e -> LOG.errorf(e, "Audit failed; next one in %s", interval));
        LOG.infof("Audit every %s once the caches have synced", interval);
    }

    private void scheduled() {
        if (!views.view().synced()) {
            LOG.debug("Audit skipped: caches not synced yet");
            return;
        }
        run();
    }

    /** Runs an audit now, logs and publishes it (metrics, and policy reports where the cluster takes them). */
    public synchronized AuditReport run() {
        var report = auditor.audit(views.index(), views.live(), LOG::info);
        var degraded = views.auditDegradation();
        if (degraded.isPresent()) {
            report = report.degradedBy(degraded.get());
        }
        last = report;
        metrics.audited(report);
        log(report);
        reports.publish(report);
        return report;
    }

    /** The summary line, one WARN line per broken route, and one WARN line if rules threw. */
    static void log(AuditReport report) {
        long errors = report.findings().stream().filter(f -> f.severity().equals("error")).count();
        LOG.infof("Audit: %d findings (%d errors, %d warnings) over %d objects in %d ms; %d broken routes%s",
                report.findings().size(), errors, report.findings().size() - errors, report.objects(), report.millis(),
                report.brokenRoutes().size(), report.runtimeFacts() ? "" : " (endpoints not judged: no live cluster)");
        for (var route : report.brokenRoutes()) {
            LOG.warn(route.line());
        }
        if (report.degraded() != null) {
            LOG.warnf("Audit degraded (denials are not affected): %s", report.degraded());
        }
        for (var c : report.statusContradictions()) {
            LOG.warnf("Status contradicts the walk: %s: %s", c.route(), c.message());
        }
        if (report.ruleFailures() > 0) {
            // what those rules would have found is missing from the report: say so, and which ones
            LOG.warnf("Fault audit-rule-failure: %d rule evaluations threw in this audit; their findings are "
                    + "missing: %s%s", report.ruleFailures(),
                    report.failedRules().stream().map(AuditReport.FailedRule::line).toList(),
                    report.ruleFailures() > report.failedRules().size() ? " and more" : "");
        }
    }

    /** The last report, or null before the first audit. */
    public AuditReport last() {
        return last;
    }

    @PreDestroy
    void stop() {
        if (periodic != null) {
            periodic.close();
        }
    }

}
