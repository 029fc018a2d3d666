package dev.upstreamguard.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The report as JSON, schema {@code upstream-guard.dev/check/v1} (documented in docs/check.md): fields are only ever
 * added. Built as a tree, so no class of ours needs reflection in the native image.
 */
final class JsonReport {
    static final String SCHEMA = "upstream-guard.dev/check/v1";

    private JsonReport() {
    }

    static void write(CheckResult result, ObjectMapper mapper, PrintStream out) {
        var root = mapper.createObjectNode();
        root.put("apiVersion", SCHEMA);
        var o = result.options();
        root.put("order", o.order().label()).put("cluster", o.cluster()).put("mode", o.mode().name().toLowerCase(java.util.Locale.ROOT))
                .put("namespace", result.namespace()).put("exitCode", result.exitCode());
        var summary = root.putObject("summary");
        summary.put("objects", result.objects()).put("reviews", result.answers().size())
                .put("denied", result.denied().size()).put("warned", result.warned().size())
                .put("invalid", result.invalid().size()).put("broken", result.broken().size());
        var invalid = root.putArray("invalid");
        for (var i : result.invalid()) {
            at(invalid.addObject(), i.item()).put("reason", i.reason());
        }
        var reviews = root.putArray("reviews");
        for (var a : result.answers()) {
            var r = at(reviews.addObject(), a.item());
            r.put("step", a.step()).put("operation", a.operation()).put("dryRun", a.dryRun())
                    .put("allowed", !a.denied()).put("message", a.message());
            var warnings = r.putArray("warnings");
            a.warnings().forEach(warnings::add);
            var findings = r.putArray("findings");
            for (var f : SyncReplay.findings(a.response(), mapper)) {
                findings.addObject().put("rule", f.rule()).put("severity", f.severity()).put("action", f.action())
                        .put("reason", f.reason()).put("subject", f.subject()).put("message", f.message())
                        .put("fix", f.fix());
            }
        }
        var broken = root.putArray("broken");
        for (var b : result.broken()) {
            var f = b.finding();
            at(broken.addObject(), b.at()).put("rule", f.rule()).put("subject", f.subject()).put("message", f.message())
                    .put("fix", f.fix());
        }
        var notes = root.putArray("notes");
        result.notes().forEach(notes::add);
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where an object was read and which object it is. */
    private static ObjectNode at(ObjectNode node, BundleObject b) {
        node.put("file", b.file()).put("document", b.document()).put("line", b.line()).put("source", b.source());
        var ref = b.ref();
        return node.put("kind", ref.kind()).put("namespace", ref.namespace()).put("name", ref.name());
    }
}
