package dev.upstreamguard.explain;

import java.util.List;
import java.util.Optional;

/**
 * What one data plane does with the request (or with the object asked about): the rule it picks, and the routes from
 * there walked hop by hop.
 *
 * @param dataPlane  {@code ingress-nginx}, {@code Gateway shop/public}, or the object asked about
 * @param resolution which rule serves the request; null when an object was asked about directly
 * @param broken     a break before any route: no rule serves the path (404), the rule has no backend (500), the
 *                   route attaches to no listener; else null
 * @param walks      the routes reached, walked
 * @param notes      what else is worth knowing: rules ignored and why, a canary, a listener on another port
 */
public record Section(String dataPlane, Resolution resolution, Hop broken, List<WalkedRoute> walks, List<String> notes) {

    public Section {
        walks = List.copyOf(walks);
        notes = List.copyOf(notes);
    }

    /** The first broken hop of this data plane: before any route, else on the first route broken. */
    public Optional<Hop> firstBroken() {
        if (broken != null) {
            return Optional.of(broken);
        }
        return walks.stream().flatMap(w -> w.broken().stream()).findFirst();
    }
}
