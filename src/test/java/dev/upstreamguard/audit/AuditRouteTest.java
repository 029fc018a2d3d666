package dev.upstreamguard.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * {@code GET /audit} (every namespace's routes and findings, a whole-cluster audit per call) is served on the
 * management interface only; the port the webhook Service exposes serves /validate and nothing of the management
 * interface: no audit, no health, no metrics.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AuditRouteTest {

    @Test
    void theAuditRunsOnTheManagementInterface() {
        Management.given().when().get("/audit").then().statusCode(200).contentType(ContentType.JSON)
                .body("objects", greaterThanOrEqualTo(0)).body("at", notNullValue())
                .body("ruleFailures", equalTo(0)).body("failedRules.size()", equalTo(0));
    }

    @Test
    void theWebhookPortServesNoAuditNoHealthNoMetrics() {
        assertThat(Management.base().getPort()).as("two servers").isNotEqualTo(RestAssured.port);
        for (var path : new String[] {"/audit", "/q/metrics", "/q/health", "/q/health/live", "/q/health/ready",
                "/q/health/started"}) {
            given().when().get(path).then().statusCode(404);
            Management.given().when().get(path).then().statusCode(200);
        }
        given().when().post("/audit").then().statusCode(404);
    }

    @Test
    void theManagementInterfaceJudgesNoReviews() throws Exception {
        var review = Files.readString(Path.of("examples/reviews/ingress-add-path-fine.json"));
        Management.given().contentType(ContentType.JSON).body(review).when().post("/validate").then().statusCode(404);
        given().contentType(ContentType.JSON).body(review).when().post("/validate").then().statusCode(200)
                .body("response.allowed", equalTo(true));
    }
}
