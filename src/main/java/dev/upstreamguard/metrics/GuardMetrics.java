package dev.upstreamguard.metrics;

import java.util.List;

/**
 * What the guard counts, as events; the Micrometer implementation turns them into Prometheus series. The no-op
 * default keeps tests and tools free of a registry.
 */
public interface GuardMetrics {
    GuardMetrics NOOP = new GuardMetrics() {
    };

    /** Every {@code result} of {@link #reportWritten}. */
    List<String> REPORT_RESULTS = List.of("created", "updated", "deleted", "failed");

    /** One answered review: decision is {@code allowed}, {@code warned} (allowed with warnings) or {@code denied}. */
    default void reviewed(String kind, String operation, String decision, long nanos) {
    }

    /** One finding of a review and what became of it: {@code denied}, {@code warned} or {@code waived}. */
    default void finding(String rule, String action) {
    }

    /** An Event was written to the API server. */
    default void eventEmitted(String reason) {
    }

    /** An Event was dropped: the queue was full, or the API server refused it. */
    default void eventDropped(String why) {
    }

    /**
     * A policy report write after an audit: {@code api} is the report API's group/version, {@code result} one of
     * {@link #REPORT_RESULTS} ({@code failed}: refused, unreachable, or the API could not be listed).
     */
    default void reportWritten(String api, String result) {
    }
}
