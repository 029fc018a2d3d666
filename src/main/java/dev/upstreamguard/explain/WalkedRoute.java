package dev.upstreamguard.explain;

import java.util.List;
import java.util.Optional;

/**
 * One route walked hop by hop, outside in. The hops stop at the first broken one; a route with none broken lists the
 * timeouts that can still end a request in a 504.
 *
 * @param target   the route and the object that holds it
 * @param hops     the hops walked, in order
 * @param timeouts for a route with no broken hop, the timeouts in force; else empty
 */
public record WalkedRoute(RouteTarget target, List<Hop> hops, List<Timeout> timeouts) {

    public WalkedRoute {
        hops = List.copyOf(hops);
        timeouts = List.copyOf(timeouts);
    }

    /** The first broken hop, if any (the walk stops there, so it is the last one). */
    public Optional<Hop> broken() {
        return hops.stream().filter(Hop::isBroken).findFirst();
    }

    /** {@code Ingress shop/web rules[0].http.paths[1] (shop.example.com/api) -> Service shop/api port "http"}. */
    public String title() {
        var b = target.route();
        if (b.route().equals(b.service())) {
            return b.route() + " " + b.field() + " (" + b.where() + "), no route names it";
        }
        return b.describe() + " -> " + b.service() + " " + b.portLabel() + (target.share() == null ? ""
                : " (" + target.share() + " of the rule's requests)");
    }
}
