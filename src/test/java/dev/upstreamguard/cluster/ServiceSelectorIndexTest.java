package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The index from selector pairs to Services: every selecting Service found, without walking the namespace. */
class ServiceSelectorIndexTest {

    static Service service(String name, Map<String, String> selector) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withSelector(selector).addNewPort().withPort(80).endPort().endSpec().build();
    }

    static List<String> selecting(ClusterView view, Map<String, String> labels) {
        return view.servicesSelecting("shop", labels).stream()
                .filter(s -> Labels.matches(s.getSpec().getSelector(), labels))
                .map(s -> s.getMetadata().getName()).sorted().toList();
    }

    static List<String> scan(ClusterView view, Map<String, String> labels) {
        return view.servicesIn("shop").stream()
                .filter(s -> s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty())
                .filter(s -> Labels.matches(s.getSpec().getSelector(), labels))
                .map(s -> s.getMetadata().getName()).sorted().toList();
    }

    @Test
    void aPairEverySelectorHoldsDoesNotMakeEveryServiceACandidate() {
        var index = new ClusterIndex();
        for (int i = 0; i < 500; i++) {
            index.put(service("app-" + i, Map.of("app", "app-" + i, "app.kubernetes.io/part-of", "shop")));
        }
        index.put(service("everything", Map.of("app.kubernetes.io/part-of", "shop")));
        var labels = Map.of("app", "app-7", "app.kubernetes.io/part-of", "shop", "pod-template-hash", "7c9f");

        assertThat(selecting(index, labels)).containsExactly("app-7", "everything");
        assertThat(index.servicesSelecting("shop", labels)).as("candidates, not the namespace").hasSizeLessThan(5);
    }

    @Test
    void everySelectingServiceIsFound_throughPutsReplacementsAndRemovals() {
        var random = new Random(20261130L);
        var keys = List.of("app", "tier", "part-of", "track");
        var values = List.of("a", "b", "c");
        var index = new ClusterIndex();
        for (int step = 0; step < 3_000; step++) {
            var name = "svc-" + random.nextInt(60);
            if (random.nextInt(5) == 0) {
                index.remove(service(name, Map.of()));
            } else {
                var selector = new LinkedHashMap<String, String>();
                for (var k : keys) {
                    if (random.nextInt(3) > 0) {
                        selector.put(k, values.get(random.nextInt(values.size())));
                    }
                }
                index.put(service(name, selector));
            }
            var labels = new LinkedHashMap<String, String>();
            for (var k : keys) {
                if (random.nextInt(4) > 0) {
                    labels.put(k, values.get(random.nextInt(values.size())));
                }
            }
            assertThat(selecting(index, labels)).as("step %d, labels %s", step, labels)
                    .isEqualTo(scan(index, labels));
        }
        for (var s : index.servicesIn("shop")) {
            index.remove(s);
        }
        assertThat(index.indexEntries()).as("nothing left behind").isZero();
    }
}
