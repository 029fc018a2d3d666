package dev.upstreamguard.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * A view loaded from manifests (the demo, tests) writes no policy report, even where a cluster with the report APIs is
 * within reach of the client: the findings are about the files, not about that cluster.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(PolicyReportsManifestsViewTest.ManifestsView.class)
class PolicyReportsManifestsViewTest {

    /** The report fixture as the cluster view (namespace shop: one error, one warning); no periodic audit. */
    public static class ManifestsView implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upstream-guard.cluster.manifests", "src/test/resources/reports",
                    "upstream-guard.audit.enabled", "false");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    PolicyReports reports;

    @Test
    void theAuditOfManifestsWritesNothingAnywhere() {
        var client = server.getClient();
        for (var api : ReportApi.ALL) {
            client.apiextensions().v1().customResourceDefinitions().resource(PolicyReportsTest.crd(api)).create();
        }
        int requests = server.getKubernetesMockServer().getRequestCount();

        Management.given().get("/audit").then().statusCode(200)
                .body("findings.findAll { it.namespace == 'shop' }.rule", hasItem("ingress-service-missing"));

        assertThat(reports.active()).isFalse();
        assertThat(server.getKubernetesMockServer().getRequestCount()).as("not even discovery").isEqualTo(requests);
        for (var api : ReportApi.ALL) {
            assertThat(client.genericKubernetesResources(api.context()).inAnyNamespace().list().getItems()).isEmpty();
        }
        var metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("upstream_guard_reports_written_total");
    }
}
