package dev.upstreamguard.cluster;

import java.util.Map;

/** Label selector matching as Services do it: equality on every pair, and an empty selector selects nothing. */
public final class Labels {
    private Labels() {
    }

    public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty() || labels == null) {
            return false;
        }
        for (var e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
