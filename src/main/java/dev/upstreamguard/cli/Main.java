package dev.upstreamguard.cli;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point of the one artifact ({@code quarkus-run.jar}, the native binary, the images): {@code check ...}
 * runs the offline check and exits, {@code explain ...} walks one URL's request path and exits; anything else starts
 * the webhook.
 *
 * <p>Why a plain {@code main} that dispatches before {@link Quarkus#run}: Quarkus's own start (and so a
 * {@code QuarkusApplication} or quarkus-picocli command) binds the HTTP port, needs the TLS files in production and
 * starts every {@code @Startup} bean, the informers among them. Code before {@code Quarkus.run} runs with none of that:
 * {@code check} uses the CDI-free engine ({@link dev.upstreamguard.admission.ReviewHandler} and what it is built from)
 * directly. Quarkus makes a {@code @QuarkusMain} class with a {@code main} method the main class of both the runner jar
 * and the native image, so the same dispatch works in both; {@code check} reads JSON into fabric8 model classes
 * (registered by the kubernetes-client extension) and writes its reports as Jackson trees, so no class of ours needs
 * reflection.
 */
@QuarkusMain
public final class Main {
    Main() {
        // package-private: Quarkus registers a @QuarkusMain class as a bean and warns on a private constructor
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("check")) {
            quietLogging("check");
            System.exit(CheckCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("explain")) {
            quietLogging("explain");
            System.exit(ExplainCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        Quarkus.run(args);
    }

    /**
     * The engine logs for an operator (a denial at INFO, a failing rule with its stack trace); {@code check} and
     * {@code explain} report all of that themselves, so only a library's warnings reach standard error, one line each.
     */
    static void quietLogging(String command) {
        // as the runner jar sets it before anything logs: JBoss Logging, JUL and SLF4J then share one LogManager
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        LogManager.getLogManager().reset();
        var root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        var handler = new java.util.logging.StreamHandler(System.err, new java.util.logging.Formatter() {
            @Override
            public String format(java.util.logging.LogRecord r) {
                return "upstream-guard " + command + ": " + r.getLevel().getName().toLowerCase() + ": "
                        + String.valueOf(formatMessage(r)).lines().findFirst().orElse("") + System.lineSeparator();
            }
        }) {
            @Override
            public synchronized void publish(java.util.logging.LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.WARNING);
        root.addHandler(handler);
        Logger.getLogger("dev.upstreamguard").setLevel(Level.OFF);
    }
}
