package dev.upstreamguard.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The report as GitHub Actions workflow commands ({@code ::error file=...,line=...,title=...::message}), which annotate
 * the pull request's files; then the summary line.
 */
final class GithubReport {
    private GithubReport() {
    }

    static void write(CheckResult result, ObjectMapper mapper, PrintStream out) {
        for (var r : result.rows(mapper)) {
            var command = switch (r.level()) {
                case "error" -> "error";
                case "warning" -> "warning";
                default -> "notice";
            };
            out.println("::" + command + " file=" + property(SarifReport.uri(r.at())) + ",line="
                    + Math.max(1, r.at().line()) + ",title=" + property("upstream-guard " + r.rule()) + "::"
                    + data(r.message()));
        }
        out.println(TextReport.summary(result));
    }

    /** A message: %, CR and LF escaped, as the runner expects. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A property value: as a message, and also ':' and ','. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
