package dev.upstreamguard.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or the timeout passes, then fails with the description. */
public final class Await {
    private Await() {
    }

    public static void until(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + description);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + description);
            }
        }
    }
}
