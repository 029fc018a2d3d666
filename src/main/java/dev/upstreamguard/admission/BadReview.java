package dev.upstreamguard.admission;

/** A review that cannot be answered: answered 400 with this one-line message. */
public final class BadReview extends RuntimeException {
    public BadReview(String message) {
        super(message, null, false, false);
    }
}
