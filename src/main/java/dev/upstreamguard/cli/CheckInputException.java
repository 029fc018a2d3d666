package dev.upstreamguard.cli;

/**
 * Bad input or usage for {@code check}: an unknown flag, a path that does not exist, a document that is not a
 * Kubernetes object, a cluster that cannot be read. Its message is one line naming the file and document; the command
 * prints it and exits 2, never with a stack trace.
 */
public final class CheckInputException extends RuntimeException {
    public CheckInputException(String message) {
        super(message, null, false, false);
    }
}
