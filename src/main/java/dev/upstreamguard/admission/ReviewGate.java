package dev.upstreamguard.admission;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;

/**
 * In front of the {@link ReviewHandler}: a body becomes a 400 with a one-line reason or a 200 with an AdmissionReview
 * carrying the request's uid, never anything else. It honours the API server's deadline ({@code ?timeout=10s} on the
 * call) and bounds the reviews in flight: when the answer would come too late or too many are being judged, it answers
 * at once, allowed with a warning that says so, rather than queue past the deadline (the API server would then apply
 * {@code failurePolicy: Ignore} anyway, silently).
 */
public final class ReviewGate {
    private static final Logger LOG = Logger.getLogger(ReviewGate.class);
    static final String OVERLOADED = "[upstream-guard] overloaded; change allowed unchecked";
    /** The API server's default webhook timeout, when a call carries no {@code ?timeout=}. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

    /** What goes back over HTTP: a status and its JSON entity (an AdmissionReview, or {@code {"error": ...}}). */
    public record Reply(int status, Object entity) {
    }

    private final ReviewHandler handler;
    private final Semaphore inFlight;
    private final long marginNanos;
    private final LongSupplier nanoTime;

    public ReviewGate(ReviewHandler handler, int maxInFlight, Duration deadlineMargin) {
        this(handler, maxInFlight, deadlineMargin, System::nanoTime);
    }

    ReviewGate(ReviewHandler handler, int maxInFlight, Duration deadlineMargin, LongSupplier nanoTime) {
        this.handler = handler;
        this.inFlight = new Semaphore(Math.max(1, maxInFlight));
        this.marginNanos = deadlineMargin.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Judges one review on the calling thread, counted among those in flight (tests and tools; the HTTP edge admits on
     * its event loop with {@link #tryEnter} and judges on a worker with {@link #judge}).
     *
     * @param body    the request body as received
     * @param timeout the call's {@code timeout} query parameter (a Go duration), or null
     */
    public Reply handle(byte[] body, String timeout) {
        long arrival = nanoTime.getAsLong();
        if (!tryEnter()) {
            return overloaded(body);
        }
        try {
            return judge(body, timeout, arrival);
        } finally {
            exit();
        }
    }

    /** Takes a place among the reviews in flight (queued or being judged); false when all are taken. */
    public boolean tryEnter() {
        return inFlight.tryAcquire();
    }

    /** Gives the place back. */
    public void exit() {
        inFlight.release();
    }

    /** The answer for a review that found no place: allowed at once, with the warning "overloaded" (or a 400). */
    public Reply overloaded(byte[] body) {
        AdmissionReview review;
        try {
            review = handler.parse(body);
        } catch (BadReview e) {
            return badReview(e);
        }
        handler.counters().countOverload();
        LOG.debugf("Review %s allowed unchecked: overloaded", ReviewHandler.forLog(review.getRequest().getUid()));
        return allowed(review.getRequest().getUid(), OVERLOADED);
    }

    /**
     * Judges a review that holds a place in flight.
     *
     * @param arrival {@link System#nanoTime()} when the body had arrived: the API server's deadline counts from then,
     *                not from when a worker got to it
     */
    public Reply judge(byte[] body, String timeout, long arrival) {
        AdmissionReview review;
        try {
            review = handler.parse(body);
        } catch (BadReview e) {
            return badReview(e);
        }
        var uid = review.getRequest().getUid();
        var budget = GoDuration.parse(timeout);
        long deadline = arrival + budget.map(d -> d.toNanos() - marginNanos).orElse(DEFAULT_BUDGET.toNanos() - marginNanos);
        if (nanoTime.getAsLong() - deadline >= 0) {
            return late(uid, timeout, "no time left to judge it");
        }
        try {
            var answer = handler.answer(review, deadline);
            if (!answer.getResponse().getAllowed() && nanoTime.getAsLong() - deadline >= 0) {
                return late(uid, timeout, "judged too late");
            }
            return new Reply(200, answer);
        } catch (BadReview e) {
            return badReview(e);
        } catch (RuntimeException | StackOverflowError e) {
            // answer() fails open itself; this is the last line before a 500
            handler.counters().countInternalError();
            LOG.errorf(e, "Review %s failed inside the guard; allowing it", ReviewHandler.forLog(uid));
            return allowed(uid, "[upstream-guard] internal error (" + e.getClass().getSimpleName()
                    + "); change allowed unchecked");
        }
    }

    private Reply badReview(BadReview e) {
        handler.counters().countBadReview();
        LOG.debugf("Rejected a review: %s", e.getMessage());
        return new Reply(400, Map.of("error", e.getMessage()));
    }

    private Reply late(String uid, String timeout, String what) {
        handler.counters().countLate();
        LOG.debugf("Review %s allowed unchecked: %s within timeout=%s", ReviewHandler.forLog(uid), what,
                ReviewHandler.forLog(timeout));
        return allowed(uid, "[upstream-guard] " + what + " within the API server's timeout (" + timeout
                + "); change allowed unchecked");
    }

    private static Reply allowed(String uid, String warning) {
        var out = new AdmissionReview();
        out.setApiVersion(ReviewHandler.API_VERSION);
        out.setKind("AdmissionReview");
        out.setResponse(new AdmissionResponseBuilder().withUid(uid).withAllowed(true)
                .withWarnings(List.of(ResponseRenderer.shorten(warning))).build());
        return new Reply(200, out);
    }
}
