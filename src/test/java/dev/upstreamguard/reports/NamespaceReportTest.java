package dev.upstreamguard.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.audit.Auditor;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.rules.Evaluator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** What one namespace's report says, from the audit of a fixture cluster and from hand-made audits. */
class NamespaceReportTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The audit of the report fixture (in namespace shop, uids given) beside a namespace with nothing broken. */
    static AuditReport auditOfTheShop() {
        var index = new ClusterIndex();
        for (var o : new ManifestLoader().read(Path.of("src/test/resources/reports/shop.yaml"))) {
            o.getMetadata().setUid("uid-" + o.getKind() + "-" + o.getMetadata().getName());
            index.put(o);
        }
        for (var o : new ManifestLoader().read(Path.of("src/test/resources/reports/shop.yaml"))) {
            if (o.getMetadata().getNamespace() != null && !o.getKind().equals("Ingress")) {
                o.getMetadata().setNamespace("quiet"); // workloads and Services, no route: nothing to say
                index.put(o);
            }
        }
        return new Auditor(new Evaluator()).audit(index, false, s -> { });
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> results(GenericKubernetesResource report) {
        return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    static Map<?, ?> summary(GenericKubernetesResource report) {
        return (Map<?, ?>) report.getAdditionalProperties().get("summary");
    }

    static AuditReport.Item item(String ns, String rule, String severity, String name, String message) {
        return new AuditReport.Item(rule, severity, "Service " + ns + "/" + name, ns, message, "fix " + name,
                "Service", name, "v1", "uid-" + name);
    }

    static AuditReport audit(String at, List<AuditReport.Item> items) {
        return new AuditReport(at, 1, items.size(), true, items, List.of(), 0, List.of());
    }

    @Test
    void oneReportPerNamespaceWithFindings_errorsFailHigh_warningsWarnMedium() {
        var reports = NamespaceReport.of(auditOfTheShop(), ReportApi.POLICY_REPORT, 1000, Map.of());

        assertThat(reports).containsOnlyKeys("shop");
        var report = reports.get("shop");
        assertThat(report.getApiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
        assertThat(report.getKind()).isEqualTo("PolicyReport");
        assertThat(report.getMetadata().getName()).isEqualTo("upstream-guard");
        assertThat(report.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(report.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "upstream-guard");
        assertThat(report.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(report.getAdditionalProperties()).doesNotContainKeys("source", "configuration");

        var results = results(report);
        assertThat(results).extracting(r -> r.get("rule"))
                .containsExactly("ingress-service-missing", "readiness-probe-missing");
        var error = results.get(0);
        assertThat(error).containsEntry("source", "upstream-guard").containsEntry("policy", "upstream-guard")
                .containsEntry("result", "fail").containsEntry("severity", "high").containsEntry("scored", true)
                .containsEntry("category", "routing");
        assertThat((String) error.get("message")).contains("Service shop/checkout");
        assertThat(map(error.get("properties"))).containsKey("fix");
        assertThat(list(error.get("resources"))).containsExactly((Object) Map.of("apiVersion", "networking.k8s.io/v1",
                "kind", "Ingress", "namespace", "shop", "name", "web", "uid", "uid-Ingress-web"));
        var warning = results.get(1);
        assertThat(warning).containsEntry("result", "warn").containsEntry("severity", "medium")
                .containsEntry("scored", false).containsEntry("category", "probes");
        assertThat(list(warning.get("resources"))).containsExactly((Object) Map.of("apiVersion", "apps/v1",
                "kind", "Deployment", "namespace", "shop", "name", "api", "uid", "uid-Deployment-api"));
        assertThat(summary(report)).isEqualTo(Map.of("pass", 0, "fail", 1, "warn", 1, "error", 0, "skip", 0));
    }

    @Test
    void anOpenReportsReportNamesItsSourceAndItsLimit() {
        var report = NamespaceReport.of(auditOfTheShop(), ReportApi.OPEN_REPORT, 250, Map.of()).get("shop");
        assertThat(report.getApiVersion()).isEqualTo("openreports.io/v1alpha1");
        assertThat(report.getKind()).isEqualTo("Report");
        assertThat(report.getAdditionalProperties()).containsEntry("source", "upstream-guard")
                .containsEntry("configuration", Map.of("limits", Map.of("maxResults", 250)));
        assertThat(results(report)).hasSize(2);
    }

    @Test
    void theCapKeepsErrorsFirstAndTheSummaryCountsEveryFinding() {
        var items = List.of(item("shop", "service-selects-nothing", "error", "a", "a selects nothing"),
                item("shop", "service-selects-nothing", "error", "b", "b selects nothing"),
                item("shop", "service-target-port-missing", "error", "c", "c has no port"),
                item("shop", "service-target-port-missing", "warning", "d", "d numeric"),
                item("shop", "service-target-port-missing", "warning", "e", "e numeric"),
                item("cart", "service-selects-nothing", "warning", "f", "f selects nothing"));
        var reports = NamespaceReport.of(audit("2026-01-01T00:00:00Z", items), ReportApi.POLICY_REPORT, 2, Map.of());

        var shop = reports.get("shop");
        assertThat(results(shop)).extracting(r -> String.valueOf(map(list(r.get("resources")).get(0)).get("name")))
                .containsExactly("a", "b");
        assertThat(summary(shop)).isEqualTo(Map.of("pass", 0, "fail", 3, "warn", 2, "error", 0, "skip", 0));
        assertThat(shop.getMetadata().getAnnotations()).containsEntry("upstream-guard.dev/results-omitted", "3");
        var cart = reports.get("cart");
        assertThat(results(cart)).hasSize(1);
        assertThat(cart.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void aReportStaysWellUnderTheObjectSizeLimitWhateverTheCap() {
        var items = new ArrayList<AuditReport.Item>();
        for (int i = 0; i < 3000; i++) {
            items.add(item("big", "service-selects-nothing", "error", "svc-" + i, "x".repeat(5000)));
        }
        var report = NamespaceReport.of(audit("2026-01-01T00:00:00Z", items), ReportApi.POLICY_REPORT, 3000,
                Map.of()).get("big");

        int listed = results(report).size();
        assertThat(listed).isLessThan(3000).isGreaterThan(100);
        assertThat(SERIALIZATION.asJson(report).length()).isLessThan(1_400_000);
        assertThat(report.getMetadata().getAnnotations())
                .containsEntry("upstream-guard.dev/results-omitted", String.valueOf(3000 - listed));
        assertThat(summary(report).get("fail")).isEqualTo(3000);
        assertThat((String) results(report).get(0).get("message")).hasSize(ReportResult.MESSAGE_LIMIT).endsWith("…");
    }

    @Test
    void aResultKeepsTheTimeItWasFirstReported_soAnUnchangedAuditAsksForTheSameReport() {
        var first = List.of(item("shop", "service-selects-nothing", "error", "a", "a selects nothing"));
        var t1 = "2026-01-01T00:00:00Z";
        var before = NamespaceReport.of(audit(t1, first), ReportApi.POLICY_REPORT, 1000, Map.of()).get("shop");
        var stored = roundTrip(before);
        var seen = ReportResult.firstSeen(List.of(stored));

        var again = NamespaceReport.of(audit("2026-01-01T00:05:00Z", first), ReportApi.POLICY_REPORT, 1000, seen);
        assertThat(NamespaceReport.sameContent(stored, again.get("shop"))).isTrue();

        var more = new ArrayList<>(first);
        more.add(item("shop", "service-selects-nothing", "error", "b", "b selects nothing"));
        var changed = NamespaceReport.of(audit("2026-01-01T00:10:00Z", more), ReportApi.POLICY_REPORT, 1000, seen)
                .get("shop");
        assertThat(NamespaceReport.sameContent(stored, changed)).isFalse();
        assertThat(results(changed)).extracting(r -> map(r.get("timestamp")).get("seconds").toString())
                .containsExactly(String.valueOf(Instant.parse(t1).getEpochSecond()),
                        String.valueOf(Instant.parse("2026-01-01T00:10:00Z").getEpochSecond()));
    }

    @Test
    void sameContentReadsTheStoredReportWhateverItsKeyOrderAndNumberWidths() {
        var wanted = NamespaceReport.of(auditOfTheShop(), ReportApi.OPEN_REPORT, 1000, Map.of()).get("shop");
        var stored = roundTrip(wanted);
        assertThat(NamespaceReport.sameContent(stored, wanted)).isTrue();

        var otherMessage = roundTrip(wanted);
        results(otherMessage).get(0).put("message", "something else");
        assertThat(NamespaceReport.sameContent(otherMessage, wanted)).isFalse();

        var annotated = roundTrip(wanted);
        annotated.getMetadata().setAnnotations(Map.of("upstream-guard.dev/results-omitted", "4"));
        assertThat(NamespaceReport.sameContent(annotated, wanted)).isFalse();
    }

    @Test
    void theSameFindingsInAnotherOrderMakeTheSameReport() {
        var items = new ArrayList<>(List.of(item("shop", "service-selects-nothing", "warning", "b", "b"),
                item("shop", "service-target-port-missing", "error", "c", "c"),
                item("shop", "service-selects-nothing", "error", "a", "a2"),
                item("shop", "service-selects-nothing", "error", "a", "a1")));
        var one = NamespaceReport.of(audit("2026-01-01T00:00:00Z", items), ReportApi.POLICY_REPORT, 1000, Map.of());
        java.util.Collections.reverse(items);
        var other = NamespaceReport.of(audit("2026-01-01T00:00:00Z", items), ReportApi.POLICY_REPORT, 1000, Map.of());

        assertThat(NamespaceReport.sameContent(one.get("shop"), other.get("shop"))).isTrue();
        assertThat(results(one.get("shop"))).extracting(r -> r.get("message")).containsExactly("a1", "a2", "c", "b");
    }

    @Test
    void findingsOnObjectsWithoutANamespaceGetNoReport() {
        var clusterScoped = new AuditReport.Item("ingress-class-missing", "warning", "IngressClass /x", null, "m",
                "f", "IngressClass", "x", null, null);
        assertThat(NamespaceReport.of(audit("2026-01-01T00:00:00Z", List.of(clusterScoped)),
                ReportApi.POLICY_REPORT, 1000, Map.of())).isEmpty();
    }

    /** As the API server hands it back: through JSON, keys sorted, small numbers as ints. */
    static GenericKubernetesResource roundTrip(GenericKubernetesResource report) {
        var json = SERIALIZATION.asJson(report);
        var tree = SERIALIZATION.unmarshal(json, java.util.TreeMap.class);
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(tree), GenericKubernetesResource.class);
    }
}
