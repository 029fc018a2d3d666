package dev.upstreamguard.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.upstreamguard.admission.FaultCounters;
import dev.upstreamguard.admission.HandledKinds;
import dev.upstreamguard.admission.Requests;
import dev.upstreamguard.admission.ReviewObserver;
import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.policy.Action;
import dev.upstreamguard.policy.Decision;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MultiGauge;

/**
 * The guard's Prometheus series (at {@code /q/metrics}): reviews by kind, operation and decision; findings by rule
 * and action; review duration with sub-millisecond buckets; cached objects per kind; seconds since each informer's
 * last event; audit findings by rule and namespace; broken routes by type, aligned with ingress-nginx's
 * {@code orphan_ingress{type=no-service|no-endpoint}}; Events written and dropped. Counters are cached per tag set so
 * the request path allocates nothing but the tag lookup. The {@code kind} and {@code operation} labels come from posted
 * reviews, so they are clamped to what the guard handles ({@link #KINDS}, {@link #OPERATIONS}) and {@code other}:
 * whoever can reach the port must not be able to grow the registry without bound.
 */
@ApplicationScoped
public class MicrometerGuardMetrics implements GuardMetrics, ReviewObserver {
    private static final Duration[] BUCKETS = {Duration.ofMillis(0).plusNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(3)};

    /** The {@code kind} label values: the kinds {@link HandledKinds} judges, whatever gets added there. */
    static final Set<String> KINDS = HandledKinds.KINDS.values().stream().map(Class::getSimpleName)
            .collect(Collectors.toUnmodifiableSet());
    /** The {@code operation} label values: the operations of admission.k8s.io/v1. */
    static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");
    /** The label value of any kind or operation outside those sets. */
    static final String OTHER = "other";
    /**
     * Faults by why: those of reviews ({@link #countFaults}) and {@code audit-rule-failure}, a rule that threw in an
     * audit (its findings on that subject are missing from the report).
     */
    static final String FAULTS = "upstream.guard.faults";
    /** Every {@code why} of {@link #FAULTS}; the alert UpstreamGuardFaults pages on all but {@code bad-review}. */
    public static final List<String> FAULT_REASONS = List.of("rule-failure", "internal-error", "overloaded", "late",
            "stale-view", "unconfirmed", "bad-review", "audit-rule-failure");
    private static final String FAULTS_DESCRIPTION = "Reviews answered without being fully judged or refused as "
            + "unreadable, and rules that threw in an audit";

    /** upstream_guard_reports_written_total{api, result}: PolicyReport / Report writes after audits. */
    static final String REPORTS_WRITTEN = "upstream.guard.reports.written";
    private static final String REPORTS_WRITTEN_DESCRIPTION = "Policy reports written after audits, by report API and "
            + "result (created, updated, deleted, failed)";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final MultiGauge auditFindings;
    private final MultiGauge brokenRoutes;
    private final AtomicReference<AuditReport> lastAudit = new AtomicReference<>();
    /** Rule evaluations that threw in audits: upstream_guard_faults_total{why="audit-rule-failure"}. */
    private final AtomicLong auditRuleFailures = new AtomicLong();
    /** Meters that read this application's objects: taken out of the registry when it stops (see {@link #stop()}). */
    private final List<Meter> bound = new CopyOnWriteArrayList<>();

    public MicrometerGuardMetrics(MeterRegistry registry, ClusterViews views) {
        this.registry = registry;
        for (var kind : List.of("Service", "Ingress", "Namespace", "IngressClass", "Workload", "Pod", "GatewayAPI")) {
            bound.add(Gauge.builder("upstream.guard.cached.objects", views, v -> v.index().counts().getOrDefault(kind, 0))
                    .tag("kind", kind).description("Objects held in the cluster view, by kind").register(registry));
        }
        var kinds = new java.util.ArrayList<String>();
        dev.upstreamguard.cluster.InformerFeed.KINDS.forEach(k -> kinds.add(k.getSimpleName()));
        kinds.addAll(dev.upstreamguard.cluster.InformerFeed.GATEWAY_API_KINDS);
        for (var name : kinds) {
            bound.add(Gauge.builder("upstream.guard.informer.last.event.age", views,
                            v -> v.lastEventAgeSeconds().getOrDefault(name, Double.NaN))
                    .tag("kind", name).baseUnit("seconds")
                    .description("Seconds since the informer last delivered an event").register(registry));
        }
        for (var name : kinds) {
            bound.add(Gauge.builder("upstream.guard.informer.staleness", views,
                            v -> v.stalenessSecondsByKind().getOrDefault(name, 0L))
                    .tag("kind", name).baseUnit("seconds")
                    .description("Seconds the informer has not been watching (0 while it watches)").register(registry));
        }
        bound.add(Gauge.builder("upstream.guard.audit.degraded", lastAudit,
                        r -> r.get() != null && r.get().degraded() != null ? 1 : 0)
                .description("1 while the last audit's runtime facts were incomplete (an audit-only informer not "
                        + "listed or not watching); denials never rest on them").register(registry));
        bound.add(Gauge.builder("upstream.guard.audit.status.contradictions", lastAudit,
                        r -> r.get() == null ? 0 : r.get().statusContradictions().size())
                .description("Gateway API routes whose status, as their controller wrote it, contradicts the guard's "
                        + "walk, at the last audit").register(registry));
        this.auditFindings = MultiGauge.builder("upstream.guard.audit.findings")
                .description("Findings of the last audit, by rule and namespace").register(registry);
        for (var why : List.of("queue-full", "api-error")) {
            counter("upstream.guard.events.dropped", "Kubernetes Events dropped", "why", why); // exported from 0
        }
        // exported from 0, beside the review faults countFaults adds once the first review is judged
        bound.add(FunctionCounter.builder(FAULTS, auditRuleFailures, AtomicLong::get).tag("why", "audit-rule-failure")
                .description(FAULTS_DESCRIPTION).register(registry));
        this.brokenRoutes = MultiGauge.builder("upstream.guard.broken.routes")
                .description("Ingress routes broken at the last audit: no-service or no-endpoint").register(registry);
    }

