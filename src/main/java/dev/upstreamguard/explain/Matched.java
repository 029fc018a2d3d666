package dev.upstreamguard.explain;

import java.util.List;

/**
 * What one data plane does with a request, before any route is walked: the rule it picks and the routes that rule
 * sends the request to, or why none serves it.
 *
 * @param dataPlane  {@code ingress-nginx} or {@code Gateway shop/public}
 * @param resolution the winner and the other rules that match
 * @param targets    the routes to walk (one per Service backend of the winning rule)
 * @param broken     no rule serves the request (404), or the rule has no backend (500); else null
 * @param notes      rules ignored and why, canaries, listeners on another port
 */
record Matched(String dataPlane, Resolution resolution, List<RouteTarget> targets, Hop broken, List<String> notes) {

    Matched {
        targets = List.copyOf(targets);
        notes = List.copyOf(notes);
    }
}
