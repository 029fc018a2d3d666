package dev.upstreamguard.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.audit.AuditService;
import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.metrics.MicrometerGuardMetrics;
import dev.upstreamguard.policy.GuardConfig;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.LogCapture;
import dev.upstreamguard.support.Management;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * Policy reports end to end, against the fabric8 CRUD mock API server: its CustomResourceDefinition processor serves
 * discovery ({@code GET /apis/<group>/<version>}) for the CRDs created in it, so the guard finds the report APIs as it
 * would on a cluster, and loses them when they are deleted. Each audit is run through {@code GET /audit} on the
 * management interface (the periodic audit is off here, so nothing races the steps); reports are read back from the
 * mock. The methods run in order: the APIs are absent first, then installed.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(PolicyReportsTest.SmallReports.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyReportsTest {
    static final int MAX_RESULTS = 2;
    static final String SHOP = "reports-shop";
    static final String BIG = "reports-big";
    static final String REFUSED = "reports-refused";
    static final String QUIET = "reports-quiet";

    /** No periodic audit (each step runs one), and a cap small enough to reach with a few findings. */
    public static class SmallReports implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upstream-guard.audit.enabled", "false",
                    "upstream-guard.reports.max-results", String.valueOf(MAX_RESULTS));
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    @Inject
    GuardConfig config;

    @Inject
    MicrometerGuardMetrics metrics;

    @Inject
    AuditService audits;

    KubernetesClient client() {
        return server.getClient();
    }

    // --- the APIs come and go ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void withoutTheCrdsNothingIsWritten_theAuditIsFine_andItIsSaidOnceAtInfo() {
        ReportApi.ALL.forEach(this::uninstall);
        shop(SHOP);
        try (var log = LogCapture.of("dev.upstreamguard.reports", Level.INFO)) {
            auditFinds(SHOP, "ingress-service-missing");
            auditFinds(SHOP, "ingress-service-missing");

            for (var api : ReportApi.ALL) {
                assertThat(log.lines()).filteredOn(l -> l.message().contains(api.apiVersion()))
                        .as("one line for " + api.apiVersion() + " over two audits").singleElement()
                        .satisfies(l -> {
                            assertThat(l.level()).isEqualTo(Level.INFO);
                            assertThat(l.message()).contains("is not served by this cluster");
                        });
                assertThat(written(api, "failed")).isZero();
                assertThat(written(api, "created")).isZero();
            }
            assertThat(log.lines()).noneMatch(l -> l.level().intValue() > Level.INFO.intValue());
        }
        for (var api : ReportApi.ALL) {
            install(api); // only now can the mock list them: it needs the CRD to know the resource
            assertThat(reports(api)).isEmpty();
        }
    }

    @Test
    @Order(2)
    void crdsInstalledLaterArePickedUpAtTheNextAudit() {
        ReportApi.ALL.forEach(this::install);
        try (var log = LogCapture.of("dev.upstreamguard.reports", Level.INFO)) {
            auditFinds(SHOP, "ingress-service-missing");
            for (var api : ReportApi.ALL) {
                assertThat(report(api, SHOP)).as(api.kind() + " in " + SHOP).isNotNull();
                assertThat(log.lines()).anyMatch(l -> l.message().contains(api.crdName() + " (" + api.apiVersion()
                        + ") is served now"));
                assertThat(written(api, "created")).isGreaterThanOrEqualTo(1);
            }
        }
    }

    // --- what a report says ---------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void aNamespaceWithFindingsGetsOneReportPerApi_namespacesWithoutNone() {
        ReportApi.ALL.forEach(this::install);
        quietShop(QUIET);
        auditFinds(SHOP, "ingress-service-missing");

        var ingressUid = client().network().v1().ingresses().inNamespace(SHOP).withName("web").get().getMetadata()
                .getUid();
        for (var api : ReportApi.ALL) {
            var report = report(api, SHOP);
            assertThat(report.getMetadata().getLabels()).containsEntry(NamespaceReport.MANAGED_BY, "upstream-guard");
            var results = results(report);
            assertThat(results).extracting(r -> r.get("rule"))
                    .containsExactly("ingress-service-missing", "readiness-probe-missing");
            assertThat(results.get(0)).containsEntry("result", "fail").containsEntry("severity", "high")
                    .containsEntry("category", "routing").containsEntry("policy", "upstream-guard")
                    .containsEntry("source", "upstream-guard");
            assertThat(map(list(results.get(0).get("resources")).get(0))).containsEntry("kind", "Ingress")
                    .containsEntry("apiVersion", "networking.k8s.io/v1").containsEntry("name", "web")
                    .containsEntry("namespace", SHOP).containsEntry("uid", ingressUid);
            assertThat(results.get(1)).containsEntry("result", "warn").containsEntry("severity", "medium")
                    .containsEntry("category", "probes");
            assertThat(map(report.getAdditionalProperties().get("summary"))).containsEntry("fail", 1)
                    .containsEntry("warn", 1).containsEntry("pass", 0).containsEntry("error", 0)
                    .containsEntry("skip", 0);
            assertThat(report(api, QUIET)).as("nothing to report in " + QUIET).isNull();
        }
        assertThat(report(ReportApi.OPEN_REPORT, SHOP).getAdditionalProperties()).containsEntry("source",
                "upstream-guard");
    }

    @Test
    @Order(4)
    void anUnchangedAuditRewritesNothing() {
        ReportApi.ALL.forEach(this::install);
        auditFinds(SHOP, "ingress-service-missing");
        var before = ReportApi.ALL.stream().map(api -> report(api, SHOP).getMetadata().getResourceVersion()).toList();
        var updated = ReportApi.ALL.stream().map(api -> written(api, "updated")).toList();

        auditFinds(SHOP, "ingress-service-missing");
        auditFinds(SHOP, "ingress-service-missing");

        assertThat(ReportApi.ALL.stream().map(api -> report(api, SHOP).getMetadata().getResourceVersion()).toList())
                .isEqualTo(before);
        assertThat(ReportApi.ALL.stream().map(api -> written(api, "updated")).toList()).isEqualTo(updated);
    }

    @Test
    @Order(5)
    void changedFindingsUpdateTheReportInPlace_aResolvedResultIsRemoved_theOthersKeepTheirTime() {
        ReportApi.ALL.forEach(this::install);
        auditFinds(SHOP, "ingress-service-missing");
        var before = report(ReportApi.POLICY_REPORT, SHOP);
        var warningTime = results(before).get(1).get("timestamp");

        // the Service /checkout routes to appears, with pods that are checked for readiness
        for (var o : load(SHOP)) {
            if (o.getMetadata().getName().equals("web") && !(o instanceof Ingress)) {
                o.getMetadata().setName("checkout");
                if (o instanceof Deployment d) {
                    d.getSpec().getSelector().setMatchLabels(Map.of("app", "checkout"));
                    d.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "checkout"));
                } else {
                    ((io.fabric8.kubernetes.api.model.Service) o).getSpec().setSelector(Map.of("app", "checkout"));
                }
                client().resource(o).create();
            }
        }
        Await.until("the view has Service checkout", Duration.ofSeconds(20),
                () -> views.view().service(SHOP, "checkout").isPresent()
                        && !views.view().podSourcesSelectedBy(SHOP, Map.of("app", "checkout")).isEmpty());
        auditFinds(SHOP, "readiness-probe-missing");

        for (var api : ReportApi.ALL) {
            var after = report(api, SHOP);
            var results = results(after);
            assertThat(results).extracting(r -> r.get("rule")).containsExactly("readiness-probe-missing");
            assertThat(map(after.getAdditionalProperties().get("summary"))).containsEntry("fail", 0)
                    .containsEntry("warn", 1);
            if (api == ReportApi.POLICY_REPORT) {
                assertThat(after.getMetadata().getUid()).as("the same object, updated").isEqualTo(
                        before.getMetadata().getUid());
                assertThat(after.getMetadata().getResourceVersion()).isNotEqualTo(
                        before.getMetadata().getResourceVersion());
                assertThat(results.get(0).get("timestamp")).as("first reported before the update")
                        .isEqualTo(warningTime);
            }
            assertThat(written(api, "updated")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    @Order(6)
    void theCapListsErrorsFirstAndTheSummaryCountsTheRest() {
        ReportApi.ALL.forEach(this::install);
        shop(BIG, "/cart", "/search");
        auditFinds(BIG, "ingress-service-missing");

        for (var api : ReportApi.ALL) {
            var report = report(api, BIG);
            assertThat(results(report)).hasSize(MAX_RESULTS).allSatisfy(r -> assertThat(r)
                    .containsEntry("rule", "ingress-service-missing").containsEntry("result", "fail"));
            assertThat(map(report.getAdditionalProperties().get("summary"))).containsEntry("fail", 3)
                    .containsEntry("warn", 1);
            assertThat(report.getMetadata().getAnnotations()).containsEntry(NamespaceReport.OMITTED, "2");
        }
        assertThat(report(ReportApi.OPEN_REPORT, BIG).getAdditionalProperties()).containsEntry("configuration",
                Map.of("limits", Map.of("maxResults", MAX_RESULTS)));
    }

    @Test
    @Order(7)
    void aNamespaceWithNothingLeftToReportLosesItsReport() {
        ReportApi.ALL.forEach(this::install);
        assertThat(report(ReportApi.POLICY_REPORT, SHOP)).as("from the steps before").isNotNull();
        var deleted = ReportApi.ALL.stream().map(api -> written(api, "deleted")).toList();

        var api = client().apps().deployments().inNamespace(SHOP).withName("api").get();
        api.getSpec().getTemplate().getSpec().getContainers().get(0).setReadinessProbe(
                new io.fabric8.kubernetes.api.model.ProbeBuilder().withNewHttpGet().withPath("/ready")
                        .withPort(new io.fabric8.kubernetes.api.model.IntOrString("http")).endHttpGet().build());
        client().resource(api).update();
        Await.until("the view has the readiness probe", Duration.ofSeconds(20), () -> views.view()
                .workload("Deployment", SHOP, "api").map(w -> ((Deployment) w).getSpec().getTemplate().getSpec()
                        .getContainers().get(0).getReadinessProbe() != null).orElse(false));
        var audit = Management.given().get("/audit").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("findings.namespace", String.class)).doesNotContain(SHOP);

        for (var a : ReportApi.ALL) {
            assertThat(report(a, SHOP)).as(a.kind() + " in " + SHOP).isNull();
            assertThat(written(a, "deleted")).isEqualTo(deleted.get(ReportApi.ALL.indexOf(a)) + 1);
            assertThat(report(a, BIG)).as("other namespaces keep theirs").isNotNull();
        }
    }

    // --- failures ---------------------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void aRefusedWriteIsCountedAndLogged_theAuditGoesOn_theNextAuditWritesIt() {
        ReportApi.ALL.forEach(this::install);
        shop(REFUSED);
        var api = ReportApi.POLICY_REPORT;
        double failedBefore = written(api, "failed");
        server.expect().post().withPath("/apis/" + api.apiVersion() + "/namespaces/" + REFUSED + "/" + api.plural())
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage("policyreports.wgpolicyk8s.io is forbidden: namespace " + REFUSED
                                + " is being terminated").build())
                .once();

        try (var log = LogCapture.of("dev.upstreamguard.reports", Level.INFO)) {
            auditFinds(REFUSED, "ingress-service-missing");
            assertThat(report(api, REFUSED)).isNull();
            assertThat(written(api, "failed")).isEqualTo(failedBefore + 1);
            assertThat(log.lines()).anyMatch(l -> l.level().intValue() == Level.WARNING.intValue()
                    && l.message().equals("Fault report-write-failed: PolicyReport " + REFUSED + "/upstream-guard not "
                            + "created: 403 Forbidden: policyreports.wgpolicyk8s.io is forbidden: namespace " + REFUSED
                            + " is being terminated (tried again at the next audit)"));
            assertThat(report(ReportApi.OPEN_REPORT, REFUSED)).as("the other API is written all the same")
                    .isNotNull();
        }

        auditFinds(REFUSED, "ingress-service-missing");
        assertThat(report(api, REFUSED)).as("written at the next audit").isNotNull();
        assertThat(written(api, "failed")).isEqualTo(failedBefore + 1);
    }

    @Test
    @Order(9)
    void nothingIsWrittenBeforeTheCachesHaveSynced() {
        ReportApi.ALL.forEach(this::install);
        var ns = "reports-unsynced";
        var item = new AuditReport.Item("service-selects-nothing", "error", "Service " + ns + "/a", ns, "a selects "
                + "nothing", "fix it", "Service", "a", "v1", null);
        var last = audits.run(); // the other namespaces' findings too, so their reports stay as they are
        var findings = new java.util.ArrayList<>(last.findings());
        findings.add(item);
        var audit = new AuditReport(last.at(), 1, 1, true, findings, List.of(), 0, List.of());

        new PolicyReports(config.reports(), true, () -> false, this::client, metrics).publish(audit);
        assertThat(report(ReportApi.POLICY_REPORT, ns)).isNull();

        new PolicyReports(config.reports(), true, () -> true, this::client, metrics).publish(audit);
        assertThat(report(ReportApi.POLICY_REPORT, ns)).as("the same, synced").isNotNull();
        assertThat(report(ReportApi.POLICY_REPORT, BIG)).as("left as it was").isNotNull();
    }

    @Test
    @Order(10)
    void turnedOffItWritesNothing() {
        ReportApi.ALL.forEach(this::install);
        var ns = "reports-off";
        var item = new AuditReport.Item("service-selects-nothing", "error", "Service " + ns + "/a", ns, "a selects "
                + "nothing", "fix it", "Service", "a", "v1", null);
        var audit = new AuditReport("2026-01-01T00:00:00Z", 1, 1, true, List.of(item), List.of(), 0, List.of());
        var off = new GuardConfig.ReportsConfig() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public int maxResults() {
                return 1000;
            }
        };
        var reports = new PolicyReports(off, true, () -> true, this::client, metrics);
        reports.publish(audit);
        assertThat(reports.active()).isFalse();
        assertThat(report(ReportApi.POLICY_REPORT, ns)).isNull();
        assertThat(report(ReportApi.POLICY_REPORT, BIG)).as("nor deleted anything").isNotNull();
    }

    @Test
    @Order(11)
    void crdsRemovedLaterAreDropped_sayingSoOnce_withoutFailures() {
        ReportApi.ALL.forEach(this::install);
        auditFinds(BIG, "ingress-service-missing");
        var failed = ReportApi.ALL.stream().map(api -> written(api, "failed")).toList();
        ReportApi.ALL.forEach(this::uninstall);
        try (var log = LogCapture.of("dev.upstreamguard.reports", Level.INFO)) {
            auditFinds(BIG, "ingress-service-missing");
            auditFinds(BIG, "ingress-service-missing");
            for (var api : ReportApi.ALL) {
                assertThat(log.lines()).filteredOn(l -> l.message().contains(api.apiVersion())).singleElement()
                        .satisfies(l -> assertThat(l.message()).contains("is no longer served by this cluster"));
            }
        }
        assertThat(ReportApi.ALL.stream().map(api -> written(api, "failed")).toList()).isEqualTo(failed);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** Runs an audit through GET /audit and checks it found {@code rule} in {@code namespace}. */
    static void auditFinds(String namespace, String rule) {
        Management.given().get("/audit").then().statusCode(200)
                .body("findings.findAll { it.namespace == '" + namespace + "' }.rule", hasItem(rule));
    }

    /** The report fixture in {@code namespace}, on a host of its own, with paths to Services that do not exist. */
    List<HasMetadata> load(String namespace, String... missingPaths) {
        var out = new java.util.ArrayList<HasMetadata>();
        for (var o : new ManifestLoader().read(Path.of("src/test/resources/reports/shop.yaml"))) {
            o.getMetadata().setUid(null);
            if (o.getMetadata().getNamespace() != null) {
                o.getMetadata().setNamespace(namespace);
            }
            if (o instanceof Ingress ingress) {
                // a host of its own: the same host and path in two namespaces is a finding (ingress-host-path-conflict)
                ingress.getSpec().getRules().get(0).setHost(namespace + ".example.com");
                var paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
                for (var path : missingPaths) {
                    var copy = new io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder(paths.get(2))
                            .withPath(path).editBackend().editService().withName(path.substring(1)).endService()
                            .endBackend().build();
                    paths.add(copy);
                }
            }
            out.add(o);
        }
        return out;
    }

    /** Creates the shop in its own namespace and waits until the view holds it. */
    void shop(String namespace, String... missingPaths) {
        if (client().namespaces().withName(namespace).get() == null) {
            client().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
            for (var o : load(namespace, missingPaths)) {
                if (o instanceof IngressClass && client().resource(o).get() != null) {
                    continue;
                }
                client().resource(o).create();
            }
        }
        Await.until("the view holds the shop in " + namespace, Duration.ofSeconds(20),
                () -> views.view().synced() && views.view().ingress(namespace, "web").isPresent()
                        && views.view().workload("Deployment", namespace, "api").isPresent()
                        && views.view().service(namespace, "api").isPresent()
                        && views.view().namespace(namespace).isPresent());
    }

    /** The shop's Deployments and Services alone: no route, nothing to report. */
    void quietShop(String namespace) {
        if (client().namespaces().withName(namespace).get() == null) {
            client().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
            load(namespace).stream().filter(o -> o.getMetadata().getNamespace() != null && !(o instanceof Ingress))
                    .forEach(o -> client().resource(o).create());
        }
        Await.until("the view holds " + namespace, Duration.ofSeconds(20),
                () -> views.view().service(namespace, "api").isPresent());
    }

    void install(ReportApi api) {
        var crds = client().apiextensions().v1().customResourceDefinitions();
        if (crds.withName(api.crdName()).get() == null) {
            crds.resource(crd(api)).create();
        }
    }

    void uninstall(ReportApi api) {
        client().apiextensions().v1().customResourceDefinitions().withName(api.crdName()).delete();
    }

    /** The CRD as its project ships it, reduced to what the API server needs to serve it. */
    static CustomResourceDefinition crd(ReportApi api) {
        var singular = api.kind().toLowerCase(java.util.Locale.ROOT);
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName(api.crdName()).endMetadata()
                .withNewSpec().withGroup(api.group()).withScope("Namespaced")
                .withNewNames().withKind(api.kind()).withListKind(api.kind() + "List").withPlural(api.plural())
                .withSingular(singular).endNames()
                .addNewVersion().withName(api.version()).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
    }

    List<GenericKubernetesResource> reports(ReportApi api) {
        return client().genericKubernetesResources(api.context()).inAnyNamespace().list().getItems();
    }

    GenericKubernetesResource report(ReportApi api, String namespace) {
        return client().genericKubernetesResources(api.context()).inNamespace(namespace)
                .withName(NamespaceReport.NAME).get();
    }

    /** {@code upstream_guard_reports_written_total{api, result}} as /q/metrics has it (0 when absent). */
    static double written(ReportApi api, String result) {
        var metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        var series = "upstream_guard_reports_written_total{api=\"" + api.apiVersion() + "\",result=\"" + result
                + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()))).findFirst().orElse(0);
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
}
