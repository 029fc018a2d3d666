package dev.upstreamguard.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code upstream-guard check}: arguments in, a report on standard output, an exit code back. 0: nothing would be
 * denied, refused, or broken at the end; 1: something would; 2: bad input or usage, told in one line on standard error
 * (the file and document it is about), never a stack trace.
 */
public final class CheckCommand {
    private CheckCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            var options = CheckOptions.parse(args);
            if (options.help()) {
                out.println(CheckOptions.USAGE);
                return 0;
            }
            var check = new Check();
            var result = check.run(options, in);
            switch (options.output()) {
                case "json" -> JsonReport.write(result, check.mapper(), out);
                case "sarif" -> SarifReport.write(result, check.mapper(), out);
                case "github" -> GithubReport.write(result, check.mapper(), out);
                default -> TextReport.write(result, check.mapper(), out);
            }
            out.flush();
            return result.exitCode();
        } catch (CheckInputException e) {
            err.println("upstream-guard check: " + e.getMessage());
            return 2;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            err.println("upstream-guard check: internal error (" + e.getClass().getSimpleName() + "): "
                    + firstLine(e.getMessage()));
            return 2;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "no message" : s.lines().findFirst().orElse("");
    }
}
