package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.LogCapture;
import dev.upstreamguard.support.ResponseContract;
import dev.upstreamguard.support.RestartableApiServer;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Faults of the API server behind the informers, end to end against a CRUD mock that can go down and come back on
 * the same port: many reviews while objects churn; an outage (answers keep coming from the cache, readiness stays up,
 * past {@code upstream-guard.cache.max-staleness} denials become warnings saying the view is stale); the recovery (the
 * informers relist and see what changed meanwhile); an informer that stops for good (restarted from its state).
 */
@QuarkusTest
@TestProfile(ApiServerOutageTest.ShortStaleness.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiServerOutageTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A view is stale after 2 s without a watch; the API server is one that can be stopped. */
    public static class ShortStaleness implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upstream-guard.cache.max-staleness", "2s", "quarkus.http.test-port", "0",
                    // come back fast after the outage: the reconnect backoff doubles from here
                    "quarkus.kubernetes-client.watch-reconnect-interval", "PT0.1S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartableApiServer.class));
        }
    }

    RestartableApiServer apiServer;

    @Inject
    ClusterViews views;

    @TestHTTPResource("/validate")
    URI validate;

    @TestHTTPResource(value = "health/ready", management = true)
    URI ready;

    @BeforeEach
    void createDemoClusterInTheApiServer() {
        apiServer.up();
        var client = apiServer.client();
        if (client.services().inNamespace("shop").withName("api").get() == null) {
            for (var o : new ManifestLoader().read(Path.of("examples/demo-cluster"))) {
                o.getMetadata().setUid(null);
                client.resource(o).create();
            }
        }
        Await.until("the informers see the demo cluster", Duration.ofSeconds(30),
                () -> views.view().synced() && !views.view().backendsNaming("shop", "api").isEmpty()
                        && views.view().service("shop", "api").isPresent() && views.staleness().isEmpty());
    }

    AdmissionResponse post(byte[] body) throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(validate + "?timeout=10s"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Reviews.MAPPER.readValue(response.body(), AdmissionReview.class).getResponse();
    }

    byte[] selectorTypo(String uid) {
        Service api = views.view().service("shop", "api").orElseThrow();
        Service typo = K8S.clone(api);
        typo.getSpec().setSelector(Map.of("app", "apii"));
        return Reviews.update(typo, api).uid(uid).json();
    }

    int readiness() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static Service churnService(int port) {
        return new ServiceBuilder().withNewMetadata().withName("churn").withNamespace("shop").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withName("http").withPort(port)
                .withTargetPort(new IntOrString("http")).endPort().endSpec().build();
    }

    @Test
    @Order(1)
    void manyParallelReviewsWhileObjectsChurn_everyAnswerFitsAViewThatExisted() throws Exception {
        Ingress live = views.view().ingress("shop", "web").orElseThrow();
        Ingress edited = K8S.clone(live);
        edited.getSpec().getRules().add(new IngressRuleBuilder().withHost("churn.example.com").withNewHttp()
                .withPaths(new HTTPIngressPathBuilder().withPath("/").withPathType("Prefix").withNewBackend()
                        .withNewService().withName("churn").withNewPort().withNumber(80).endPort().endService()
                        .endBackend().build()).endHttp().build());
        var stop = new AtomicBoolean();
        var client = apiServer.client();
        var pool = Executors.newFixedThreadPool(9);
        var problems = new ConcurrentLinkedQueue<String>();
        var seen = new ConcurrentLinkedQueue<String>();
        try {
            // the churn: Service shop/churn appears with port 80, moves to 81, disappears; again and again
            var churn = pool.submit(() -> {
                int round = 0;
                while (!stop.get()) {
                    client.resource(churnService(80)).create();
                    client.services().inNamespace("shop").withName("churn").edit(svc -> {
                        svc.getSpec().getPorts().get(0).setPort(81);
                        return svc;
                    });
                    client.services().inNamespace("shop").withName("churn").delete();
                    round++;
                }
                return round;
            });
            var reviewers = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                reviewers.add(pool.submit(() -> {
                    int n = 0;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                    while (System.nanoTime() < end) {
                        var uid = "churn-" + thread + "-" + n++;
                        try {
                            var r = post(Reviews.update(edited, live).uid(uid).json());
                            var shape = shape(r);
                            seen.add(shape);
                            if (shape.startsWith("?") || !uid.equals(r.getUid())) {
                                problems.add(uid + ": " + shape);
                            }
                            ResponseContract.check(r, uid, uid);
                        } catch (Exception | AssertionError e) {
                            problems.add(uid + ": " + e);
                        }
                    }
                    return n;
                }));
            }
            int reviews = 0;
            for (var f : reviewers) {
                reviews += f.get(30, TimeUnit.SECONDS);
            }
            stop.set(true);
            int rounds = churn.get(30, TimeUnit.SECONDS);
            var shapes = seen.stream().distinct().sorted().toList();
            System.out.printf("ApiServerOutageTest: %d reviews while Service shop/churn went round %d times; answers: %s%n",
                    reviews, rounds, shapes);
            assertThat(problems).isEmpty();
            assertThat(reviews).isGreaterThan(50);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** The three answers a view can give: churn absent, churn on port 80, churn on port 81; anything else is "?". */
    static String shape(AdmissionResponse r) {
        var warnings = r.getWarnings() == null ? List.<String>of() : r.getWarnings();
        boolean missing = warnings.stream().anyMatch(w -> w.startsWith("[ingress-service-missing] not found yet: "
                + "Ingress shop/web (churn.example.com/)"));
        boolean anyIngressFinding = warnings.stream().anyMatch(w -> w.startsWith("[ingress-service-"));
        if (r.getAllowed() && missing) {
            return "absent: allowed, not found yet";
        }
        if (r.getAllowed() && !anyIngressFinding) {
            return "port 80: allowed";
        }
        if (!r.getAllowed() && r.getStatus().getMessage().startsWith("[ingress-service-port-missing] Ingress shop/web")
                && r.getStatus().getMessage().contains("Service shop/churn: no port 80")) {
            return "port 81: denied";
        }
        return "? allowed=" + r.getAllowed() + " warnings=" + warnings
                + (r.getStatus() == null ? "" : " message=" + r.getStatus().getMessage());
    }

    @Test
    @Order(2)
    void anOutageKeepsAnswersComing_staleDenialsBecomeWarnings_andTheRecoverySeesWhatChanged() throws Exception {
        assertThat(post(selectorTypo("before")).getAllowed()).isFalse();
        assertThat(views.stalenessSeconds()).isZero();

        apiServer.down();
        long downAt = System.nanoTime(); // destroy() took a while: the informers saw the watches close at its start
        var during = post(selectorTypo("fresh-enough"));
        if (System.nanoTime() - downAt < TimeUnit.MILLISECONDS.toNanos(1500)) {
            assertThat(during.getAllowed()).as("within the staleness window the cache still denies").isFalse();
        }
        assertThat(readiness()).as("readiness does not flap on a dropped watch").isEqualTo(200);

        Await.until("the view is stale", Duration.ofSeconds(15), () -> views.staleness().isPresent());
        var stale = post(selectorTypo("stale-1"));
        System.out.printf("ApiServerOutageTest: stale answer after %d ms down: allowed=%s warnings=%s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt), stale.getAllowed(), stale.getWarnings());
        assertThat(stale.getUid()).isEqualTo("stale-1");
        assertThat(stale.getAllowed()).isTrue();
        assertThat(stale.getWarnings()).anySatisfy(w -> assertThat(w)
                .startsWith("[service-selects-nothing] stale view, would deny: "));
        assertThat(stale.getWarnings()).anySatisfy(w -> assertThat(w)
                .matches("\\[upstream-guard\\] cluster view stale for \\d+s \\((\\w+, )?\\w+( \\+\\d+ more)? not watching\\): "
                        + "would deny, allowed instead"));
        ResponseContract.check(stale, "stale-1", "stale");
        assertThat(readiness()).as("still ready: a stale view warns, it does not take the pod out").isEqualTo(200);
        assertThat(views.stalenessSeconds()).isGreaterThanOrEqualTo(2);
        assertThat(views.stalenessSecondsByKind()).containsKeys("Service", "Pod", "Ingress")
                .containsValue(views.stalenessSeconds());
        Await.until("every kind reports its staleness", Duration.ofSeconds(10),
                () -> views.stalenessSecondsByKind().values().stream().allMatch(s -> s >= 1));

        // meanwhile, the cluster changes: a Service appears, another goes
        apiServer.whileDown(c -> {
            c.resource(new ServiceBuilder(churnService(80)).editMetadata().withName("search").endMetadata().build())
                    .create();
            c.services().inNamespace("shop").withName("cart").delete();
        });
        assertThat(views.view().service("shop", "search")).as("not seen while down").isEmpty();

        // as after an outage longer than etcd's compaction window: resumed watches get 410 Gone, informers relist
        apiServer.expireWatchesOnNextStart();
        apiServer.up();
        long upAt = System.nanoTime();
        try {
            Await.until("the informers relist and watch again", Duration.ofSeconds(30),
                    () -> views.staleness().isEmpty() && views.view().service("shop", "search").isPresent()
                            && views.view().service("shop", "cart").isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; not watching for: " + views.stalenessSecondsByKind()
                    + ", search " + views.view().service("shop", "search").isPresent() + ", cart "
                    + views.view().service("shop", "cart").isPresent(), e);
        }
        System.out.printf("ApiServerOutageTest: recovered %d ms after the API server came back%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt));
        assertThat(post(selectorTypo("after")).getAllowed()).as("fresh again: denies").isFalse();
        Await.until("every informer watches again", Duration.ofSeconds(30), () -> views.stalenessSeconds() == 0);
    }

    @Test
    @Order(3)
    void anInformerThatStopsForGoodIsRestarted_andCatchesUpOnWhatItMissed() throws Exception {
        var feed = views.feed().orElseThrow();
        var client = apiServer.client();
        client.resource(new PodBuilder().withNewMetadata().withName("stray").withNamespace("shop")
                .withLabels(Map.of("app", "stray")).endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("x").endContainer().endSpec().build()).create();
        if (client.services().inNamespace("shop").withName("search").get() == null) {
            client.resource(new ServiceBuilder(churnService(80)).editMetadata().withName("search").endMetadata().build())
                    .create();
        }
        Await.until("the informers see the stray pod and Service shop/search", Duration.ofSeconds(10),
                () -> !views.view().podSourcesSelectedBy("shop", Map.of("app", "stray")).isEmpty()
                        && views.view().service("shop", "search").isPresent());

        try (var logs = LogCapture.of("dev.upstreamguard.cluster", Level.INFO)) {
            var oldServices = feed.informer("Service");
            var oldPods = feed.informer("Pod");
            oldServices.stop();
            oldPods.stop();
            // what the stopped informers miss
            client.services().inNamespace("shop").withName("search").delete();
            client.pods().inNamespace("shop").withName("stray").delete();
            client.resource(new ServiceBuilder(churnService(80)).editMetadata().withName("late").endMetadata().build())
                    .create();

            Await.until("both informers are replaced", Duration.ofSeconds(10),
                    () -> feed.informer("Service") != oldServices && feed.informer("Pod") != oldPods);
            Await.until("the new informers catch up: deletions included", Duration.ofSeconds(20),
                    () -> views.view().service("shop", "late").isPresent()
                            && views.view().service("shop", "search").isEmpty()
                            && views.view().podSourcesSelectedBy("shop", Map.of("app", "stray")).isEmpty());
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l.message())
                    .matches("Informer for Service stopped \\(.*\\); restarting it from its \\d+ cached objects"));
            assertThat(views.unsynced()).as("a restarted informer does not unsync its kind").isEmpty();
            assertThat(readiness()).isEqualTo(200);
        }
        assertThat(post(selectorTypo("after-restart")).getAllowed()).isFalse();
    }
}
