package dev.upstreamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.support.ApplySimulator;
import dev.upstreamguard.support.LaggingCluster;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Release stories applied while the guard's cache lags the API server: every write of a step reaches the cache only
 * after the step (Helm sends its next request within a millisecond; the watch event arrives tens of milliseconds
 * later). A denial that rests on the cache is confirmed on a fresh read before it is given: the good releases pass,
 * the genuine mistakes in the same window are still denied.
 */
class CacheLagTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    LaggingCluster cluster;

    @BeforeEach
    void seed() {
        cluster = new LaggingCluster();
        new ManifestLoader().read(Path.of("src/test/resources/lag/blue-green.yaml")).forEach(cluster::seed);
    }

    <T extends HasMetadata> T live(Class<T> type, String kind, String name) {
        return type.cast(K8S.clone(cluster.live(new ObjectRef(kind, "shop", name)).orElseThrow()));
    }

    ApplySimulator helm() {
        return new ApplySimulator(cluster, PolicySettings.defaults());
    }

    Deployment green() {
        var d = live(Deployment.class, "Deployment", "web-blue");
        d.getMetadata().setName("web-green");
        d.getMetadata().setUid("d-web-green");
        d.getSpec().getSelector().setMatchLabels(Map.of("app", "web", "color", "green"));
        d.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "web", "color", "green"));
        return d;
    }

    Service greenService() {
        var s = live(Service.class, "Service", "web-blue");
        s.getMetadata().setName("web-green");
        s.getSpec().setSelector(Map.of("app", "web", "color", "green"));
        return s;
    }

    Ingress ingressTo(String service, IntOrString port) {
        var i = live(Ingress.class, "Ingress", "web");
        var backend = i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        backend.setName(service);
        backend.getPort().setNumber(port.getIntVal());
        backend.getPort().setName(port.getStrVal());
        return i;
    }

    static List<String> denials(ApplySimulator sim) {
        return sim.denials().stream().map(a -> a.ref() + ": " + a.response().getStatus().getMessage()).toList();
    }

    @Test
    void allowsABlueGreenCutover_whileTheCacheHasNotSeenTheNewService() {
        var sim = helm();
        sim.apply("upgrade", ApplySimulator.inKindOrder(List.of(green(), greenService(), ingressTo("web-green",
                new IntOrString(80)))), false);
        assertThat(denials(sim)).isEmpty();
        assertThat(cluster.reads()).as("the Ingress's would-be denial was read fresh, not given").isPositive();
        var ingress = sim.answers().stream().filter(a -> a.ref().kind().equals("Ingress")).findFirst().orElseThrow();
        assertThat(ingress.response().getAllowed()).isTrue();
        assertThat(ingress.response().getWarnings()).as("nothing to warn about: the route resolves").isNullOrEmpty();
    }

    @Test
    void stillDeniesAPortTypo_inTheSameWindow() {
        var sim = helm();
        sim.apply("upgrade", ApplySimulator.inKindOrder(List.of(green(), greenService(), ingressTo("web-green",
                new IntOrString(8080)))), false);
        var denied = denials(sim);
        assertThat(denied).hasSize(1);
        assertThat(denied.get(0)).startsWith("Ingress shop/web: [ingress-service-port-missing]")
                .contains("Service shop/web-green: no port 8080 (it has 80/\"http\")")
                .contains("Fix: use port 80");
    }

    @Test
    void allowsAPortAddedWithItsPath() {
        var service = live(Service.class, "Service", "api");
        service.getSpec().getPorts().add(new ServicePortBuilder().withName("admin").withPort(9090)
                .withTargetPort(new IntOrString("http")).build());
        var ingress = live(Ingress.class, "Ingress", "web");
        ingress.getSpec().getRules().get(0).getHttp().getPaths().add(new HTTPIngressPathBuilder().withPath("/admin")
                .withPathType("Prefix").withNewBackend().withNewService().withName("api").withNewPort()
                .withName("admin").endPort().endService().endBackend().build());
        var sim = helm();
        sim.apply("upgrade", List.of(service, ingress), false);
        assertThat(denials(sim)).isEmpty();
    }

    @Test
    void allowsAServiceSwitchedToADeploymentCreatedAMomentBefore() {
        var v2 = live(Deployment.class, "Deployment", "api");
        v2.getMetadata().setName("api-v2");
        v2.getMetadata().setUid("d-api-v2");
        v2.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "api", "version", "v2"));
        var service = live(Service.class, "Service", "api");
        service.getSpec().setSelector(Map.of("app", "api", "version", "v2"));
        var sim = helm();
        sim.apply("upgrade", List.of(v2, service), false); // the Deployment first (its own release, or a sync wave)
        assertThat(denials(sim)).isEmpty();
    }

    @Test
    void stillDeniesASelectorTypo_inTheSameWindow() {
        var v2 = live(Deployment.class, "Deployment", "api");
        v2.getMetadata().setName("api-v2");
        v2.getMetadata().setUid("d-api-v2");
        v2.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "api", "version", "v2"));
        var service = live(Service.class, "Service", "api");
        service.getSpec().setSelector(Map.of("app", "api", "version", "v3"));
        var sim = helm();
        sim.apply("upgrade", List.of(v2, service), false);
        assertThat(denials(sim)).singleElement().asString().startsWith("Service shop/api: [service-selects-nothing]")
                .contains("version=v3");
    }

    @Test
    void allowsWithAWarning_whenTheFreshReadFails() {
        cluster.failReads(true);
        var service = live(Service.class, "Service", "api");
        service.getSpec().setSelector(Map.of("app", "api", "version", "v3"));
        var handler = Reviews.handler(cluster.cache(), PolicySettings.defaults())
                .confirmingWith(cluster, java.time.Duration.ofSeconds(2));
        AdmissionResponse r = Reviews.update(service, live(Service.class, "Service", "api")).answerWith(handler);
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w)
                .startsWith("[service-selects-nothing] unconfirmed, would deny: "));
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w)
                .startsWith("[upstream-guard] denial not confirmed against the API server"));
        assertThat(handler.confirmations().unconfirmed()).isEqualTo(1);
        assertThat(handler.counters().unconfirmed()).isEqualTo(1);
    }

    @Test
    void countsTheDenialsAFreshReadOverturned() {
        var handler = Reviews.handler(cluster.cache(), PolicySettings.defaults())
                .confirmingWith(cluster, java.time.Duration.ofSeconds(2));
        cluster.put(green()); // the API server has them, the cache not yet
        cluster.put(greenService());
        var r = Reviews.update(ingressTo("web-green", new IntOrString(80)), live(Ingress.class, "Ingress", "web"))
                .answerWith(handler);
        assertThat(r.getAllowed()).isTrue();
        assertThat(handler.confirmations().overturned()).isEqualTo(1);
        assertThat(handler.confirmations().upheld()).isZero();
        var typo = Reviews.update(ingressTo("web-green", new IntOrString(81)), live(Ingress.class, "Ingress", "web"))
                .answerWith(handler);
        assertThat(typo.getAllowed()).isFalse();
        assertThat(handler.confirmations().upheld()).isEqualTo(1);
    }

    @Test
    void allowsWithAWarning_whenNoTimeIsLeftToConfirm() {
        var handler = Reviews.handler(cluster.cache(), PolicySettings.defaults())
                .confirmingWith(cluster, java.time.Duration.ofMillis(5));
        var service = live(Service.class, "Service", "api");
        service.getSpec().setSelector(Map.of("app", "api", "version", "v3"));
        var r = Reviews.update(service, live(Service.class, "Service", "api")).answerWith(handler);
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).contains("no time left"));
        assertThat(cluster.reads()).as("no read started without the time to finish it").isZero();
    }
}
