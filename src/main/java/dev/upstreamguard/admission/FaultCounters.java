package dev.upstreamguard.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How often a review was answered without being fully judged, and why: read by the metrics (as counters), never
 * reset. Every one of these answers is "allowed" with a warning that says so, or a 400 for a bad review.
 */
public final class FaultCounters {
    private final AtomicLong ruleFailures = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();
    private final AtomicLong overloaded = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong staleViews = new AtomicLong();
    private final AtomicLong badReviews = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();

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

    void countUnconfirmed() {
        unconfirmed.incrementAndGet();
    }

    void countRuleFailure() {
        ruleFailures.incrementAndGet();
    }

    void countInternalError() {
        internalErrors.incrementAndGet();
    }

    void countOverload() {
        overloaded.incrementAndGet();
    }

    void countLate() {
        late.incrementAndGet();
    }

    void countStaleView() {
        staleViews.incrementAndGet();
    }

    void countBadReview() {
        badReviews.incrementAndGet();
    }
}
