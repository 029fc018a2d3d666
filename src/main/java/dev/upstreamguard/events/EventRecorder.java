package dev.upstreamguard.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import dev.upstreamguard.admission.Requests;
import dev.upstreamguard.admission.ReviewObserver;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.metrics.FaultLog;
import dev.upstreamguard.metrics.GuardMetrics;
import dev.upstreamguard.policy.Action;
import dev.upstreamguard.policy.Decision;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;

/**
 * Turns every warning and every warn-mode would-be denial into a Kubernetes Event on the object, because Argo CD,
 * Flux and Helm do not show admission warnings. Off the request path: a bounded queue and one writer thread; never
 * on a dry run; at most one Event per object and rule per window; dropped (and counted, and logged at WARN once a
 * minute) when the queue is full or the API server refuses it. On a CREATE the object has no uid yet, so the writer
 * waits briefly for it to appear in the cache (kubectl describe and Argo CD find Events by uid).
 */
public final class EventRecorder implements ReviewObserver, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    static final int MESSAGE_LIMIT = 1024;
    static final int UID_ATTEMPTS = 10;
    static final long UID_RETRY_MILLIS = 500;

    private final EventSink sink;
    private final GuardMetrics metrics;
    private final Function<ObjectRef, String> uidLookup;
    private final int capacity;
    private final long windowMillis;
    private final LongSupplier clock;
    private final long uidRetryMillis;
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * Event key -> when it was last queued, oldest first (a key queued again moves to the end), so expired keys are
     * always at the head: each offer drops them from there, every key once, amortised O(1) however large the map.
     */
    private final LinkedHashMap<String, Long> lastWritten = new LinkedHashMap<>();
    private final FaultLog faults = new FaultLog(LOG);
    private final ScheduledThreadPoolExecutor writer;

    public EventRecorder(EventSink sink, GuardMetrics metrics, Function<ObjectRef, String> uidLookup, int capacity,
                         Duration window, LongSupplier clock) {
        this(sink, metrics, uidLookup, capacity, window, clock, UID_RETRY_MILLIS);
    }

    /** @param uidRetryMillis the wait between two uid look-ups of a created object (tests shorten it) */
    EventRecorder(EventSink sink, GuardMetrics metrics, Function<ObjectRef, String> uidLookup, int capacity,
                  Duration window, LongSupplier clock, long uidRetryMillis) {
        this.sink = sink;
        this.metrics = metrics;
        this.uidLookup = uidLookup;
        this.capacity = capacity;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.uidRetryMillis = uidRetryMillis;
        this.writer = new ScheduledThreadPoolExecutor(1, r -> {
            var t = new Thread(r, "upstream-guard-events");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void reviewed(AdmissionRequest request, Decision decision, long nanos) {
        if (Requests.dryRun(request) || decision.verdicts().isEmpty()) {
            return;
        }
        for (var v : decision.verdicts()) {
            if (v.action() == Action.DENY) {
                continue; // the user sees a denial where they applied; the object did not change
            }
            var reason = v.wouldDeny() ? "UpstreamGuardWouldDeny"
                    : v.action() == Action.WAIVED ? "UpstreamGuardWaived" : "UpstreamGuardWarning";
            var f = v.finding();
            var qualifier = v.reason().isEmpty() ? "" : v.reason() + ": ";
            var message = "[" + f.ruleId() + "] " + qualifier + f.line();
            if (message.length() > MESSAGE_LIMIT) {
                message = message.substring(0, MESSAGE_LIMIT - 1) + "…";
            }
            var kind = Requests.kind(request);
            var ref = new ObjectRef(kind, request.getNamespace(), request.getName());
            offer(new GuardEvent(ref, Requests.apiVersion(kind), Requests.objectUid(request), reason, f.ruleId(), message));
        }
    }

    /** Queues an Event unless the same one was written within the window, or the queue is full. */
    public boolean offer(GuardEvent event) {
        var key = event.object() + "\0" + event.rule() + "\0" + event.reason();
        long now = clock.getAsLong();
        synchronized (lastWritten) {
            forgetExpired(now);
            var previous = lastWritten.get(key);
            if (previous != null && now - previous < windowMillis) {
                return false;
            }
            if (pending.incrementAndGet() > capacity) {
                pending.decrementAndGet();
                metrics.eventDropped("queue-full");
                faults.fault("event-queue-full", "an Event was dropped: upstream-guard.events.queue-size Events were "
                        + "already waiting to be written (the API server is slow, or refuses them)");
                return false;
            }
            lastWritten.remove(key); // put() alone would keep the key's old place in the order
            lastWritten.put(key, now);
        }
        writer.execute(() -> write(event, 0));
        return true;
    }

    /** Drops the keys whose window is over; they are all at the head. */
    private void forgetExpired(long now) {
        var oldest = lastWritten.entrySet().iterator();
        while (oldest.hasNext() && now - oldest.next().getValue() >= windowMillis) {
            oldest.remove();
        }
    }

    /** Keys remembered for de-duplication (tests: expired ones must not pile up). */
    int remembered() {
        synchronized (lastWritten) {
            return lastWritten.size();
        }
    }

    /** Writes one Event; its queue slot is given back however this ends, unless it is rescheduled to wait for a uid. */
    private void write(GuardEvent event, int attempt) {
        boolean rescheduled = false;
        var e = event;
        try {
            if (e.uid() == null) {
                var uid = uidOf(e.object());
                if (uid == null && attempt < UID_ATTEMPTS) {
                    writer.schedule(() -> write(event, attempt + 1), uidRetryMillis, TimeUnit.MILLISECONDS);
                    rescheduled = true;
                    return;
                }
                e = e.withUid(uid);
            }
            sink.write(e);
            metrics.eventEmitted(e.reason());
        } catch (RuntimeException ex) {
            metrics.eventDropped("api-error");
            faults.fault("event-write-failed", "an Event on " + e.object() + " was not written: " + ex);
        } finally {
            if (!rescheduled) {
                pending.decrementAndGet();
            }
        }
    }

    /** The object's uid from the cache, or null while it is not there, or the look-up fails (tried again later). */
    private String uidOf(ObjectRef object) {
        try {
            return uidLookup.apply(object);
        } catch (RuntimeException ex) {
            LOG.debugf("uid of %s not looked up: %s", object, ex.toString());
            return null;
        }
    }

    /** Events queued or waiting for a uid. */
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
