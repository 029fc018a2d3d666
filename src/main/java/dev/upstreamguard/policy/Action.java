package dev.upstreamguard.policy;

/** What becomes of one finding: it denies the request, is returned as a warning, or is waived by annotation. */
public enum Action {
    DENY, WARN, WAIVED
}
