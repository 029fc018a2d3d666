package dev.upstreamguard.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The default report: one block per finding (what it is, file, line and document, the request, then the webhook's
 * own words, indented: a denial's message, each warning in full from the audit annotation), then one summary line.
 */
final class TextReport {
    /** How the guard's own notices start (not synced, a rule that failed, a bad mode annotation): not findings. */
    private static final String NOTICE = "[upstream-guard]";

    private TextReport() {
    }

    static void write(CheckResult result, ObjectMapper mapper, PrintStream out) {
        for (var i : result.invalid()) {
            out.println("INVALID  " + i.item().where() + "  " + i.item().ref());
            out.println("  " + i.reason());
        }
        for (var a : result.answers()) {
            if (!a.denied() && a.warnings().isEmpty()) {
                continue;
            }
            out.println((a.denied() ? "DENIED   " : "WARNING  ") + a.item().where() + "  " + a.operation() + " "
                    + a.item().ref() + (a.dryRun() ? " (dry run)" : "") + " [" + a.step() + "]");
            if (a.denied()) {
                a.message().lines().forEach(l -> out.println("  " + l));
            }
            // a warning is cut to 120 characters for the API server; the audit annotation holds it whole
            for (var f : SyncReplay.findings(a.response(), mapper)) {
                if (!f.action().equals("deny")) {
                    out.println("  [" + f.rule() + "] " + (f.reason().isEmpty() ? "" : f.reason() + ": ") + f.message()
                            + " Fix: " + f.fix());
                }
            }
            a.warnings().stream().filter(w -> w.startsWith(NOTICE)).forEach(w -> out.println("  " + w));
        }
        for (var b : result.broken()) {
            out.println("BROKEN   " + b.at().where() + "  " + b.finding().subject() + " once everything is applied");
            out.println("  [" + b.finding().rule() + "] " + b.finding().message() + " Fix: " + b.finding().fix());
        }
        result.notes().forEach(n -> out.println("NOTE     " + n));
        if (result.exitCode() != 0 || !result.warned().isEmpty() || !result.notes().isEmpty()) {
            out.println();
        }
        out.println(summary(result));
    }

    /** {@code upstream-guard check: 6 objects, 6 reviews (helm order, cluster none, enforce): 1 denied, ...: FAILED}. */
    static String summary(CheckResult r) {
        var o = r.options();
        return "upstream-guard check: " + r.objects() + " objects, " + r.answers().size() + " reviews ("
                + o.order().label() + " order, cluster " + o.cluster() + ", " + o.mode().name().toLowerCase(java.util.Locale.ROOT) + "): "
                + r.denied().size() + " denied, " + r.warned().size() + " warned, " + r.invalid().size() + " invalid, "
                + r.broken().size() + " broken at the end: " + (r.exitCode() == 0 ? "ok" : "FAILED");
    }
}
