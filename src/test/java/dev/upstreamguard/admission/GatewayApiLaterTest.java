package dev.upstreamguard.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.GatewayApi;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.GatewayApiCrds;
import dev.upstreamguard.support.Management;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/**
 * The common case: a cluster without the Gateway API. The guard starts, is ready and judges Ingress as ever; once the
 * CRDs are installed it starts watching within the discovery interval (1 s here) and judges routes too.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(GatewayApiLaterTest.FastDiscovery.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayApiLaterTest {

    /** Looks for the Gateway API every second. */
    public static class FastDiscovery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upstream-guard.cache.discovery-interval", "1s");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    AdmissionResponse post(Reviews review) {
        return given().contentType(ContentType.JSON).body(review.json()).when().post("/validate?timeout=10s")
                .then().statusCode(200).extract().as(AdmissionReview.class).getResponse();
    }

    void createCoreObjects() {
        var client = server.getClient();
        if (client.services().inNamespace("shop").withName("web").get() != null) {
            return;
        }
        for (var o : new ManifestLoader().read(Path.of("src/test/resources/gateway-api/shop.yaml"))) {
            if (!GatewayApi.judged(o)) {
                o.getMetadata().setUid(null);
                client.resource(o).create();
            }
        }
    }

    @Test
    @Order(1)
    void withoutTheCrds_itIsReadyAndJudgesIngress() {
        createCoreObjects();
        Await.until("the informers see the shop", Duration.ofSeconds(30),
                () -> views.view().synced() && views.view().service("shop", "web").isPresent());
        Management.given().when().get("/q/health/ready").then().statusCode(200);
        var ingress = new IngressBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().addNewRule().withHost("shop.example.com").withNewHttp().addNewPath().withPath("/")
                .withPathType("Prefix").withNewBackend().withNewService().withName("web").withNewPort().withNumber(8080)
                .endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();
        var r = post(Reviews.create(ingress));
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getMessage()).startsWith("[ingress-service-port-missing] ");
        assertThat(views.view().gateway("shop", "gw")).isEmpty();
    }

    @Test
    @Order(2)
    void crdsInstalledLater_areWatched_andTheirRoutesJudged() {
        createCoreObjects();
        var client = server.getClient();
        GatewayApiCrds.install(client);
        for (var o : new ManifestLoader().read(Path.of("src/test/resources/gateway-api/shop.yaml"))) {
            if (GatewayApi.judged(o)) {
                o.getMetadata().setUid(null);
                client.resource(o).create();
            }
        }
        Await.until("the Gateway API informers start and list", Duration.ofSeconds(30),
                () -> views.view().synced() && views.view().gateway("shop", "gw").isPresent()
                        && views.view().backendsNaming("shop", "web").stream()
                        .anyMatch(b -> b.route().kind().equals("HTTPRoute")));
        Management.given().when().get("/q/health/ready").then().statusCode(200);
        var route = client.resources(HTTPRoute.class).inNamespace("shop").withName("web").get();
        var old = client.resources(HTTPRoute.class).inNamespace("shop").withName("web").get();
        route.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(8080);
        var r = post(Reviews.update(route, old));
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getMessage()).startsWith("[route-backend-port-missing] HTTPRoute shop/web");
    }
}
