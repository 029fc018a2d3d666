package dev.upstreamguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.support.Fixture;

/**
 * The catalog's meta-test: every rule has its metadata, a breaking and a fine fixture, and {@code docs/rules.md} is
 * what its metadata and fixtures generate. Regenerate with {@code mvn test -Dtest=RuleCatalogDocsTest -Ddocs.write=true}.
 */
class RuleCatalogDocsTest {
    static final Path DOCS = Path.of("docs/rules.md");

    @Test
    void everyRuleHasMetadataAndFixtures() throws IOException {
        var ids = new HashSet<String>();
        for (var rule : RuleCatalog.all()) {
            var info = rule.info();
            assertThat(ids.add(info.id())).as("unique id " + info.id()).isTrue();
            assertThat(info.id()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(info.title()).isNotBlank();
            assertThat(info.why()).as(info.id() + " why").hasSizeGreaterThan(40);
            assertThat(info.remediation()).as(info.id() + " remediation").hasSizeGreaterThan(20);
            var dir = RuleFixturesTest.ROOT.resolve(info.id());
            assertThat(dir.resolve("cluster.yaml")).as(info.id() + " cluster.yaml").exists();
            assertThat(Fixture.cases(dir, "breaks-")).as(info.id() + " breaks-* fixtures").isNotEmpty();
            assertThat(Fixture.cases(dir, "fine-")).as(info.id() + " fine-* fixtures").isNotEmpty();
        }
        try (var dirs = Files.list(RuleFixturesTest.ROOT)) {
            var orphans = dirs.map(d -> d.getFileName().toString()).filter(d -> !ids.contains(d)).toList();
            assertThat(orphans).as("fixture folders without a rule").isEmpty();
        }
    }

    @Test
    void docsRulesMdIsCurrent() throws IOException {
        var generated = generate();
        if (Boolean.getBoolean("docs.write")) {
            Files.createDirectories(DOCS.getParent());
            Files.writeString(DOCS, generated);
        }
        assertThat(DOCS).as("docs/rules.md exists").exists();
        assertThat(Files.readString(DOCS)).as("docs/rules.md is stale: run mvn test -Dtest=RuleCatalogDocsTest "
                + "-Ddocs.write=true").isEqualTo(generated);
    }

    static String generate() throws IOException {
        var sb = new StringBuilder();
        sb.append("# Rule catalog\n\n");
        sb.append("Generated from the rules' metadata and their fixtures by `RuleCatalogDocsTest`; do not edit by hand.\n");
        sb.append("Rule ids never change once released. Whether a finding denies or warns is decided by the change\n");
        sb.append("(see the decision table in the README), never by the rule; severities are configurable with\n");
        sb.append("`upstream-guard.severity.\"<rule-id>\"=error|warning|off` (an override moves only the findings a rule gives at\n");
        sb.append("its default severity: a rule's own milder findings, such as an undeclared numeric port, stay warnings, and\n");
        sb.append("setting a rule to its own default changes nothing), and one object can waive rules with the\n");
        sb.append("annotation `upstream-guard.dev/skip: <rule-id>,...` (reported, never silent).\n\n");
        sb.append("| rule | default severity | what is broken |\n|---|---|---|\n");
        for (var rule : RuleCatalog.all()) {
            var i = rule.info();
            sb.append("| [`").append(i.id()).append("`](#").append(i.id()).append(") | ").append(i.severity().label())
                    .append(" | ").append(i.title()).append(" |\n");
        }
        for (var rule : RuleCatalog.all()) {
            var i = rule.info();
            var dir = RuleFixturesTest.ROOT.resolve(i.id());
            sb.append("\n## ").append(i.id()).append("\n\n");
            sb.append("**").append(i.title()).append("** (default: ").append(i.severity().label()).append(", checks ")
                    .append(subjects(rule)).append(")\n\n");
            sb.append("Why it matters: ").append(i.why()).append("\n\n");
            sb.append("Fix: ").append(i.remediation()).append("\n\n");
            sb.append("Live state in the examples (`").append(RuleFixturesTest.ROOT.relativize(dir.resolve("cluster.yaml")))
                    .append("`): ").append(comment(dir.resolve("cluster.yaml"))).append("\n\n");
            example(sb, "Breaks", Fixture.cases(dir, "breaks-").get(0));
            example(sb, "Fine", Fixture.cases(dir, "fine-").get(0));
            sb.append("All cases: ").append(Fixture.cases(dir, "").stream()
                    .filter(p -> !p.getFileName().toString().equals("cluster.yaml"))
                    .map(p -> "`" + p.getFileName() + "`").collect(Collectors.joining(", "))).append(".\n");
        }
        return sb.toString();
    }

    private static String subjects(Rule<?> rule) {
        if (rule instanceof RouteNotAttached) {
            return "HTTPRoutes and GRPCRoutes (their parentRefs), and the routes a changed Gateway names";
        }
        if (rule.link() != null && !rule.judgesRoutesOf("Ingress")) {
            return "HTTPRoute and GRPCRoute backendRefs" + (rule.link() == RouteWalk.Link.PERMITTED
                    ? ", and the routes a changed ReferenceGrant governs" : "");
        }
        if (rule.link() != null && rule.subjectType() == io.fabric8.kubernetes.api.model.networking.v1.Ingress.class) {
            return "Ingress backends";
        }
        var objects = rule.subjectType() == io.fabric8.kubernetes.api.model.HasMetadata.class
                ? "Deployments, StatefulSets, DaemonSets" : plural(rule.subjectType().getSimpleName());
        if (rule.link() == null || rule.subjectType() != io.fabric8.kubernetes.api.model.Service.class) {
            return objects;
        }
        return objects + ", and every route (Ingress backend, HTTPRoute or GRPCRoute backendRef) a changed route object "
                + "points at one";
    }

    private static String plural(String kind) {
        return kind.endsWith("s") ? kind + "es" : kind + "s";
    }

    private static void example(StringBuilder sb, String label, Path file) throws IOException {
        var text = Files.readString(file);
        sb.append(label).append(" — ").append(comment(file)).append("\n\n```yaml\n");
        text.lines().skip(1).filter(l -> !l.trim().equals("---") && !l.startsWith("# expect: ")).forEach(l -> sb.append(l).append('\n'));
        sb.append("```\n\n");
    }

    private static String comment(Path file) throws IOException {
        return Files.readString(file).lines().findFirst().orElse("").replaceFirst("^# ", "");
    }
}
