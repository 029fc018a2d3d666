package dev.upstreamguard.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Logs a fault at WARN at most once per kind per interval, and says in that line how many faults of the kind went
 * unlogged since the previous one. A fault that pages someone must leave a line to read, but an overloaded guard
 * must not also flood its log. The clock is a nanosecond counter ({@link System#nanoTime()} in production) so tests
 * can drive it.
 */
public final class FaultLog {
    /** One line per kind at most this often. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Logger log;
    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** One kind's window: when its last line was written and how many faults were held back since. */
    private static final class Window {
        final AtomicLong lastLine;
        final AtomicLong suppressed = new AtomicLong();

        Window(long lastLine) {
            this.lastLine = new AtomicLong(lastLine);
        }
    }

    public FaultLog(Logger log) {
        this(log, System::nanoTime, INTERVAL);
    }

    public FaultLog(Logger log, LongSupplier nanoTime, Duration interval) {
        this.log = log;
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * A fault of {@code kind} happened: logs {@code what} at WARN if no line of this kind was written within the
     * interval, else counts it for the next line. {@code kind} must come from a fixed set (it keys a map).
     */
    public void fault(String kind, String what) {
        long now = nanoTime.getAsLong();
        // a new kind starts with its window already over, so its first fault is logged
        var w = windows.computeIfAbsent(kind, k -> new Window(now - intervalNanos));
        long last = w.lastLine.get();
        // the first fault past the interval wins the line; the CAS lets exactly one thread win each window
        if (now - last >= intervalNanos && w.lastLine.compareAndSet(last, now)) {
            long held = w.suppressed.getAndSet(0);
            log.warnf("Fault %s: %s%s", kind, what, held == 0 ? ""
                    : " (" + held + " more of this kind since the last such line, not logged)");
            return;
        }
        w.suppressed.incrementAndGet();
    }
}
