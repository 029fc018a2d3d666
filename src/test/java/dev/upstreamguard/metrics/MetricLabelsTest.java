package dev.upstreamguard.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.support.Management;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/**
 * Label values taken from posted reviews are clamped: anyone who can reach the webhook port must not be able to grow
 * the registry without bound. And a rule that throws in an audit is counted as a fault.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricLabelsTest {
    static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT", "other");

    @Inject
    MeterRegistry registry;

    @Inject
    MicrometerGuardMetrics metrics;

    static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("labels").withUid("u-" + name)
                .endMetadata().withNewSpec().withSelector(Map.of("app", name)).addNewPort().withPort(80)
                .withTargetPort(new IntOrString(8080)).endPort().endSpec().build();
    }

    /** A Service UPDATE review whose request.kind.kind and operation are what an attacker chose. */
    static byte[] review(String kind, String operation, int i) throws Exception {
        var map = new HashMap<>(Reviews.update(service("s" + i), service("s" + i)).uid("hostile-" + i).asMap());
        @SuppressWarnings("unchecked")
        var request = new HashMap<>((Map<String, Object>) map.get("request"));
        request.put("kind", Map.of("group", "evil.example.com", "version", "v1", "kind", kind));
        request.put("operation", operation);
        map.put("request", request);
        return Reviews.MAPPER.writeValueAsBytes(map);
    }

    Set<String> tagValues(String meter, String tag) {
        var values = new TreeSet<String>();
        registry.find(meter).meters().forEach(m -> values.add(m.getId().getTag(tag)));
        return values;
    }

    @Test
    void hostileKindsAndOperationsAreCountedAsOther_andGrowNothing() throws Exception {
        var kinds = List.of("Evil", "x".repeat(5_000), "Service\",operation=\"DELETE", "Ingress\nupstream_guard_x 1",
                "Deployment ", "ingress", "\uD83D\uDCA5", "");
        var operations = List.of("DROP", "create", "UPDATE\n", "o".repeat(1_000), "");
        int posted = 0;
        for (int i = 0; i < 60; i++) {
            var kind = kinds.get(i % kinds.size()) + (i >= kinds.size() ? "-" + i : "");
            var operation = operations.get(i % operations.size()) + (i >= operations.size() ? i : "");
            var status = given().contentType(ContentType.JSON).body(review(kind, operation, i)).when()
                    .post("/validate").then().extract().statusCode();
            assertThat(status).isIn(200, 400);
            posted += status == 200 ? 1 : 0;
        }
        assertThat(posted).as("most hostile reviews are readable, so they reach the metrics").isGreaterThan(40);
        metrics.reviewed(null, null, "allowed", 1_000); // absent is "other" too, not a NullPointerException
        posted++;

        var allowedKinds = new TreeSet<>(MicrometerGuardMetrics.KINDS);
        allowedKinds.add("other");
        assertThat(MicrometerGuardMetrics.KINDS).contains("Ingress", "Service", "Deployment", "StatefulSet", "DaemonSet");
        assertThat(allowedKinds).containsAll(tagValues("upstream.guard.reviews", "kind"));
        assertThat(allowedKinds).containsAll(tagValues("upstream.guard.review.duration", "kind"));
        assertThat(OPERATIONS).containsAll(tagValues("upstream.guard.reviews", "operation"));
        double other = registry.find("upstream.guard.reviews").tag("kind", "other").tag("operation", "other")
                .counters().stream().mapToDouble(Counter::count).sum();
        assertThat(other).isGreaterThanOrEqualTo(posted);

        var scraped = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(scraped).contains("kind=\"other\",operation=\"other\"").doesNotContain("Evil", "DROP", "xxxxxxxxxx",
                "upstream_guard_x", "\uD83D\uDCA5");
    }

    @Test
    void theKindsTheGuardHandlesKeepTheirNames() throws Exception {
        var body = Reviews.MAPPER.writeValueAsBytes(Reviews.update(service("kept"), service("kept")).asMap());
        given().contentType(ContentType.JSON).body(body).when().post("/validate").then().statusCode(200);
        assertThat(registry.find("upstream.guard.reviews").tag("kind", "Service").tag("operation", "UPDATE").counters())
                .isNotEmpty();
    }

    @Test
    void ruleFailuresInAnAuditAreFaults() {
        var counter = registry.find("upstream.guard.faults").tag("why", "audit-rule-failure").functionCounter();
        assertThat(counter).as("exported from 0, before any audit").isNotNull();
        double before = counter.count();
        var failed = new ArrayList<AuditReport.FailedRule>();
        failed.add(new AuditReport.FailedRule("some-rule", "Service shop/api", "java.lang.IllegalStateException: boom"));
        metrics.audited(new AuditReport(Instant.now().toString(), 1, 1, false, List.of(), List.of(), 3, failed));
        assertThat(counter.count()).isEqualTo(before + 3);
        var scraped = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(scraped).containsPattern("upstream_guard_faults_total\\{why=\"audit-rule-failure\"} [1-9]");
        assertThat(registry.find("upstream.guard.faults").meters()).allSatisfy(m -> assertThat(m)
                .isInstanceOf(FunctionCounter.class));
    }

    /** The alerts and the dashboard are checked against FAULT_REASONS: it must be every why the app exports. */
    @Test
    void faultReasonsAreEveryWhyExported() throws Exception {
        var body = Reviews.MAPPER.writeValueAsBytes(Reviews.update(service("why"), service("why")).asMap());
        given().contentType(ContentType.JSON).body(body).when().post("/validate").then().statusCode(200);
        assertThat(tagValues("upstream.guard.faults", "why"))
                .containsExactlyInAnyOrderElementsOf(MicrometerGuardMetrics.FAULT_REASONS);
    }
}
