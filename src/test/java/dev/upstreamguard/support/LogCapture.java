package dev.upstreamguard.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the log records of a logger tree (JBoss Logging ends up in java.util.logging under the JBoss log manager
 * the tests run with), formatted, with their levels. Close it to detach.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    /** One captured line. */
    public record Line(Level level, String logger, String message, Throwable thrown) {
        @Override
        public String toString() {
            return level + " " + logger + ": " + message;
        }
    }

    private final Logger logger;
    private final Level previous;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String name, Level level) {
        this.logger = Logger.getLogger(name);
        this.previous = logger.getLevel();
        setLevel(level);
        logger.setLevel(level);
        logger.addHandler(this);
    }

    /** Captures {@code name} and below from {@code level} up. */
    public static LogCapture of(String name, Level level) {
        return new LogCapture(name, level);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Lines at INFO or above. */
    public List<Line> infoAndAbove() {
        return lines.stream().filter(l -> l.level().intValue() >= Level.INFO.intValue()).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        var message = record.getMessage();
        try {
            if (record.getParameters() != null && record.getParameters().length > 0) {
                message = message.contains("{0") ? java.text.MessageFormat.format(message, record.getParameters())
                        : String.format(message, record.getParameters());
            }
        } catch (RuntimeException e) {
            // keep the raw message
        }
        // JBoss Logging formats before it hands the record over; either way the text is in message
        if (record instanceof org.jboss.logmanager.ExtLogRecord ext) {
            message = ext.getFormattedMessage();
        }
        lines.add(new Line(record.getLevel(), record.getLoggerName(), message, record.getThrown()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }
}
