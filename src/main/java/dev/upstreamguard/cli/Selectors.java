package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;

/** Set-based label selectors ({@code matchLabels} and {@code matchExpressions}) as the API server evaluates them. */
final class Selectors {
    private Selectors() {
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                var value = labels.get(r.getKey());
                var values = r.getValues() == null ? java.util.List.<String>of() : r.getValues();
                boolean ok = switch (r.getOperator() == null ? "" : r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> labels.containsKey(r.getKey());
                    case "DoesNotExist" -> !labels.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code {app=web}}, {@code {app=web, tier in (a,b)}}. */
    static String describe(LabelSelector selector) {
        var parts = new ArrayList<String>();
        if (selector.getMatchLabels() != null) {
            new java.util.TreeMap<>(selector.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                parts.add(r.getKey() + " " + r.getOperator() + (r.getValues() == null || r.getValues().isEmpty() ? ""
                        : " (" + String.join(",", r.getValues()) + ")"));
            }
        }
        return "{" + String.join(", ", parts) + "}";
    }
}
