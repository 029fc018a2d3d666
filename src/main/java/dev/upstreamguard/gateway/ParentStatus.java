package dev.upstreamguard.gateway;

/**
 * One {@code status.parents[]} entry of a route: what the controller {@code controllerName} says about
 * {@code parentRef}.
 *
 * @param parentRef      the parent the entry is about, defaults applied (its field is {@code status.parents[i]})
 * @param controllerName the controller that wrote it
 * @param accepted       the {@code Accepted} condition, or null when absent
 * @param resolvedRefs   the {@code ResolvedRefs} condition, or null when absent
 */
public record ParentStatus(ParentRef parentRef, String controllerName, Condition accepted, Condition resolvedRefs) {

    /**
     * One condition as the controller wrote it.
     *
     * @param status             {@code True}, {@code False} or {@code Unknown}
     * @param reason             a CamelCase reason: {@code NoMatchingParent}, {@code RefNotPermitted}, ...
     * @param message            the controller's message, or null
     * @param observedGeneration the route generation the controller judged, or null
     */
    public record Condition(String status, String reason, String message, Long observedGeneration) {
        public boolean isTrue() {
            return "True".equals(status);
        }

        public boolean isFalse() {
            return "False".equals(status);
        }

        /** Written for an older generation of the route than {@code generation}: says nothing about the current spec. */
        public boolean staleFor(Long generation) {
            return observedGeneration != null && generation != null && observedGeneration < generation;
        }
    }
}
