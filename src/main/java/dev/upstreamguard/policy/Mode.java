package dev.upstreamguard.policy;

import java.util.Locale;
import java.util.Optional;

/** What the guard does with a change that breaks a route: deny it, only warn, or look away. */
public enum Mode {
    ENFORCE, WARN, OFF;

    /** Parses {@code enforce}, {@code warn} or {@code off} (any case); anything else is empty. */
    public static Optional<Mode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "enforce" -> Optional.of(ENFORCE);
            case "warn" -> Optional.of(WARN);
            case "off" -> Optional.of(OFF);
            default -> Optional.empty();
        };
    }
}
