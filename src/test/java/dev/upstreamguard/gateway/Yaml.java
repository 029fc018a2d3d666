package dev.upstreamguard.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.upstreamguard.cluster.ManifestLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;

/** Small YAML fixtures for the Gateway API tests, read the way the manifest view reads files. */
final class Yaml {
    private static final ManifestLoader LOADER = new ManifestLoader();

    private Yaml() {
    }

    static List<HasMetadata> all(String yaml) {
        return LOADER.parse(yaml, "test");
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T one(String yaml, Class<T> type) {
        var objects = all(yaml);
        if (objects.size() != 1 || !type.isInstance(objects.get(0))) {
            throw new IllegalArgumentException("expected one " + type.getSimpleName() + ", got " + objects);
        }
        return (T) objects.get(0);
    }

    static GatewayRoute route(String yaml) {
        return GatewayRoute.of(all(yaml).get(0));
    }

    /** Looks Gateways up among {@code gateways} by namespace and name. */
    static BiFunction<String, String, Optional<Gateway>> gateways(Gateway... gateways) {
        return (ns, name) -> List.of(gateways).stream()
                .filter(g -> g.getMetadata().getNamespace().equals(ns) && g.getMetadata().getName().equals(name))
                .findFirst();
    }

    /** Namespace labels: {@code "shop", Map.of("env", "prod"), ...}; unknown namespaces have none. */
    static Function<String, Map<String, String>> labels(Object... namespaceAndLabels) {
        var map = new HashMap<String, Map<String, String>>();
        for (int i = 0; i < namespaceAndLabels.length; i += 2) {
            @SuppressWarnings("unchecked")
            var labels = (Map<String, String>) namespaceAndLabels[i + 1];
            map.put((String) namespaceAndLabels[i], labels);
        }
        return map::get;
    }
}
