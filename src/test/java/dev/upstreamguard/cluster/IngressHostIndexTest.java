package dev.upstreamguard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;

/** The host -> Ingress index behind {@link ClusterView#ingressesClaimingHost}, in the index and in the overlay. */
class IngressHostIndexTest {

    private static Ingress ingress(String ns, String name, String... hosts) {
        var b = new IngressBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withNewSpec();
        for (var host : hosts) {
            b = b.addNewRule().withHost(host.equals("*") ? null : host).withNewHttp().addNewPath().withPath("/")
                    .withPathType("Prefix").withNewBackend().withNewService().withName("web").withNewPort()
                    .withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule();
        }
        return b.endSpec().build();
    }

    private static List<String> names(List<Ingress> list) {
        return list.stream().map(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()).sorted().toList();
    }

    @Test
    void findsIngressesAcrossNamespaces_byHost() {
        var index = new ClusterIndex();
        index.put(ingress("a", "one", "shop.example.com"));
        index.put(ingress("b", "two", "shop.example.com", "api.example.com"));
        index.put(ingress("c", "three", "*"));
        assertEquals(List.of("a/one", "b/two"), names(index.ingressesClaimingHost("shop.example.com")));
        assertEquals(List.of("b/two"), names(index.ingressesClaimingHost("api.example.com")));
        assertEquals(List.of("c/three"), names(index.ingressesClaimingHost("*")));
        assertEquals(List.of("c/three"), names(index.ingressesClaimingHost(null)));
        assertEquals(List.of(), index.ingressesClaimingHost("other.example.com"));
    }

    @Test
    void forgetsOldHosts_onUpdateAndRemove() {
        var index = new ClusterIndex();
        index.put(ingress("a", "one", "shop.example.com"));
        index.put(ingress("a", "one", "api.example.com"));
        assertEquals(List.of(), index.ingressesClaimingHost("shop.example.com"));
        assertEquals(List.of("a/one"), names(index.ingressesClaimingHost("api.example.com")));
        index.remove(ingress("a", "one"));
        assertEquals(List.of(), index.ingressesClaimingHost("api.example.com"));
    }

    @Test
    void ignoresRulesWithoutPaths() {
        var index = new ClusterIndex();
        var tlsOnly = new IngressBuilder().withNewMetadata().withNamespace("a").withName("tls").endMetadata()
                .withNewSpec().addNewRule().withHost("shop.example.com").endRule().endSpec().build();
        index.put(tlsOnly);
        assertEquals(List.of(), index.ingressesClaimingHost("shop.example.com"));
    }

    @Test
    void overlayReplacesTheChangedIngress() {
        var index = new ClusterIndex();
        index.put(ingress("a", "one", "shop.example.com"));
        index.put(ingress("b", "two", "shop.example.com"));
        var moved = index.with(ingress("a", "one", "api.example.com"));
        assertEquals(List.of("b/two"), names(moved.ingressesClaimingHost("shop.example.com")));
        assertEquals(List.of("a/one"), names(moved.ingressesClaimingHost("api.example.com")));
        var created = index.with(ingress("c", "new", "shop.example.com"));
        assertEquals(List.of("a/one", "b/two", "c/new"), names(created.ingressesClaimingHost("shop.example.com")));
        var deleted = index.without(new ObjectRef("Ingress", "a", "one"));
        assertEquals(List.of("b/two"), names(deleted.ingressesClaimingHost("shop.example.com")));
    }
}
