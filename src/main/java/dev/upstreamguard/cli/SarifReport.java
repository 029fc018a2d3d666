package dev.upstreamguard.cli;

import java.io.PrintStream;
import java.util.LinkedHashSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.rules.RuleCatalog;

/**
 * The report as SARIF 2.1.0 for GitHub code scanning: one result per finding (see {@link CheckResult#rows}) at the
 * file and line where its object's YAML document starts; the rules carry the catalog's title, why and fix.
 */
final class SarifReport {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifReport() {
    }

    static void write(CheckResult result, ObjectMapper mapper, PrintStream out) {
        var rows = result.rows(mapper);
        var root = mapper.createObjectNode();
        root.put("$schema", SCHEMA).put("version", "2.1.0");
        var run = root.putArray("runs").addObject();
        var driver = run.putObject("tool").putObject("driver");
        driver.put("name", "upstream-guard").put("semanticVersion", "0.1.0");
        var rules = driver.putArray("rules");
        var ids = new LinkedHashSet<String>();
        rows.forEach(r -> ids.add(r.rule()));
        for (var id : ids) {
            var rule = rules.addObject().put("id", id);
            var info = RuleCatalog.info(id);
            if (info.isPresent()) {
                rule.putObject("shortDescription").put("text", info.get().title());
                rule.putObject("fullDescription").put("text", info.get().why());
                rule.putObject("help").put("text", info.get().remediation());
                rule.putObject("defaultConfiguration").put("level", info.get().severity().label().equals("error")
                        ? "error" : "warning");
            } else {
                rule.putObject("shortDescription").put("text", "The API server refuses the object");
                rule.putObject("help").put("text", "Use a served API version and fix the fields the message names.");
                rule.putObject("defaultConfiguration").put("level", "error");
            }
        }
        var results = run.putArray("results");
        for (var r : rows) {
            var result1 = results.addObject().put("ruleId", r.rule()).put("level", r.level());
            result1.putObject("message").put("text", r.message());
            var physical = result1.putArray("locations").addObject().putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", uri(r.at()));
            physical.putObject("region").put("startLine", Math.max(1, r.at().line()));
        }
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file, relative and with forward slashes; for standard input, the Helm template it came from if named. */
    static String uri(BundleObject b) {
        if (b.file() == null || BundleReader.STDIN.equals(b.file())) {
            return b.source() != null ? b.source() : "stdin";
        }
        var path = b.file().replace('\\', '/');
        return path.startsWith("./") ? path.substring(2) : path;
    }
}
