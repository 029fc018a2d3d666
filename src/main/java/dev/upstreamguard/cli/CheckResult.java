package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code check} found: the objects the API server would refuse, the webhook's answer to every write of the
 * replayed sync, and what is broken on the touched routes once everything is applied.
 *
 * @param objects  objects in the bundle
 * @param notes    what the reader should know that is no finding (a kind the cluster does not serve)
 */
public record CheckResult(CheckOptions options, String namespace, int objects, List<Invalid> invalid,
                          List<SyncReplay.Answer> answers, List<EndState.Broken> broken, List<String> notes) {

    /** Rule id under which an object the API server refuses is reported (SARIF, GitHub annotations, JSON). */
    public static final String REFUSED_RULE = "api-server-refuses";

    /** An object the API server refuses before any webhook sees it. */
    public record Invalid(BundleObject item, String reason) {
    }

    /** One finding laid at a bundle object, for the formats that annotate a file and line. */
    public record Row(String level, String rule, BundleObject at, String message) {
    }

    public List<SyncReplay.Answer> denied() {
        return answers.stream().filter(SyncReplay.Answer::denied).toList();
    }

    public List<SyncReplay.Answer> warned() {
        return answers.stream().filter(a -> !a.denied() && !a.warnings().isEmpty()).toList();
    }

    /** 0 nothing denied, refused or broken at the end; 1 otherwise. */
    public int exitCode() {
        return denied().isEmpty() && invalid.isEmpty() && broken.isEmpty() ? 0 : 1;
    }

    /**
     * Every finding as an annotation: refusals, each finding of each real (not dry-run) review at its action's level
     * (deny: error, warn: warning, waived: note), and what is broken at the end.
     */
    public List<Row> rows(ObjectMapper mapper) {
        var out = new ArrayList<Row>();
        invalid.forEach(i -> out.add(new Row("error", REFUSED_RULE, i.item(), i.item().ref() + ": " + i.reason())));
        for (var a : answers) {
            if (a.dryRun()) {
                continue; // a dry run never denies; the real apply of the same object decides and is reported
            }
            for (var f : SyncReplay.findings(a.response(), mapper)) {
                var level = switch (f.action()) {
                    case "deny" -> "error";
                    case "waived" -> "note";
                    default -> "warning";
                };
                var qualifier = f.reason().isEmpty() ? "" : f.reason() + ": ";
                var verb = level.equals("error") ? "would deny " : "";
                out.add(new Row(level, f.rule(), a.item(), verb + a.operation() + " " + a.item().ref() + ": "
                        + qualifier + f.message() + " Fix: " + f.fix()));
            }
        }
        broken.forEach(b -> out.add(new Row("error", b.finding().rule(), b.at(), "broken once everything is applied: "
                + b.finding().message() + " Fix: " + b.finding().fix())));
        return out;
    }
}
