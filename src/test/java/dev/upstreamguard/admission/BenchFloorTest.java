package dev.upstreamguard.admission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The benchmark's floors ({@code bench.floor-endpoint=true}): both answer allowed with the review's uid and decide
 * nothing, even on a review /validate denies; the parse floor refuses what /validate refuses to read.
 */
@QuarkusTest
@TestProfile(BenchFloorTest.Floors.class)
class BenchFloorTest {
    public static class Floors implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bench.floor-endpoint", "true", "upstream-guard.cluster.manifests", "examples/demo-cluster");
        }
    }

    @Test
    void bothFloorsAllowWhatValidateDenies() throws Exception {
        var review = Files.readString(Path.of("examples/reviews/ingress-port-typo.json"));
        var uid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(review).at("/request/uid").asText();
        given().contentType(ContentType.JSON).body(review).when().post("/validate").then().statusCode(200)
                .body("response.allowed", equalTo(false));
        for (var floor : new String[] {BenchFloorRoute.PATH, BenchFloorRoute.PARSE_PATH}) {
            given().contentType(ContentType.JSON).body(review).when().post(floor).then().statusCode(200)
                    .body("response.uid", equalTo(uid)).body("response.allowed", equalTo(true))
                    .body("response.warnings", nullValue());
        }
    }

    @Test
    void theParseFloorRefusesWhatValidateCannotRead() {
        var body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"b-1\","
                + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"spec\":{\"ports\":\"eighty\"}}}}";
        given().contentType(ContentType.JSON).body(body).when().post(BenchFloorRoute.PARSE_PATH).then().statusCode(400);
        given().contentType(ContentType.JSON).body(body).when().post("/validate").then().statusCode(400);
    }
}
