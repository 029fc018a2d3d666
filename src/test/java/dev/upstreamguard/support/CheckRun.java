package dev.upstreamguard.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.upstreamguard.cli.CheckCommand;

/**
 * Runs {@code upstream-guard check} as a user does: in a child JVM on the test classpath ({@code java ... Main check
 * ARGS}, with standard input, environment, exit code, standard output and error), or in this JVM through the same
 * {@link CheckCommand} the main method calls (for large matrices, where a JVM per run would take minutes). Other
 * commands of the artifact ({@code explain}) run the same way in a child JVM.
 */
public final class CheckRun {
    /** What a run left: its exit code and what it printed. */
    public record Outcome(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CheckRun() {
    }

    /** In a child JVM: {@code java -cp <test classpath> dev.upstreamguard.cli.Main check ARGS}. */
    public static Outcome process(byte[] stdin, Map<String, String> env, String... args) {
        return main(stdin, env, "check", args);
    }

    /** Another command of the artifact in a child JVM: {@code ... Main explain ARGS}. */
    public static Outcome command(String subcommand, String... args) {
        return main(new byte[0], Map.of(), subcommand, args);
    }

    private static Outcome main(byte[] stdin, Map<String, String> env, String subcommand, String... args) {
        var command = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.upstreamguard.cli.Main", subcommand));
        command.addAll(List.of(args));
        try {
            var builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            var process = builder.start();
            var err = new ByteArrayOutputStream();
            var errPump = new Thread(() -> {
                try {
                    process.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the process is gone; what was read is kept
                }
            });
            errPump.start();
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // a check that does not read standard input may close it first
            }
            var out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(subcommand + " did not finish in 120 s: " + command);
            }
            errPump.join();
            return new Outcome(process.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Outcome process(String... args) {
        return process(new byte[0], Map.of(), args);
    }

    /** In this JVM, through {@link CheckCommand#run}. */
    public static Outcome inProcess(byte[] stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = CheckCommand.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static Outcome inProcess(String... args) {
        return inProcess(new byte[0], args);
    }
}
