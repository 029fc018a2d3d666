package dev.upstreamguard.admission;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import dev.upstreamguard.metrics.FaultLog;

/**
 * How often a review was answered without being fully judged, and why: read by the metrics (as counters), never
 * reset. Every one of these answers is "allowed" with a warning that says so, or a 400 for a bad review. Each count
 * also leaves a log line: the first fault of each kind per minute is logged at WARN with what it means, and the line
 * says how many of that kind were held back since the previous one, so nothing is swallowed without a log and a count.
 */
public final class FaultCounters {
    private static final Logger LOG = Logger.getLogger(FaultCounters.class);

    private final AtomicLong ruleFailures = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();
    private final AtomicLong overloaded = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong staleViews = new AtomicLong();
    private final AtomicLong badReviews = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final FaultLog log;

    public FaultCounters() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock the once-a-minute log lines are timed by (tests drive it) */
    FaultCounters(LongSupplier nanoTime) {
        this.log = new FaultLog(LOG, nanoTime, FaultLog.INTERVAL);
    }

    /** Rules that threw while judging a review (each counted once per review). */
    public long ruleFailures() {
        return ruleFailures.get();
    }

    /** Reviews allowed unchecked because something inside the guard threw. */
    public long internalErrors() {
        return internalErrors.get();
    }

    /** Reviews allowed unchecked because too many were in flight. */
    public long overloaded() {
        return overloaded.get();
    }

    /** Reviews allowed unchecked because the API server's deadline was (nearly) past. */
    public long late() {
        return late.get();
    }

    /** Reviews whose denials became warnings because the cluster view was stale. */
    public long staleViews() {
        return staleViews.get();
    }

    /** Bodies answered 400: not a usable v1 AdmissionReview. */
    public long badReviews() {
        return badReviews.get();
    }

    /** Reviews whose denial could not be confirmed on a fresh read (the API server failed or time ran short). */
    public long unconfirmed() {
        return unconfirmed.get();
    }

    // The kinds below are the metric's why="..." values; the texts say what the fault means and where to look.

    void countUnconfirmed() {
        unconfirmed.incrementAndGet();
        log.fault("unconfirmed", "a would-be denial was allowed with a warning: it could not be confirmed on a fresh "
                + "read from the API server in time (check the API server's latency and the pod's connection to it, "
                + "or raise upstream-guard.admission.confirm-timeout)");
    }

    void countRuleFailure() {
        ruleFailures.incrementAndGet();
        log.fault("rule-failure", "a rule threw while judging a review; what it would have judged was allowed "
                + "(the rule and its stack trace are logged at ERROR)");
    }

    void countInternalError() {
        internalErrors.incrementAndGet();
        log.fault("internal-error", "a review failed inside the guard and was allowed unchecked "
                + "(stack trace logged at ERROR)");
    }

    void countOverload() {
        overloaded.incrementAndGet();
        log.fault("overloaded", "a review was allowed unchecked: upstream-guard.admission.max-in-flight reviews were "
                + "already being judged (add replicas or CPU, or raise the limit)");
    }

    void countLate() {
        late.incrementAndGet();
        log.fault("late", "a review was allowed unchecked: it was reached or judged past the API server's deadline "
                + "less upstream-guard.admission.deadline-margin (the pod is starved of CPU, or paused)");
    }

    void countStaleView() {
        staleViews.incrementAndGet();
        log.fault("stale-view", "a denial was answered as a warning: an informer has not been watching for longer "
                + "than upstream-guard.cache.max-staleness (check the pod's connection to the API server)");
    }

    void countBadReview() {
        badReviews.incrementAndGet();
        log.fault("bad-review", "a request to /validate was answered 400: not a usable admission.k8s.io/v1 "
                + "AdmissionReview (a misconfigured client, or something probing the port)");
    }
}
