package dev.upstreamguard.explain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * {@code GET /explain} end to end: objects written to the CRUD mock API server, seen through the informers, explained
 * on the management interface (text and JSON), bad input answered 400 in one line; the port the webhook Service
 * exposes does not serve it.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ExplainRouteTest {
    static final String NS = "explain-shop";
    static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: explain-shop}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: explain-shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: example/web:1
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /healthz, port: http}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: explain-shop}
            spec:
              selector: {app: web}
              ports: [{name: web, port: 80, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: explain-shop}
            spec:
              selector: {app: api}
              ports: [{name: http, port: 80, targetPort: 9090}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: explain-shop
              annotations: {nginx.ingress.kubernetes.io/proxy-read-timeout: "90"}
            spec:
              ingressClassName: nginx
              rules:
                - host: explain.example.com
                  http:
                    paths:
                      - {pathType: Prefix, path: /, backend: {service: {name: web, port: {name: web}}}}
                      - {pathType: Prefix, path: /api, backend: {service: {name: api, port: {number: 80}}}}
            """;

    static String pod(String name, String app, boolean ready, String waiting, String lastReason, int exitCode) {
        var state = waiting == null ? "{running: {startedAt: \"2025-01-01T00:00:00Z\"}}" : "{waiting: {reason: " + waiting + "}}";
        var last = lastReason == null ? "" : "\n      lastState: {terminated: {reason: " + lastReason + ", exitCode: "
                + exitCode + "}}";
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: explain-shop, labels: {app: %s}}
                spec:
                  containers:
                    - {name: %s, image: example, ports: [{name: http, containerPort: 8080}]}
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "%s"}]
                  containerStatuses:
                    - name: %s
                      image: example
                      imageID: ""
                      ready: %s
                      restartCount: 9
                      state: %s%s
                """.formatted(name, app, app, ready ? "True" : "False", app, ready, state, last);
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    static final String INGRESS_CLASS = """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata:
              name: nginx
              annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
            spec: {controller: k8s.io/ingress-nginx}
            """;

    @BeforeEach
    void createTheShop() {
        var client = server.getClient();
        var loader = new ManifestLoader();
        if (client.network().v1().ingressClasses().withName("nginx").get() == null) { // other tests may create it
            loader.parse(INGRESS_CLASS, "test").forEach(o -> client.resource(o).create());
        }
        if (client.namespaces().withName(NS).get() == null) {
            var yaml = CLUSTER + "---\n" + pod("web-7c9f-a", "web", false, "CrashLoopBackOff", "OOMKilled", 137)
                    + "---\n" + pod("web-7c9f-b", "web", false, "CrashLoopBackOff", "OOMKilled", 137)
                    + "---\n" + pod("api-5d4b-a", "api", true, null, null, 0);
            for (var o : loader.parse(yaml, "test")) {
                client.resource(o).create();
            }
        }
        Await.until("the informers see the shop and its pods", Duration.ofSeconds(30),
                () -> views.view().synced() && views.view().ingress(NS, "web").isPresent()
                        && !views.view().ingressClasses().isEmpty()
                        && views.view().podSourcesSelectedBy(NS, Map.of("app", "web")).size() == 3
                        && views.view().podSourcesSelectedBy(NS, Map.of("app", "api")).size() == 1);
    }

    @Test
    void explainsAUrlAsText_endingWithTheFirstBrokenHop() {
        var text = Management.given().queryParam("url", "https://explain.example.com/cart").when().get("/explain")
                .then().statusCode(200).contentType(ContentType.TEXT).extract().asString();
        assertThat(text).startsWith("explain https://explain.example.com/cart (GET, host explain.example.com, port 443, "
                + "path /cart)")
                .contains("wins  Ingress explain-shop/web rules[0].http.paths[0]: explain.example.com Prefix / "
                        + "(the only rule that matches)")
                .contains("BROKEN      endpoints  Ingress explain-shop/web rules[0].http.paths[0] (explain.example.com/)"
                        + " -> Service explain-shop/web port 80/\"web\": no ready endpoint: 2 pods, none Ready: 2 waiting"
                        + " in CrashLoopBackOff, container \"web\" last terminated OOMKilled (exit 137) in 2, 18 restarts;");
        var lines = text.lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("first broken hop: endpoints: ")
                .contains("Fix: raise the memory limit of container \"web\" (it was OOMKilled, exit 137)");
    }

    @Test
    void explainsAHealthyUrlAsJson_withTheTimeoutsThatCanStillEndIn504() {
        Management.given().queryParam("url", "https://explain.example.com/api/orders").queryParam("format", "json")
                .when().get("/explain").then().statusCode(200).contentType(ContentType.JSON)
                .body("apiVersion", equalTo("upstream-guard.dev/explain/v1"))
                .body("healthy", equalTo(true)).body("verdict", equalTo("route healthy"))
                .body("firstBrokenHop", equalTo(null))
                .body("sections[0].dataPlane", equalTo("ingress-nginx"))
                .body("sections[0].winner.field", equalTo("rules[0].http.paths[1]"))
                .body("sections[0].alsoMatched[0].verdict", equalTo("loses: longest matching prefix"))
                .body("sections[0].routes[0].hops.hop", equalTo(java.util.List.of("class", "service", "port", "pods",
                        "targetPort", "endpoints")))
                .body("sections[0].routes[0].hops[5].text", equalTo("1/1 pods Ready; no readinessProbe on the serving "
                        + "container: Ready as soon as it starts"))
                .body("sections[0].routes[0].timeouts.find { it.name == 'proxy-read-timeout' }.value", equalTo("90 s"));
    }

    @Test
    void explainsAnIngressByName() {
        Management.given().queryParam("ingress", NS + "/web").queryParam("format", "json").when().get("/explain")
                .then().statusCode(200).body("healthy", equalTo(false)).body("sections[0].routes.size()", equalTo(2))
                .body("firstBrokenHop.hop", equalTo("endpoints")).body("firstBrokenHop.problem.rule", equalTo(null));
    }

    @Test
    void badInputIs400WithOneLineOfJson() {
        var cases = Map.of(
                "url=ftp://explain.example.com/", "not an http or https URL: \"ftp://explain.example.com/\"",
                "", "nothing to explain: give url=, or ingress=, route= or service= NAMESPACE/NAME",
                "url=https://a.example.com/&ingress=explain-shop/web", "explain one thing at a time: one of url, ingress, route, service",
                "host=explain.example.com", "unknown parameter \"host\": use url, ingress, route or service, and format, method, header",
                "url=https://a.example.com/&format=yaml", "format must be text or json, not \"yaml\"",
                "service=explain-shop", "service must be NAMESPACE/NAME, such as shop/web, not \"explain-shop\"");
        cases.forEach((query, error) -> {
            var body = Management.given().when().get("/explain" + (query.isEmpty() ? "" : "?" + query)).then()
                    .statusCode(400).contentType(ContentType.JSON).body("error", equalTo(error)).extract().asString();
            assertThat(body.strip()).as(query).doesNotContain("\n");
        });
    }

    @Test
    void theWebhookPortDoesNotServeExplain() {
        assertThat(Management.base().getPort()).as("two servers").isNotEqualTo(RestAssured.port);
        given().queryParam("url", "https://explain.example.com/").when().get("/explain").then().statusCode(404);
        Management.given().queryParam("url", "https://explain.example.com/").when().get("/explain").then()
                .statusCode(200);
    }
}
