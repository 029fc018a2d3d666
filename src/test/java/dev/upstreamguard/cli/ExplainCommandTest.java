package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.support.CheckRun;
import dev.upstreamguard.support.CheckRun.Outcome;

/**
 * {@code upstream-guard explain} driven as a user drives it, in a child JVM, over the demo cluster and a copy of it
 * with a seeded fault: what it prints, and its exit codes (0 healthy, 1 broken, 2 bad input in one line).
 */
class ExplainCommandTest {
    static final String DEMO = "examples/demo-cluster";

    @TempDir
    Path dir;

    static Outcome explain(String... args) {
        return CheckRun.command("explain", args);
    }

    static String lastLine(String text) {
        var lines = text.lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void aHealthyUrlOnTheDemoExitsZero_withBothDataPlanesAndRouteHealthy() {
        var run = explain("http://shop.example.com/catalog/shoes", "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).startsWith("explain http://shop.example.com/catalog/shoes (GET, host shop.example.com, "
                + "port 80, path /catalog/shoes)\n")
                .contains("== ingress-nginx: server shop.example.com")
                .contains("== Gateway shop/public: listener \"http\"")
                .contains("  wins  HTTPRoute shop/catalog rules[0].matches[0]: shop.example.com PathPrefix /catalog")
                .contains("    ok          targetPort \"http\" -> container \"web\" port 8080/\"http\"")
                .contains("proxy-read-timeout 60 s (annotation)");
        assertThat(lastLine(run.out())).isEqualTo("route healthy");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonIsTheDocumentedShape() throws IOException {
        var run = explain("https://shop.example.com/api/orders", "--cluster", DEMO, "-o", "json");
        assertThat(run.exit()).as(run.toString()).isEqualTo(0);
        var json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("apiVersion").asText()).isEqualTo("upstream-guard.dev/explain/v1");
        assertThat(json.get("query").get("path").asText()).isEqualTo("/api/orders");
        assertThat(json.get("healthy").asBoolean()).isTrue();
        var nginx = json.get("sections").get(0);
        assertThat(nginx.get("winner").get("match").asText()).isEqualTo("shop.example.com Prefix /api");
        assertThat(nginx.get("routes").get(0).get("service").asText()).isEqualTo("Service shop/api");
    }

    @Test
    void aSeededFaultExitsOne_atTheFirstBrokenHop_withTheWebhooksRule() throws IOException {
        copyDemo();
        var api = dir.resolve("20-api.yaml");
        Files.writeString(api, Files.readString(api).replace("httpGet: {path: /ready, port: api}",
                "httpGet: {path: /ready, port: health}"));
        var run = explain("https://shop.example.com/api/orders", "--cluster", dir.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("    BROKEN      endpoints  [readiness-probe-port-missing] ");
        assertThat(lastLine(run.out())).startsWith("first broken hop: endpoints: [readiness-probe-port-missing] Ingress "
                + "shop/web (shop.example.com/api) (+1 more routes) -> Service shop/api -> Deployment shop/api container "
                + "\"api\" spec.template.spec.containers[0].readinessProbe.httpGet.port \"health\": the container "
                + "declares no port named \"health\"").endsWith("Fix: point the probe at a declared port such as "
                + "\"api\", or name the container port \"health\".");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anUnknownHostExitsOne_withTheClosestHosts() {
        var run = explain("https://shop.exmaple.com/", "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("  closest known: shop.example.com, api.example.com");
        assertThat(lastLine(run.out())).startsWith("first broken hop: host: no Ingress rule and no attached HTTPRoute "
                + "serves host shop.exmaple.com");
    }

    @Test
    void anObjectByNameWalksEachOfItsRoutes() {
        var run = explain("--ingress", "shop/web", "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).contains("  Ingress shop/web rules[0].http.paths[0] (shop.example.com/) -> Service shop/web")
                .contains("  Ingress shop/web rules[0].http.paths[1] (shop.example.com/api) -> Service shop/api")
                .contains("  Ingress shop/web rules[1].http.paths[0] (api.example.com/) -> Service shop/api");
    }

    @Test
    void badInputExitsTwo_withOneLineOnStandardError() {
        for (var args : new String[][] {
                {"ftp://shop.example.com/", "--cluster", DEMO},
                {"https://shop.example.com/", "--cluster", dir.resolve("nope").toString()},
                {"--ingress", "web", "--cluster", DEMO},
                {"--cluster", DEMO}}) {
            var run = explain(args);
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.out()).as(run.toString()).isEmpty();
            assertThat(run.err().lines()).as(run.toString()).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("upstream-guard explain: "));
        }
        var help = explain("--help");
        assertThat(help.exit()).isEqualTo(0);
        assertThat(help.out()).startsWith("Usage: upstream-guard explain URL");
    }

    private void copyDemo() throws IOException {
        try (var files = Files.list(Path.of(DEMO))) {
            for (var f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }
}
