package dev.upstreamguard.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.Management;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/**
 * What warn-only mode looks like to a user, end to end against the CRUD mock API server: the would-be denial is an
 * Event on the object (once per window, none for a dry run), the series are at /q/metrics, and /audit lists the
 * broken routes with their reasons (both on the management interface).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class WarnModeObservabilityTest {
    static final String NS = "warn-shop";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    @BeforeEach
    void createAWarnOnlyNamespaceWithTheDemoShop() {
        var client = server.getClient();
        if (client.namespaces().withName(NS).get() != null) {
            return;
        }
        for (HasMetadata o : new ManifestLoader().read(Path.of("examples/demo-cluster"))) {
            o.getMetadata().setUid(null);
            if (o instanceof Namespace ns) {
                ns.getMetadata().setName(NS);
                ns.getMetadata().setLabels(Map.of("upstream-guard.dev/mode", "warn"));
            } else if (o.getMetadata().getNamespace() != null) {
                o.getMetadata().setNamespace(NS);
            } else {
                continue; // the IngressClass is cluster-scoped and may exist already
            }
            client.resource(o).create();
        }
        client.resource(new PodBuilder().withNewMetadata().withName("web-7c9f-x2x").withNamespace(NS)
                .withLabels(Map.of("app", "web", "tier", "frontend")).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("web").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewContainerStatus().withName("web").withReady(false).withRestartCount(4).withImage("web")
                .withImageID("").withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .endContainerStatus().endStatus().build()).create();
        Await.until("the informers see the warn-only shop", Duration.ofSeconds(20),
                () -> views.view().synced() && !views.view().backendsNaming(NS, "api").isEmpty()
                        && views.view().namespace(NS).isPresent() && views.index().counts().get("Pod") > 0);
    }

    Service api() {
        return SERIALIZATION.clone(views.view().service(NS, "api").orElseThrow());
    }

    int eventsOn(String name) {
        return (int) server.getClient().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(name)).count();
    }

    @Test
    void wouldBeDenialBecomesAWarningAndOneEvent_noneForDryRun() throws Exception {
        var typo = api();
        typo.getSpec().setSelector(Map.of("app", "apii"));
        var review = Reviews.update(typo, api());
        given().contentType(ContentType.JSON).body(review.json()).when().post("/validate").then()
                .body("response.allowed", equalTo(true))
                .body("response.warnings", hasItem(startsWith("[service-selects-nothing] would deny: ")));
        Await.until("an Event on Service api", Duration.ofSeconds(10), () -> eventsOn("api") == 1);
        var event = server.getClient().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals("api")).findFirst().orElseThrow();
        assertThat(event.getReason()).isEqualTo("UpstreamGuardWouldDeny");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(api().getMetadata().getUid());
        assertThat(event.getMessage()).startsWith("[service-selects-nothing] would deny: Ingress " + NS + "/web");

        given().contentType(ContentType.JSON).body(Reviews.update(typo, api()).json()).when().post("/validate");
        given().contentType(ContentType.JSON).body(Reviews.update(typo, api()).dryRun().json()).when().post("/validate");
        Thread.sleep(500);
        assertThat(eventsOn("api")).as("deduplicated, and nothing for the dry run").isEqualTo(1);
    }

    @Test
    void metricsShowTheSeriesAfterReviews() {
        var typo = api();
        typo.getSpec().setSelector(Map.of("app", "apii"));
        given().contentType(ContentType.JSON).body(Reviews.update(typo, api()).json()).when().post("/validate");
        var metrics = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("upstream_guard_reviews_total{decision=\"warned\",kind=\"Service\",operation=\"UPDATE\"}")
                .contains("upstream_guard_findings_total{action=\"warned\",rule=\"service-selects-nothing\"}")
                .contains("upstream_guard_review_duration_seconds_bucket{kind=\"Service\",le=\"1.0E-4\"}")
                .contains("upstream_guard_cached_objects{kind=\"Pod\"}")
                .contains("upstream_guard_informer_last_event_age_seconds{kind=\"Service\"}");
    }

    @Test
    void everySeriesTheDashboardAndAlertsUseExists() throws Exception {
        var typo = api();
        typo.getSpec().setSelector(Map.of("app", "apii"));
        given().contentType(ContentType.JSON).body(Reviews.update(typo, api()).json()).when().post("/validate");
        Management.given().when().get("/audit").then().statusCode(200);
        Await.until("an Event is written", Duration.ofSeconds(10), () -> eventsOn("api") >= 1);
        var metrics = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        var used = new java.util.TreeSet<String>();
        for (var file : new String[] {"deploy/monitoring/dashboard.json", "deploy/monitoring/prometheusrule.yaml",
                "deploy/helm/upstream-guard/files/dashboard.json", "deploy/helm/upstream-guard/templates/prometheusrule.yaml"}) {
            var m = java.util.regex.Pattern.compile("upstream_guard_[a-z_]+").matcher(java.nio.file.Files.readString(Path.of(file)));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(Path.of("deploy/helm/upstream-guard/files/dashboard.json")).as("the chart ships deploy/monitoring's dashboard")
                .hasSameTextualContentAs(Path.of("deploy/monitoring/dashboard.json"));
        for (var name : used) {
            assertThat(metrics).as("series " + name + " used by the dashboard or alerts").contains(name);
        }
    }

    @Test
    void auditListsBrokenRoutesWithTheirReasons_andPublishesThem() {
        var report = Management.given().when().get("/audit").then().statusCode(200).extract().jsonPath();
        assertThat(report.getBoolean("runtimeFacts")).isTrue();
        assertThat(report.getList("brokenRoutes.findAll { it.ingress == 'Ingress warn-shop/web' && it.service == 'warn-shop/web' }.reason"))
                .containsExactly("1 not Ready, 1 waiting in CrashLoopBackOff, 4 restarts");
        var metrics = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("upstream_guard_broken_routes\\{type=\"no-endpoint\"} [1-9]");
    }
}
