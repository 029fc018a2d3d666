package dev.upstreamguard.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.metrics.MicrometerGuardMetrics;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.GuardConfig;
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
    private ScheduledExecutorService scheduler;
    private volatile AuditReport last;

    public AuditService(ClusterViews views, MicrometerGuardMetrics metrics, GuardConfig config) {
        this.views = views;
        this.metrics = metrics;
        this.config = config.audit();
        var decider = new Decider(config.policy());
        this.auditor = new Auditor(new Evaluator(RuleCatalog.with(config.ingressNginx().annotationsPrefix(),
                config.livenessBudgetSeconds())), decider::withConfiguredSeverity);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Periodic audit disabled (upstream-guard.audit.enabled=false); GET /audit still runs one");
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "upstream-guard-audit");
            t.setDaemon(true);
            return t;
        });
        var interval = config.interval();
        scheduler.scheduleWithFixedDelay(this::scheduled, config.initialDelay().toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof("Audit every %s once the caches have synced", interval);
    }

    private void scheduled() {
        try {
            if (!views.view().synced()) {
                LOG.debug("Audit skipped: caches not synced yet");
                return;
            }
            run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Audit failed; next one in %s", config.interval());
        }
    }

    /** Runs an audit now, logs and publishes it. */
    public synchronized AuditReport run() {
        var report = auditor.audit(views.index(), views.live(), LOG::info);
        last = report;
        metrics.audited(report);
        long errors = report.findings().stream().filter(f -> f.severity().equals("error")).count();
        LOG.infof("Audit: %d findings (%d errors, %d warnings) over %d objects in %d ms; %d broken routes%s",
                report.findings().size(), errors, report.findings().size() - errors, report.objects(), report.millis(),
                report.brokenRoutes().size(), report.runtimeFacts() ? "" : " (endpoints not judged: no live cluster)");
        for (var route : report.brokenRoutes()) {
            LOG.warn(route.line());
        }
        return report;
    }

    /** The last report, or null before the first audit. */
    public AuditReport last() {
        return last;
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

}
