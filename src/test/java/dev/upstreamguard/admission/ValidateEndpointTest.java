package dev.upstreamguard.admission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.file.Files;
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
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/**
 * End to end: the demo cluster is created in the fabric8 mock API server (CRUD mode), reaches the informers, and real
 * AdmissionReview JSON posted to /validate gets the answer users see.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ValidateEndpointTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    @BeforeEach
    void createDemoClusterInTheApiServer() {
        var client = server.getClient();
        if (client.services().inNamespace("shop").withName("web").get() == null) {
            for (var o : new ManifestLoader().read(Path.of("examples/demo-cluster"))) {
                o.getMetadata().setUid(null);
                client.resource(o).create();
            }
        }
        Await.until("the informers see the demo Ingress", Duration.ofSeconds(20),
                () -> views.view().synced() && views.view().ingress("shop", "web").isPresent()
                        && !views.view().backendsNaming("shop", "api").isEmpty());
    }

    static String example(String name) throws Exception {
        return Files.readString(Path.of("examples/reviews", name));
    }

    @Test
    void theBenchmarkFloorsDoNotExistUnlessEnabled() throws Exception {
        for (var floor : new String[] {BenchFloorRoute.PATH, BenchFloorRoute.PARSE_PATH}) {
            given().contentType(ContentType.JSON).body(example("ingress-port-typo.json")).when().post(floor)
                    .then().statusCode(404);
        }
    }

    @Test
    void readinessIsUpOnceTheInformersHaveSynced() {
        Management.given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void deniesThePortTypo_withTheWholeChainAndTheFix() throws Exception {
        given().contentType(ContentType.JSON).body(example("ingress-port-typo.json"))
                .when().post("/validate")
                .then().statusCode(200)
                .body("apiVersion", equalTo("admission.k8s.io/v1"))
                .body("kind", equalTo("AdmissionReview"))
                .body("response.uid", equalTo("00000000-0000-4000-8000-000000000002"))
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(403))
                .body("response.status.message", startsWith("[ingress-service-port-missing] Ingress shop/web "
                        + "rules[0].http.paths[0] (shop.example.com/) -> Service shop/web: no port named \"http\" "
                        + "(it has 80/\"web\", 443/\"https\"). Fix: use port \"web\", or name a Service port \"http\"."));
    }

    @Test
    void allowsTheFineChange_withNothingToSay() throws Exception {
        given().contentType(ContentType.JSON).body(example("ingress-add-path-fine.json"))
                .when().post("/validate")
                .then().statusCode(200)
                .body("response.allowed", equalTo(true))
                .body("response.status", nullValue())
                .body("response.warnings", nullValue());
    }

    @Test
    void deniesTheSelectorTypo_butOnlyWarnsOnItsDryRunAndOnDelete() throws Exception {
        given().contentType(ContentType.JSON).body(example("service-selector-typo.json"))
                .when().post("/validate")
                .then().body("response.allowed", equalTo(false))
                .body("response.status.message", allOf(startsWith("[service-selects-nothing] Ingress shop/web"),
                        containsString("Service shop/api spec.selector {app=apii}")));
        given().contentType(ContentType.JSON).body(example("service-selector-typo-dry-run.json"))
                .when().post("/validate")
                .then().body("response.allowed", equalTo(true))
                .body("response.warnings", hasItem(startsWith("[service-selects-nothing] dry run: Service shop/api")));
        given().contentType(ContentType.JSON).body(example("service-delete.json"))
                .when().post("/validate")
                .then().body("response.allowed", equalTo(true))
                .body("response.warnings", everyItem(startsWith("[ingress-service-missing] on delete: Ingress shop/web")));
    }

    @Test
    void seesObjectsCreatedAfterStartup() throws Exception {
        var client = server.getClient();
        var search = new ServiceBuilder().withNewMetadata().withName("search").withNamespace("shop").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withName("http").withPort(80)
                .withTargetPort(new IntOrString("http")).endPort().endSpec().build();
        if (client.services().inNamespace("shop").withName("search").get() == null) {
            client.resource(search).create();
        }
        Await.until("the informer sees Service shop/search", Duration.ofSeconds(10),
                () -> views.view().service("shop", "search").isPresent());

        Ingress live = SERIALIZATION.clone(views.view().ingress("shop", "web").orElseThrow());
        Ingress edited = SERIALIZATION.clone(live);
        var backend = edited.getSpec().getRules().get(1).getHttp().getPaths().get(0).getBackend().getService();
        backend.setName("search");
        backend.getPort().setNumber(8080);
        given().contentType(ContentType.JSON).body(Reviews.update(edited, live).json())
                .when().post("/validate")
                .then().body("response.allowed", equalTo(false))
                .body("response.status.message", containsString("Service shop/search: no port 8080 (it has 80/\"http\")"));
    }

    @Test
    void deniesTheRelabelledDeployment_andWarnsOnScaleToZeroThroughTheScaleSubresource() throws Exception {
        Await.until("the informer sees Deployment shop/web", Duration.ofSeconds(10),
                () -> views.view().workload("Deployment", "shop", "web").isPresent());
        given().contentType(ContentType.JSON).body(example("deployment-relabel.json"))
                .when().post("/validate")
                .then().body("response.allowed", equalTo(false))
                .body("response.status.message", allOf(startsWith("[service-selects-nothing] Ingress shop/web"),
                        containsString("Deployment shop/web matches all but tier=frontend: it has tier=storefront")));
        given().contentType(ContentType.JSON).body(Reviews.scale("deployments", "shop", "web", 0).json())
                .when().post("/validate")
                .then().body("response.allowed", equalTo(true))
                .body("response.warnings", hasItem(startsWith("[workload-scaled-to-zero] Deployment shop/web scaled to 0")));
    }

    @Test
    void answersUnhandledKindsAllowedWithNothing() {
        var review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"cm-1",
                 "kind":{"group":"","version":"v1","kind":"ConfigMap"},"operation":"CREATE","namespace":"shop",
                 "object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"shop"}}}}""";
        given().contentType(ContentType.JSON).body(review).when().post("/validate")
                .then().statusCode(200).body("response.uid", equalTo("cm-1")).body("response.allowed", equalTo(true))
                .body("response.warnings", nullValue());
    }

    @Test
    void rejectsMalformedJson_withAOneLineReason() {
        given().contentType(ContentType.JSON).body("{\"apiVersion\": \"admission.k8s.io/v1\", \"request\": {")
                .when().post("/validate")
                .then().statusCode(400).body("error", startsWith("malformed AdmissionReview JSON at line 1"));
    }

    @Test
    void rejectsReviewsWithoutRequestOrUid() {
        given().contentType(ContentType.JSON).body("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")
                .when().post("/validate").then().statusCode(400).body("error", equalTo("AdmissionReview has no request"));
        given().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}")
                .when().post("/validate").then().statusCode(400).body("error", equalTo("request.uid is missing or empty"));
    }

    @Test
    void rejectsV1beta1_sayingOnlyV1IsServed() {
        given().contentType(ContentType.JSON)
                .body("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"a\"}}")
                .when().post("/validate").then().statusCode(400).body("error", containsString("only admission.k8s.io/v1"));
    }

    @Test
    void rejectsAnObjectOfTheWrongKind() {
        var review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"w-1",
                 "kind":{"group":"","version":"v1","kind":"Service"},"operation":"CREATE","namespace":"shop",
                 "object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"shop"}}}}""";
        given().contentType(ContentType.JSON).body(review).when().post("/validate")
                .then().statusCode(400).body("error", startsWith("request.object is not a Service"));
    }
}
