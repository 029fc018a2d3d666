package dev.upstreamguard.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/**
 * End to end against the fabric8 CRUD mock API server, with every watch event reaching the guard late
 * ({@code upstream-guard.cache.apply-delay}; a busy API server's watch lags by tens to hundreds of milliseconds, here
 * more, so the test never races the cache). Writes land in the API server; the next review arrives before the cache
 * has heard of them, and each would-be denial is confirmed on a fresh read: good releases pass, a typo in the same
 * window is still denied.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(CacheLagEndToEndTest.LaggingWatch.class)
class CacheLagEndToEndTest {
    static final Duration LAG = Duration.ofSeconds(3);

    /** Every watch event reaches the view {@link #LAG} late. */
    public static class LaggingWatch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upstream-guard.cache.apply-delay", LAG.toMillis() + "ms");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ClusterViews views;

    KubernetesClient client() {
        return server.getClient();
    }

    @BeforeEach
    void createTheShop() {
        if (client().services().inNamespace("shop").withName("web-blue").get() == null) {
            for (var o : new ManifestLoader().read(Path.of("src/test/resources/lag/blue-green.yaml"))) {
                o.getMetadata().setUid(null);
                client().resource(o).create();
            }
        }
        Await.until("the informers see the shop, late", LAG.plusSeconds(20),
                () -> views.view().synced() && views.view().ingress("shop", "web").isPresent()
                        && views.view().service("shop", "api").isPresent()
                        && !views.view().podSourcesSelectedBy("shop", Map.of("app", "api")).isEmpty());
    }

    <T extends HasMetadata> T inApiServer(Class<T> type, String name) {
        return client().resources(type).inNamespace("shop").withName(name).get();
    }

    <T extends HasMetadata> T create(T object) {
        object.getMetadata().setResourceVersion(null);
        object.getMetadata().setUid(null);
        return client().resource(object).create();
    }

    AdmissionResponse post(Reviews review) {
        return given().contentType(ContentType.JSON).body(review.json()).when().post("/validate?timeout=10s")
                .then().statusCode(200).extract().as(AdmissionReview.class).getResponse();
    }

    void assertTheCacheHasNotSeen(String service) {
        assertThat(views.view().service("shop", service)).as("the cache must still lag: " + service).isEmpty();
    }

    Deployment deploymentLike(String from, String name, Map<String, String> labels) {
        var d = inApiServer(Deployment.class, from);
        d.getMetadata().setName(name);
        d.getSpec().getSelector().setMatchLabels(labels);
        d.getSpec().getTemplate().getMetadata().setLabels(labels);
        return d;
    }

    Service serviceLike(String from, String name, Map<String, String> selector) {
        var s = inApiServer(Service.class, from);
        s.getMetadata().setName(name);
        s.getSpec().setSelector(selector);
        s.getSpec().setClusterIP(null);
        s.getSpec().setClusterIPs(null);
        return s;
    }

    Ingress ingressTo(String service, int port) {
        var i = inApiServer(Ingress.class, "web");
        var backend = i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        backend.setName(service);
        backend.getPort().setNumber(port);
        return i;
    }

    @Test
    void aBlueGreenCutoverIsAllowed_whileTheCacheHasNotSeenTheGreenService() {
        create(deploymentLike("web-blue", "web-green", Map.of("app", "web", "color", "green")));
        create(serviceLike("web-blue", "web-green", Map.of("app", "web", "color", "green")));
        assertTheCacheHasNotSeen("web-green");
        var r = post(Reviews.update(ingressTo("web-green", 80), inApiServer(Ingress.class, "web")));
        assertThat(r.getAllowed()).as(String.valueOf(r.getStatus())).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }

    @Test
    void aPortTypoInTheSameWindowIsStillDenied() {
        create(deploymentLike("web-blue", "web-teal", Map.of("app", "web", "color", "teal")));
        create(serviceLike("web-blue", "web-teal", Map.of("app", "web", "color", "teal")));
        assertTheCacheHasNotSeen("web-teal");
        var r = post(Reviews.update(ingressTo("web-teal", 8080), inApiServer(Ingress.class, "web")));
        assertThat(r.getAllowed()).isFalse();
        assertThat(r.getStatus().getMessage()).startsWith("[ingress-service-port-missing] Ingress shop/web "
                + "rules[0].http.paths[0] (shop.example.com/) -> Service shop/web-teal: no port 8080");
    }

    @Test
    void aPortAddedWithItsPathIsAllowed() {
        var service = inApiServer(Service.class, "api");
        service.getSpec().getPorts().add(new ServicePortBuilder().withName("admin").withPort(9090)
                .withTargetPort(new IntOrString("http")).build());
        client().resource(service).update();
        var ingress = inApiServer(Ingress.class, "web");
        ingress.getSpec().getRules().get(0).getHttp().getPaths().add(new HTTPIngressPathBuilder().withPath("/admin")
                .withPathType("Prefix").withNewBackend().withNewService().withName("api").withNewPort()
                .withName("admin").endPort().endService().endBackend().build());
        assertThat(views.view().service("shop", "api").orElseThrow().getSpec().getPorts()).as("the cache lags")
                .hasSize(1);
        var r = post(Reviews.update(ingress, inApiServer(Ingress.class, "web")));
        assertThat(r.getAllowed()).as(String.valueOf(r.getStatus())).isTrue();
    }

    @Test
    void aServiceSwitchedToADeploymentCreatedAMomentBeforeIsAllowed_andATypoIsNot() {
        create(deploymentLike("api", "api-v2", Map.of("app", "api", "version", "v2")));
        var service = inApiServer(Service.class, "api");
        var switched = inApiServer(Service.class, "api");
        switched.getSpec().setSelector(Map.of("app", "api", "version", "v2"));
        var r = post(Reviews.update(switched, service));
        assertThat(r.getAllowed()).as(String.valueOf(r.getStatus())).isTrue();
        var typo = inApiServer(Service.class, "api");
        typo.getSpec().setSelector(Map.of("app", "api", "version", "v3"));
        var denied = post(Reviews.update(typo, service));
        assertThat(denied.getAllowed()).isFalse();
        assertThat(denied.getStatus().getMessage()).startsWith("[service-selects-nothing] ");
    }

    @Test
    void overturnedDenialsAreCounted() {
        create(deploymentLike("web-blue", "web-violet", Map.of("app", "web", "color", "violet")));
        create(serviceLike("web-blue", "web-violet", Map.of("app", "web", "color", "violet")));
        var before = overturned();
        var r = post(Reviews.update(ingressTo("web-violet", 80), inApiServer(Ingress.class, "web")));
        assertThat(r.getAllowed()).isTrue();
        assertThat(overturned()).isEqualTo(before + 1);
    }

    double overturned() {
        var metrics = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("upstream_guard_denials_confirmed_total{")
                && l.contains("result=\"overturned\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
