package dev.upstreamguard.explain;

/** Bad input to {@code explain}: told in one line (HTTP 400, exit 2), never a stack trace. */
public final class ExplainInputException extends RuntimeException {
    public ExplainInputException(String message) {
        super(message);
    }
}
