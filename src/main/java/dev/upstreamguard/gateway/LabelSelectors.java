package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/**
 * A {@code metav1.LabelSelector} matched against labels as the API server does it: every {@code matchLabels} pair
 * and every {@code matchExpressions} requirement must hold ({@code In}, {@code NotIn}, {@code Exists},
 * {@code DoesNotExist}); an empty selector matches everything; an unknown operator matches nothing.
 */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!labels.containsKey(e.getKey()) || !Objects.equals(e.getValue(), labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                if (r != null && !holds(r, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(LabelSelectorRequirement r, Map<String, String> labels) {
        var values = r.getValues() == null ? List.<String>of() : r.getValues();
        var op = r.getOperator() == null ? "" : r.getOperator();
        return switch (op) {
            case "In" -> labels.containsKey(r.getKey()) && values.contains(labels.get(r.getKey()));
            case "NotIn" -> !labels.containsKey(r.getKey()) || !values.contains(labels.get(r.getKey()));
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false;
        };
    }

    /** {@code env=prod, team in (a,b), !legacy} the way kubectl prints selectors; {@code everything} when empty. */
    public static String describe(LabelSelector selector) {
        var parts = new ArrayList<String>();
        if (selector.getMatchLabels() != null) {
            new TreeSet<>(selector.getMatchLabels().keySet())
                    .forEach(k -> parts.add(k + "=" + selector.getMatchLabels().get(k)));
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                if (r != null) {
                    parts.add(describe(r));
                }
            }
        }
        return parts.isEmpty() ? "everything" : String.join(", ", parts);
    }

    /** The keys a selector reads: what a message shows of a namespace's labels. */
    public static Set<String> keys(LabelSelector selector) {
        var keys = new TreeSet<String>();
        if (selector.getMatchLabels() != null) {
            keys.addAll(selector.getMatchLabels().keySet());
        }
        if (selector.getMatchExpressions() != null) {
            selector.getMatchExpressions().stream().filter(r -> r != null && r.getKey() != null)
                    .forEach(r -> keys.add(r.getKey()));
        }
        return keys;
    }

    private static String describe(LabelSelectorRequirement r) {
        var values = r.getValues() == null ? "" : String.join(",", r.getValues());
        var op = r.getOperator() == null ? "" : r.getOperator();
        return switch (op) {
            case "In" -> r.getKey() + " in (" + values + ")";
            case "NotIn" -> r.getKey() + " notin (" + values + ")";
            case "Exists" -> r.getKey();
            case "DoesNotExist" -> "!" + r.getKey();
            default -> r.getKey() + " " + op + " (" + values + ")";
        };
    }
}
