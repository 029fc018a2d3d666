package dev.upstreamguard.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;

/** A classless Ingress against a cluster with and without a default IngressClass (the fixtures have none). */
class IngressClassMissingTest {
    private final IngressClassMissing rule = new IngressClassMissing();
    private final Ingress classless = new IngressBuilder().withNewMetadata().withNamespace("shop").withName("web")
            .endMetadata().withNewSpec().addNewRule().withHost("shop.example.com").endRule().endSpec().build();

    private static ClusterIndex clusterWith(boolean nginxIsDefault) {
        var index = new ClusterIndex();
        var nginx = new IngressClassBuilder().withNewMetadata().withName("nginx").endMetadata().withNewSpec()
                .withController("k8s.io/ingress-nginx").endSpec().build();
        if (nginxIsDefault) {
            nginx.getMetadata().setAnnotations(new HashMap<>(
                    Map.of(IngressNginx.DEFAULT_CLASS_ANNOTATION, "true")));
        }
        index.put(nginx);
        return index;
    }

    @Test
    void acceptsClasslessIngress_whenADefaultClassExists() {
        assertEquals(List.of(), rule.check(classless, clusterWith(true)));
    }

    @Test
    void warnsOnClasslessIngress_whenNoClassIsDefault() {
        var findings = rule.check(classless, clusterWith(false));
        assertEquals(1, findings.size());
        assertEquals(Severity.WARNING, findings.get(0).severity());
    }

    @Test
    void defaultClassIsTheEffectiveClass_ofAClasslessIngress() {
        assertEquals("nginx", IngressNginx.effectiveClass(classless, clusterWith(true)).orElseThrow());
        assertEquals(Optional.empty(), IngressNginx.effectiveClass(classless, clusterWith(false)));
    }
}
