package dev.upstreamguard.gateway;

import java.util.List;

/**
 * Whether one parentRef of a route attaches, and if not, why: the link {@code route-not-attached} judges.
 *
 * @param parent      the parentRef, defaults applied
 * @param reason      {@link Reason#ACCEPTED}, {@link Reason#NOT_A_GATEWAY} (not judged), or why it does not attach
 * @param listeners   how each listener the parentRef selects treats the route, in the Gateway's order; empty when
 *                    no Gateway was looked at
 * @param explanation one line without the route's name: what was expected and what exists
 * @param fix         how to make it attach; empty when it attaches or is not judged
 */
public record Attachment(ParentRef parent, Reason reason, List<ListenerVerdict> listeners, String explanation,
                         String fix) {

    public Attachment {
        listeners = List.copyOf(listeners);
    }

    /**
     * Stable reasons. Those a Gateway controller can write into {@code status.parents[].conditions[Accepted]} carry
     * the spec's names; {@code GatewayNotFound} and {@code NotAGateway} are ours (no controller reports on them).
     */
    public enum Reason {
        ACCEPTED("Accepted"),
        NOT_A_GATEWAY("NotAGateway"),
        GATEWAY_NOT_FOUND("GatewayNotFound"),
        NO_MATCHING_PARENT("NoMatchingParent"),
        NOT_ALLOWED_BY_LISTENERS("NotAllowedByListeners"),
        NO_MATCHING_LISTENER_HOSTNAME("NoMatchingListenerHostname");

        private final String name;

        Reason(String name) {
            this.name = name;
        }

        /** The CamelCase name, as in a route's status condition. */
        public String reasonName() {
            return name;
        }
    }

    /** Attached through at least one listener. */
    public boolean attached() {
        return reason == Reason.ACCEPTED;
    }

    /** A Gateway parent we judged; false for a mesh Service or another kind of parent. */
    public boolean judged() {
        return reason != Reason.NOT_A_GATEWAY;
    }

    /** Judged and not attached: what {@code route-not-attached} reports. */
    public boolean detached() {
        return judged() && !attached();
    }

    /** The Gateway itself is absent (on a CREATE it may come later in the same sync). */
    public boolean absentReference() {
        return reason == Reason.GATEWAY_NOT_FOUND;
    }

    /** Names of the listeners the route attaches through. */
    public List<String> attachedThrough() {
        return listeners.stream().filter(ListenerVerdict::admits).map(ListenerVerdict::listener).toList();
    }
}
