package dev.upstreamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.Rule;
import dev.upstreamguard.rules.RuleCatalog;
import dev.upstreamguard.rules.RuleInfo;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.support.LogCapture;
import io.fabric8.kubernetes.api.model.Service;

/** A rule that throws in the audit is not dropped: the report counts and lists it, and the log says so at WARN. */
class AuditRuleFailuresTest {

    /** Throws on every Service, with a message over two lines. */
    static final class ExplodingRule implements Rule<Service> {
        static final RuleInfo INFO = new RuleInfo("audit-exploding", Severity.ERROR, "t", "w", "r");

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public Class<Service> subjectType() {
            return Service.class;
        }

        @Override
        public List<Finding> check(Service subject, ClusterView view) {
            throw new IllegalStateException("boom\non two lines");
        }
    }

    static ClusterIndex services(int n) {
        var yaml = new StringBuilder("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: shop}
                spec:
                  rules:
                    - host: shop.example.com
                      http:
                        paths:
                          - {path: /, pathType: Prefix, backend: {service: {name: gone, port: {number: 80}}}}
                """);
        for (int i = 0; i < n; i++) {
            yaml.append("""
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: s%02d, namespace: shop}
                    spec: {selector: {app: s%02d}, ports: [{port: 80}]}
                    """.formatted(i, i));
        }
        var index = new ClusterIndex();
        new ManifestLoader().parse(yaml.toString(), "rule-failures").forEach(index::put);
        return index;
    }

    static AuditReport audit(ClusterIndex index) {
        var rules = new ArrayList<Rule<?>>(RuleCatalog.all());
        rules.add(new ExplodingRule());
        return new Auditor(new Evaluator(rules)).audit(index, false, s -> { });
    }

    @Test
    void countsAndListsTheRuleThatThrew_theOtherRulesStillFind() {
        var report = audit(services(2));
        assertThat(report.ruleFailures()).isEqualTo(2);
        assertThat(report.failedRules()).extracting(AuditReport.FailedRule::line).containsExactlyInAnyOrder(
                "audit-exploding on Service shop/s00: java.lang.IllegalStateException: boom on two lines",
                "audit-exploding on Service shop/s01: java.lang.IllegalStateException: boom on two lines");
        assertThat(report.findings()).extracting(AuditReport.Item::rule).contains("ingress-service-missing");
    }

    @Test
    void listsTheFirstTen_butCountsThemAll() {
        var report = audit(services(25));
        assertThat(report.ruleFailures()).isEqualTo(25);
        assertThat(report.failedRules()).hasSize(AuditReport.FAILED_RULES_LISTED);
    }

    @Test
    void aFailedRuleIsLoggedAtWarn_aCleanAuditIsNot() {
        try (var log = LogCapture.of(AuditService.class.getName(), Level.INFO)) {
            AuditService.log(audit(services(12)));
            assertThat(log.lines()).filteredOn(l -> l.level().intValue() == Level.WARNING.intValue())
                    .extracting(LogCapture.Line::message)
                    .anySatisfy(m -> assertThat(m).startsWith("Fault audit-rule-failure: 12 rule evaluations threw")
                            .contains("audit-exploding on Service shop/s00").endsWith(" and more"));
        }
        try (var log = LogCapture.of(AuditService.class.getName(), Level.INFO)) {
            AuditService.log(new Auditor(new Evaluator()).audit(services(12), false, s -> { }));
            assertThat(log.lines()).extracting(LogCapture.Line::message).isNotEmpty()
                    .noneMatch(m -> m.contains("audit-rule-failure"));
        }
    }
}
