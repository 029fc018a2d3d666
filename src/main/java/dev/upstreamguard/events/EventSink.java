package dev.upstreamguard.events;

/** Where Events are written: the API server in production, a list in tests. */
@FunctionalInterface
public interface EventSink {
    void write(GuardEvent event);
}
