package dev.upstreamguard.explain;

import java.util.List;

/**
 * Which rule of a data plane serves the request: the winner, and the others that matched too.
 *
 * @param server  what the data plane picked before the rules: an ingress-nginx server ({@code shop.example.com},
 *                {@code *.example.com}, {@code _} for the catch-all) or a Gateway listener
 * @param winner  the rule that serves the request, or null when none does
 * @param others  the other rules that match the request, each with why it loses
 */
public record Resolution(String server, Contender winner, List<Contender> others) {

    public Resolution {
        others = List.copyOf(others);
    }
}