    @Override
    public void reviewed(AdmissionRequest request, Decision decision, long nanos) {
        var verdict = !decision.allowed() ? "denied"
                : decision.verdicts().isEmpty() && decision.notices().isEmpty() ? "allowed" : "warned";
        reviewed(Requests.kind(request), Requests.operation(request), verdict, nanos);
        for (var v : decision.verdicts()) {
            finding(v.finding().ruleId(), v.action() == Action.DENY ? "denied"
                    : v.action() == Action.WAIVED ? "waived" : "warned");
        }
    }

    @Override
    public void reviewed(String kind, String operation, String decision, long nanos) {
        // null-safe: the immutable sets throw on contains(null)
        var k = kind != null && KINDS.contains(kind) ? kind : OTHER;
        var op = operation != null && OPERATIONS.contains(operation) ? operation : OTHER;
        counter("upstream.guard.reviews", "Reviews answered", "kind", k, "operation", op, "decision", decision)
                .increment();
        timers.computeIfAbsent(k, key -> Timer.builder("upstream.guard.review.duration")
                .description("Time to answer a review, parse to response").tag("kind", key)
                .serviceLevelObjectives(BUCKETS).register(registry)).record(Duration.ofNanos(nanos));
    }

    @Override
    public void finding(String rule, String action) {
        counter("upstream.guard.findings", "Findings in reviews, by what became of them", "rule", rule, "action", action)
                .increment();
    }

    @Override
    public void eventEmitted(String reason) {
        counter("upstream.guard.events.emitted", "Kubernetes Events written", "reason", reason).increment();
    }

    @Override
    public void eventDropped(String why) {
        counter("upstream.guard.events.dropped", "Kubernetes Events dropped", "why", why).increment();
    }

    @Override
    public void reportWritten(String api, String result) {
        counter(REPORTS_WRITTEN, REPORTS_WRITTEN_DESCRIPTION, "api", api, "result", result).increment();
    }

    /** Exports the report writes of {@code api} from 0, every result, so a rate over them exists before the first. */
    public void countReportWrites(String api) {
        REPORT_RESULTS.forEach(result -> counter(REPORTS_WRITTEN, REPORTS_WRITTEN_DESCRIPTION, "api", api, "result",
                result));
    }

    /**
     * Exports how would-be denials fared on their fresh read from the API server:
     * {@code upstream_guard_denials_confirmed_total{result=upheld|overturned|unconfirmed}}. Overturned is the cache
     * lag users should see: each one is a good release the cache alone would have denied.
     */
    public void countConfirmations(dev.upstreamguard.admission.ConfirmCounters confirmations) {
        bound.add(FunctionCounter.builder("upstream.guard.denials.confirmed", confirmations, c -> c.upheld())
                .tag("result", "upheld").description("Would-be denials re-judged on a fresh read, by outcome")
                .register(registry));
        bound.add(FunctionCounter.builder("upstream.guard.denials.confirmed", confirmations, c -> c.overturned())
                .tag("result", "overturned").description("Would-be denials re-judged on a fresh read, by outcome")
                .register(registry));
        bound.add(FunctionCounter.builder("upstream.guard.denials.confirmed", confirmations, c -> c.unconfirmed())
                .tag("result", "unconfirmed").description("Would-be denials re-judged on a fresh read, by outcome")
                .register(registry));
    }

    /**
     * Exports the counts of reviews answered without being fully judged, by why: {@code rule-failure},
     * {@code internal-error}, {@code overloaded}, {@code late}, {@code stale-view}, {@code unconfirmed},
     * {@code bad-review}.
     */
    public void countFaults(FaultCounters faults) {
        var kinds = Map.<String, ToDoubleFunction<FaultCounters>>of(
                "rule-failure", f -> f.ruleFailures(), "internal-error", f -> f.internalErrors(),
                "overloaded", f -> f.overloaded(), "late", f -> f.late(), "stale-view", f -> f.staleViews(),
                "bad-review", f -> f.badReviews(), "unconfirmed", f -> f.unconfirmed());
        kinds.forEach((why, read) -> bound.add(FunctionCounter.builder(FAULTS, faults, read).tag("why", why)
                .description(FAULTS_DESCRIPTION).register(registry)));
    }

    /**
     * Takes out of the registry every meter that reads this application's objects. The registry can outlive the
     * application (Micrometer's global registry in a JVM that starts it again, as the tests do): a gauge left behind
     * would keep the id, so the next start's gauge of the same name would never be registered, and the old one would
     * read beans that no longer exist.
     */
    @PreDestroy
    void stop() {
        bound.forEach(registry::remove);
        bound.clear();
        auditFindings.register(List.of(), true);
        brokenRoutes.register(List.of(), true);
    }

    /** Publishes the last audit's findings and broken routes as gauges, and counts its rule failures as faults. */
    public void audited(AuditReport report) {
        lastAudit.set(report);
        auditRuleFailures.addAndGet(report.ruleFailures());
        auditFindings.register(report.findingsByRuleAndNamespace().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("rule", e.getKey().rule(), "namespace", e.getKey().namespace()),
                        e.getValue()))
                .toList(), true);
        brokenRoutes.register(report.brokenRoutesByType().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("type", e.getKey()), e.getValue())).toList(), true);
    }

    private Counter counter(String name, String description, String... tags) {
        var key = name + String.join("\0", tags);
        var c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
        }
        return c;
    }
}
