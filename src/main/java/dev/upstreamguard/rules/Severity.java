package dev.upstreamguard.rules;

/** How bad a finding is. Only errors can deny; warnings are always reported as warnings. */
public enum Severity {
    ERROR, WARNING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
