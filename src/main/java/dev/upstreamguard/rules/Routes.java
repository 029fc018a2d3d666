package dev.upstreamguard.rules;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.Service;

/** Phrases that name a route in messages: which Ingress leads to a Service, and what else is there. */
final class Routes {
    private Routes() {
    }

    /** {@code Ingress shop/web (shop.example.com/) -> } for a routed Service (the first route, and how many more), else "". */
    static String leadingTo(ClusterView view, Service service) {
        List<Backend> backends = view.backendsNaming(service.getMetadata().getNamespace(), service.getMetadata().getName());
        if (backends.isEmpty()) {
            return "";
        }
        var first = backends.stream().min(Comparator.comparing(Backend::ingress, Comparator.comparing(Object::toString))
                .thenComparing(Backend::field)).orElseThrow();
        var more = backends.size() > 1 ? " (+" + (backends.size() - 1) + " more routes)" : "";
        return first.ingress() + " (" + first.where() + ")" + more + " -> ";
    }

    /** Up to {@code max} names, closest to {@code wanted} first; "none" when empty. */
    static String closest(List<String> names, String wanted, int max) {
        if (names.isEmpty()) {
            return "none";
        }
        var sorted = names.stream().sorted(Comparator.comparingInt((String n) -> distance(n, wanted))
                .thenComparing(Comparator.naturalOrder())).limit(max).collect(Collectors.toList());
        var s = String.join(", ", sorted);
        return names.size() > max ? s + ", ..." : s;
    }

    /** The one name closest to {@code wanted}. */
    static String closestOne(List<String> names, String wanted) {
        return names.stream().min(Comparator.comparingInt((String n) -> distance(n, wanted))
                .thenComparing(Comparator.naturalOrder())).orElse("");
    }

    /** Levenshtein distance, for "did you mean" suggestions on the failure path only. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            var t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
