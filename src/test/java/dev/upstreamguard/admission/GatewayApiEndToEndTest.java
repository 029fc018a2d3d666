package dev.upstreamguard.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.GatewayApiCrds;
import dev.upstreamguard.support.Management;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/**
 * End to end with the Gateway API served: its CRDs are in the CRUD mock API server before the guard starts, the guard
 * watches HTTPRoutes, GRPCRoutes, Gateways and ReferenceGrants, waits for them to be ready, and judges them through
 * /validate like every other kind.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = GatewayApiCrds.class)
class GatewayApiEndToEndTest {
    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    KubernetesClient client() {
        return server.getClient();
    }

    @BeforeEach
    void createTheShop() {
        if (client().services().inNamespace("shop").withName("web").get() == null) {
            for (var o : new ManifestLoader().read(Path.of("src/test/resources/gateway-api/shop.yaml"))) {
                o.getMetadata().setUid(null);
                client().resource(o).create();
            }
        }
        Await.until("the informers see the route and its Gateway", Duration.ofSeconds(30),
                () -> views.view().synced() && views.view().gateway("shop", "gw").isPresent()
                        && !views.view().backendsNaming("shop", "web").isEmpty());
    }

    <T extends HasMetadata> T live(Class<T> type, String name) {
        return client().resources(type).inNamespace("shop").withName(name).get();
    }

    AdmissionResponse post(Reviews review) {
        return given().contentType(ContentType.JSON).body(review.json()).when().post("/validate?timeout=10s")
                .then().statusCode(200).extract().as(AdmissionReview.class).getResponse();
    }

    @Test
    void readinessWaitsForTheGatewayApiInformers() {
        var body = Management.given().when().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertThat(body).contains("\"status\": \"UP\"").contains("\"GatewayAPI\": 2");
    }

    @Test
    void deniesAnHttpRoutePortThatIsTheTargetPort() {
        var route = live(HTTPRoute.class, "web");
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(8080);
        var r = post(Reviews.update(route, live(HTTPRoute.class, "web")));
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getMessage()).startsWith("[route-backend-port-missing] HTTPRoute shop/web "
                + "rules[0].backendRefs[0] (shop.example.com /) -> Service shop/web: no port 8080 (it has 80/\"http\").");
    }

    @Test
    void deniesAGatewayChangeThatDetachesALiveRoute_withTheStagingHint() {
        var gateway = live(Gateway.class, "gw");
        gateway.getSpec().getListeners().get(0).setName("web");
        var r = post(Reviews.update(gateway, live(Gateway.class, "gw")));
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getMessage()).startsWith("[route-not-attached] ").contains("HTTPRoute shop/web")
                .contains("add the new listener beside the old, move the routes");
    }

    @Test
    void allowsAGatewayChangeThatKeepsItsRoutes() {
        var gateway = live(Gateway.class, "gw");
        gateway.getSpec().getListeners().add(new ListenerBuilder().withName("https").withPort(443).withProtocol("HTTPS")
                .withHostname("*.example.com").build());
        var r = post(Reviews.update(gateway, live(Gateway.class, "gw")));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }

    @Test
    void warnsOnANewRouteToAServiceThatIsNotThereYet() {
        var route = live(HTTPRoute.class, "web");
        route.getMetadata().setName("store");
        route.getMetadata().setUid(null);
        route.getMetadata().setResourceVersion(null);
        route.getSpec().setHostnames(List.of("store.example.com"));
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setName("store");
        var r = post(Reviews.create(route));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).singleElement().asString()
                .startsWith("[route-backend-missing] not found yet: HTTPRoute shop/store");
    }

    @Test
    void aLabelOnlyUpdateOfARouteIsANoOp() {
        var route = live(HTTPRoute.class, "web");
        route.getMetadata().setLabels(Map.of("argocd.argoproj.io/instance", "shop"));
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setName("gone"); // broken in the cache's eyes...
        var old = live(HTTPRoute.class, "web");
        old.getSpec().getRules().get(0).getBackendRefs().get(0).setName("gone"); // ...and before: nothing changes
        var r = post(Reviews.update(route, old));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }
}
