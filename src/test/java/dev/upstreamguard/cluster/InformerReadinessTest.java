package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.support.Await;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Readiness is DOWN until every informer has listed its kind once, naming the kinds still missing, and answers are
 * "allowed, not synced yet" meanwhile; once they have, it is UP. An API server that fails the Pod list keeps it DOWN.
 */
class InformerReadinessTest {

    @Test
    void readinessIsDownWhileAnInformerHasNotSynced_thenUp() throws Exception {
        var store = new KubernetesMixedDispatcher(new HashMap<>());
        var podsFail = new java.util.concurrent.atomic.AtomicBoolean(true);
        var dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (podsFail.get() && request.getPath().startsWith("/api/v1/pods")) {
                    return new MockResponse().setResponseCode(500).setBody("{\"kind\":\"Status\",\"code\":500}");
                }
                return store.dispatch(request);
            }
        };
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (var client = server.createClient()) {
            var index = new ClusterIndex();
            try (var feed = new InformerFeed(client, index, Duration.ofMillis(100))) {
                feed.start();
                var views = new ClusterViews(index, feed, Duration.ofSeconds(60));
                var readiness = new CacheReadiness(views);
                Await.until("every kind but Pod has synced", Duration.ofSeconds(20), () -> feed.unsynced().equals(
                        java.util.List.of("Pod")));
                var down = readiness.call();
                assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(down.getData().orElseThrow()).containsEntry("unsynced", "Pod");
                assertThat(views.view().synced()).as("the handler answers 'not synced yet' meanwhile").isFalse();

                podsFail.set(false);
                Await.until("the Pod informer lists on its next try", Duration.ofSeconds(30), () -> feed.synced());
                assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
                assertThat(views.staleness()).isEmpty();
            }
        } finally {
            server.destroy();
        }
    }

    /**
     * An informer's store holds its first list before its handler has put those objects into the index (fabric8
     * hands them over one by one, later). Readiness waits for the index: a guard that said ready with half its pods
     * would judge against a view that lacks them. The handler is made late here with the rehearsal apply delay.
     */
    @Test
    void aKindIsSyncedWhenTheIndexHoldsItsFirstList_notWhenTheInformerDoes() throws Exception {
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (var client = server.createClient()) {
            for (int i = 0; i < 40; i++) {
                client.pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata().withName("web-" + i).withNamespace("shop").endMetadata()
                        .withNewSpec().addNewContainer().withName("web").withImage("web").endContainer().endSpec()
                        .build()).create();
            }
            var index = new ClusterIndex();
            try (var feed = new InformerFeed(client, index, Duration.ofMillis(100), Duration.ofMillis(1500))) {
                feed.start();
                var sawUnsyncedPods = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!feed.synced() && System.nanoTime() < deadline) {
                    sawUnsyncedPods |= feed.unsynced().contains("Pod");
                    Thread.sleep(20);
                }
                assertThat(feed.synced()).isTrue();
                assertThat(index.counts().get("Pod")).as("every listed pod is in the view once synced").isEqualTo(40);
                assertThat(sawUnsyncedPods).isTrue();
            }
        } finally {
            server.destroy();
        }
    }
}
