package dev.upstreamguard.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How would-be denials fared when confirmed on a fresh read: upheld (denied), overturned (the cache lagged: allowed),
 * or unconfirmed (the read failed or time ran short: allowed with a warning). Overturned is the cache lag users should
 * see; unconfirmed is a fault.
 */
public final class ConfirmCounters {
    private final AtomicLong upheld = new AtomicLong();
    private final AtomicLong overturned = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();

    public long upheld() {
        return upheld.get();
    }

    public long overturned() {
        return overturned.get();
    }

    public long unconfirmed() {
        return unconfirmed.get();
    }

    void countUpheld() {
        upheld.incrementAndGet();
    }

    void countOverturned() {
        overturned.incrementAndGet();
    }

    void countUnconfirmed() {
        unconfirmed.incrementAndGet();
    }
}
