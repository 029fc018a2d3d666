package dev.upstreamguard.gateway;

/**
 * How one Gateway listener treats one route: admits it, or which of its {@code allowedRoutes} or its hostname turns it
 * away, and in words why.
 *
 * @param listener the listener's name
 * @param port     the listener's port
 * @param outcome  whether it admits the route, and if not, the first check that fails
 * @param why      one phrase naming the listener, what it expects and what the route has; null when it admits
 */
public record ListenerVerdict(String listener, Integer port, Outcome outcome, String why) {

    /** The checks in the order the spec's reasons rank them: namespaces and kinds first, then hostnames. */
    public enum Outcome {
        ADMITS, NAMESPACE_NOT_ALLOWED, KIND_NOT_ALLOWED, HOSTNAME_MISMATCH;

        /** Turned away by {@code allowedRoutes} (the spec's {@code NotAllowedByListeners}). */
        public boolean byAllowedRoutes() {
            return this == NAMESPACE_NOT_ALLOWED || this == KIND_NOT_ALLOWED;
        }
    }

    public boolean admits() {
        return outcome == Outcome.ADMITS;
    }
}
