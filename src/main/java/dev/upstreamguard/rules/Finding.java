package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ObjectRef;

/**
 * One broken link found by a rule. Findings are data, never exceptions.
 *
 * @param ruleId          the rule's id
 * @param severity        the rule's severity
 * @param subject         the object the finding is about (the Ingress of a route, the Service of a selector)
 * @param key             identifies the finding within its subject, the same in the before and after views
 * @param summary         a short form for warnings: objects and what is wrong, no fix
 * @param message         the whole chain: object, field path, what was expected, what exists
 * @param fix             how to fix it
 * @param chain           every object the broken link involves, in route order
 * @param absentReference the link points at something that does not exist at all (no such Service, no pod source):
 *                        on a CREATE it may appear later in the same sync
 * @param port            for a finding on a Service about one of its ports: that port's name, or its number when it
 *                        has no name (routing is judged per port); null when it is about the whole Service or not
 *                        about a Service
 */
public record Finding(String ruleId, Severity severity, ObjectRef subject, String key, String summary, String message,
                      String fix, List<ObjectRef> chain, boolean absentReference, String port) {

    /** What makes two findings "the same" across the before and after views. */
    public record Identity(String ruleId, ObjectRef subject, String key) {
    }

    public Identity identity() {
        return new Identity(ruleId, subject, key);
    }

    public Finding absent() {
        return new Finding(ruleId, severity, subject, key, summary, message, fix, chain, true, port);
    }

    public Finding withSeverity(Severity s) {
        return new Finding(ruleId, s, subject, key, summary, message, fix, chain, absentReference, port);
    }

    /** The same finding, about one port of its Service. */
    public Finding onPort(String servicePort) {
        return new Finding(ruleId, severity, subject, key, summary, message, fix, chain, absentReference, servicePort);
    }

    public boolean involves(ObjectRef ref) {
        return chain.contains(ref);
    }

    /** The line a denial shows: the message and its fix. */
    public String line() {
        return message + " Fix: " + fix;
    }
}
