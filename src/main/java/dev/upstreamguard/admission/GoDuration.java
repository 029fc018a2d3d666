package dev.upstreamguard.admission;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses a Go {@code time.Duration} string, the form of the API server's {@code ?timeout=} on a webhook call:
 * {@code 10s}, {@code 2500ms}, {@code 1m30s}, {@code 1.5h}, {@code 300us}. Anything else, negative values included, is
 * empty: a timeout we cannot read is treated as none.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final int MAX_LENGTH = 64;

    private GoDuration() {
    }

    public static Optional<Duration> parse(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        var text = s.startsWith("+") ? s.substring(1) : s;
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        var m = PART.matcher(text);
        long nanos = 0;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            var value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2))));
            if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE - nanos)) > 0) {
                return Optional.empty();
            }
            nanos += value.longValue();
            at = m.end();
        }
        return at == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L; // h
        };
    }
}
