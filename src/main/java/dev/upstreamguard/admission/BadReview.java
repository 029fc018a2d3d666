package dev.upstreamguard.admission;

/**
 * A review that cannot be answered: answered 400 with this message. The message often quotes the body (a bad
 * apiVersion, Jackson's reason), so it is made one line of at most {@value #MAX_LENGTH} characters here, whatever the
 * body held.
 */
public final class BadReview extends RuntimeException {
    static final int MAX_LENGTH = 300;

    public BadReview(String message) {
        super(oneLine(message), null, false, false);
    }

    /** A value from the body, as quoted in a message: one line, at most 64 characters. */
    static String quote(String value) {
        var line = oneLine(value);
        return line.codePointCount(0, line.length()) <= 64 ? line
                : line.substring(0, line.offsetByCodePoints(0, 63)) + "…";
    }

    /** Control and line-separator characters become spaces; longer than the limit is cut, never inside a character. */
    static String oneLine(String s) {
        if (s == null || s.isBlank()) {
            return "bad AdmissionReview";
        }
        return OneLine.head(s, MAX_LENGTH, ' ') + (OneLine.longer(s, MAX_LENGTH) ? "…" : "");
    }
}
