package dev.upstreamguard.explain;

import dev.upstreamguard.rules.Finding;

/**
 * What is wrong at a hop: a rule's finding, word for word as the webhook gives it, or (where no rule judges it: pods
 * that crash, a path no rule matches) a message and fix of explain's own, without a rule id.
 *
 * @param rule     the rule id, or null when no rule judges this
 * @param severity {@code error} or {@code warning}
 * @param message  the whole chain: what was expected, what exists
 * @param fix      how to fix it
 */
public record Problem(String rule, String severity, String message, String fix) {

    public static Problem of(Finding f) {
        return new Problem(f.ruleId(), f.severity().label(), f.message(), f.fix());
    }

    /** A problem no rule judges: an error. */
    public static Problem error(String message, String fix) {
        return new Problem(null, "error", message, fix);
    }

    /** {@code [rule-id] message Fix: fix}, the way a denial reads. */
    public String line() {
        var s = rule == null ? message : "[" + rule + "] " + message;
        return fix == null || fix.isEmpty() ? s : s + " Fix: " + fix;
    }
}
