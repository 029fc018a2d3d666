package dev.upstreamguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The README's first command, after {@code mvn package}: the packaged jar started with the demo profile, as a user
 * starts it ({@code java -Dquarkus.profile=demo -jar target/quarkus-app/quarkus-run.jar} from the project directory),
 * only on free ports instead of 8080 and 9000. It must serve /validate on the one, health, metrics, /audit and
 * /explain on the management port, and the metrics must move with the example reviews. Runs in {@code mvn verify} (failsafe).
 */
class DemoJarIT {
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    static final Path LOG = Path.of("target", "demo-jar-it.log");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static Process demo;
    static int httpPort;
    static int managementPort;

    @BeforeAll
    static void startTheDemoAsTheReadmeDoes() throws Exception {
        assertThat(JAR).as("mvn package builds the jar before this runs").exists();
        httpPort = freePort();
        managementPort = freePort();
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Dquarkus.profile=demo", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.port=" + managementPort, "-jar", JAR.toString());
        demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (status(get(managementPort, "/q/health/started")) != 200) {
            if (!demo.isAlive()) {
                throw new AssertionError("the demo exited " + demo.exitValue() + ":\n" + Files.readString(LOG));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the demo did not start in 90 s:\n" + Files.readString(LOG));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopTheDemo() throws InterruptedException {
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A port nothing listens on right now (the OS picks it); the demo binds it a moment later. */
    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static HttpResponse<String> get(int port, String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null; // not listening (yet)
        }
    }

    static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    static JsonNode validate(String example) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/validate"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(Path.of("examples", "reviews", example))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("response");
    }

    /** The value of one series in /q/metrics, 0 when it is not there yet. */
    static double series(String metrics, String name, String labels) {
        var m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String metrics() throws InterruptedException {
        var response = get(managementPort, "/q/metrics");
        assertThat(status(response)).isEqualTo(200);
        return response.body();
    }

    @Test
    void healthIsUpOnTheManagementPort() throws Exception {
        for (var probe : List.of("/q/health/live", "/q/health/ready", "/q/health/started")) {
            var response = get(managementPort, probe);
            assertThat(status(response)).as(probe).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("status").asText()).as(probe).isEqualTo("UP");
        }
    }

    @Test
    void theExampleReviewsAreJudged_andTheMetricsMove() throws Exception {
        var denied = "decision=\"denied\",kind=\"Ingress\",operation=\"UPDATE\"";
        var allowed = "decision=\"allowed\",kind=\"Ingress\",operation=\"UPDATE\"";
        var before = metrics();

        var typo = validate("ingress-port-typo.json");
        assertThat(typo.get("uid").asText()).isEqualTo("00000000-0000-4000-8000-000000000002");
        assertThat(typo.get("allowed").asBoolean()).isFalse();
        assertThat(typo.at("/status/code").asInt()).isEqualTo(403);
        assertThat(typo.at("/status/message").asText()).startsWith("[ingress-service-port-missing] Ingress shop/web ");
        var fine = validate("ingress-add-path-fine.json");
        assertThat(fine.get("allowed").asBoolean()).isTrue();

        var after = metrics();
        assertThat(series(after, "upstream_guard_reviews_total", denied))
                .isEqualTo(series(before, "upstream_guard_reviews_total", denied) + 1);
        assertThat(series(after, "upstream_guard_reviews_total", allowed))
                .isEqualTo(series(before, "upstream_guard_reviews_total", allowed) + 1);
        assertThat(series(after, "upstream_guard_findings_total", "action=\"denied\",rule=\"ingress-service-port-missing\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after).contains("upstream_guard_review_duration_seconds_count{kind=\"Ingress\"}")
                .contains("upstream_guard_faults_total{why=\"overloaded\"} 0.0");
    }

    @Test
    void theAuditIsOnTheManagementPort_andNothingButValidateOnTheOther() throws Exception {
        var audit = get(managementPort, "/audit");
        assertThat(status(audit)).isEqualTo(200);
        var report = JSON.readTree(audit.body());
        assertThat(report.get("objects").asInt())
                .as("the demo shop: an Ingress, an HTTPRoute, 3 Services, 3 Deployments").isEqualTo(8);
        assertThat(report.get("ruleFailures").asInt()).isZero();

        var leaks = new ArrayList<String>();
        for (var path : List.of("/audit", "/q/metrics", "/q/health", "/q/health/ready")) {
            if (status(get(httpPort, path)) != 404) {
                leaks.add(path);
            }
        }
        assertThat(leaks).as("served on the /validate port").isEmpty();
    }

    @Test
    void explainIsOnTheManagementPort_andNotOnTheOther() throws Exception {
        var path = "/explain?url=http://shop.example.com/catalog";
        var explained = get(managementPort, path);
        assertThat(status(explained)).isEqualTo(200);
        assertThat(explained.body()).contains("wins  HTTPRoute shop/catalog rules[0].matches[0]")
                .endsWith("\nroute healthy\n");
        assertThat(status(get(httpPort, path))).as("served on the /validate port").isEqualTo(404);
    }
}
