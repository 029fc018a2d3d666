package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ObjectRef;

/**
 * A rule's metadata, the source of {@code docs/rules.md}.
 *
 * @param id          kebab-case, names the broken thing, never changes once released
 * @param severity    the default severity (configurable per rule)
 * @param title       one line: what is broken
 * @param why         why it matters: what nginx answers and when
 * @param remediation the fix, in general terms
 */
public record RuleInfo(String id, Severity severity, String title, String why, String remediation) {

    /** Starts a finding of this rule about {@code subject}; {@code key} identifies it within the subject across views. */
    public Finding finding(ObjectRef subject, String key, String summary, String message, String fix,
                           List<ObjectRef> chain) {
        return new Finding(id, severity, subject, key, summary, message, fix, chain, false, null);
    }
}
