package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.gateway.Attachment.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

/**
 * The Gateway API apps of the real-app corpus (../shared/corpus, see its SOURCES.md), each in a namespace of its own
 * (cafe-cross-namespace in two, mapped as SOURCES.md says): every route attaches through a Gateway or is a mesh route
 * we do not judge, and every Service backendRef names a Service of the app and is permitted. CI passes
 * -Dcorpus.dir; with it set, a missing corpus fails instead of skipping.
 */
class GatewayCorpusTest {
    private static final List<String> APPS = List.of("bookinfo-gateway-api", "cafe-cross-namespace", "cafe-gateway",
            "cafe-traffic-splitting", "grpc-routing");
    private static final ManifestLoader LOADER = new ManifestLoader();

    static Path corpus() {
        var configured = System.getProperty("corpus.dir");
        if (configured != null) {
            var p = Path.of(configured);
            assertThat(p).as("corpus.dir=" + configured).isDirectory();
            return p;
        }
        var sibling = Path.of("../shared/corpus");
        Assumptions.assumeTrue(Files.isDirectory(sibling), "no corpus beside the checkout (CI sets corpus.dir)");
        return sibling;
    }

    /** One app applied as SOURCES.md describes: unset namespace -> the app's, {@code cafe} -> a second one. */
    record App(String name, List<HasMetadata> objects) {
        static App load(String name) {
            var dir = corpus().resolve(name);
            assertThat(dir).as(name).isDirectory();
            var objects = LOADER.read(dir);
            UnaryOperator<String> ns = n -> n.equals("default") ? name : n.equals("cafe") ? name + "-cafe" : n;
            objects.forEach(o -> relocate(o, ns));
            return new App(name, objects);
        }

        List<GatewayRoute> routes() {
            return objects.stream().filter(GatewayRoute::isRoute).map(GatewayRoute::of).toList();
        }

        List<Grant> grants() {
            return objects.stream().filter(Grant::isGrant).map(Grant::of).toList();
        }

        Optional<Gateway> gateway(String namespace, String name) {
            return objects.stream().filter(o -> o instanceof Gateway).map(o -> (Gateway) o)
                    .filter(g -> g.getMetadata().getNamespace().equals(namespace)
                            && g.getMetadata().getName().equals(name)).findFirst();
        }

        Map<String, String> labels(String namespace) {
            return objects.stream().filter(o -> o instanceof Namespace && o.getMetadata().getName().equals(namespace))
                    .findFirst().map(o -> o.getMetadata().getLabels()).orElse(Map.of());
        }

        boolean hasService(ObjectRef ref) {
            return objects.stream().filter(o -> o instanceof Service).anyMatch(o -> ObjectRef.of(o).equals(ref));
        }

        List<Attachment> attachments(GatewayRoute route) {
            return Attachments.all(route, this::gateway, this::labels);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRouteAttachesAndEveryBackendIsPermitted() {
        return APPS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            var app = App.load(name);
            var routes = app.routes();
            assertThat(routes).as(name + " routes").isNotEmpty();
            for (var route : routes) {
                var attachments = app.attachments(route);
                assertThat(attachments).as(route + " parentRefs").isNotEmpty();
                for (var a : attachments) {
                    assertThat(a.attached() || !a.judged())
                            .as(GatewayMessages.attachmentMessage(route.ref(), a)).isTrue();
                }
                assertThat(route.serviceBackends()).as(route + " backends").isNotEmpty();
                for (var b : route.serviceBackends()) {
                    assertThat(app.hasService(b.target())).as(GatewayMessages.chain(b) + ": Service in the app")
                            .isTrue();
                    var p = ReferenceGrants.permission(b, app.grants());
                    assertThat(p.permitted()).as(GatewayMessages.permissionMessage(p)).isTrue();
                }
            }
        }));
    }

    @Test
    void cafeGateway_attachesOnlyBecauseTheWildcardListenerCoversItsHost() {
        var app = App.load("cafe-gateway");
        var coffee = route(app, "coffee");

        assertThat(app.attachments(coffee)).singleElement().extracting(Attachment::attachedThrough)
                .isEqualTo(List.of("http"));
        var other = new GatewayRoute(coffee.ref(), List.of("cafe.example.org"), coffee.parentRefs(), coffee.backends());
        assertThat(app.attachments(other)).singleElement().extracting(Attachment::reason)
                .isEqualTo(Reason.NO_MATCHING_LISTENER_HOSTNAME);
    }

    @Test
    void cafeCrossNamespace_isPermittedByItsGrant_andAGrantLeftNamingDefaultPermitsNothing() {
        var app = App.load("cafe-cross-namespace");
        var tea = route(app, "tea").serviceBackends().get(0);

        assertThat(tea.crossNamespace()).isTrue();
        assertThat(tea.target()).isEqualTo(new ObjectRef("Service", "cafe-cross-namespace-cafe", "tea"));
        assertThat(ReferenceGrants.permission(tea, app.grants()).grant())
                .isEqualTo(new ObjectRef("ReferenceGrant", "cafe-cross-namespace-cafe", "access-to-cafe-services"));

        var unmapped = app.grants().stream().map(g -> new Grant(g.ref(), g.from().stream()
                .map(f -> new Grant.From(f.group(), f.kind(), "default")).toList(), g.to())).toList();
        var refused = ReferenceGrants.permission(tea, unmapped);
        assertThat(refused.permitted()).isFalse();
        assertThat(refused.explanation()).contains("permits HTTPRoute from namespace default, not cafe-cross-namespace");
    }

    @Test
    void trafficSplitting_listsBothWeightedBackends() {
        var route = route(App.load("cafe-traffic-splitting"), "cafe-route");

        assertThat(route.serviceBackends()).extracting(RouteBackend::name, RouteBackend::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("coffee-v1", 80),
                        org.assertj.core.groups.Tuple.tuple("coffee-v2", 20));
    }

    @Test
    void grpcRouting_grpcRoutesAttachToHttpListeners_byKindDefaultAndByGrpcOnlyKinds() {
        var app = App.load("grpc-routing");

        assertThat(app.routes()).extracting(GatewayRoute::kind).containsOnly("GRPCRoute").hasSize(3);
        assertThat(app.attachments(route(app, "backend-v1")).get(0).attachedThrough()).containsExactly("listener-1");
        assertThat(app.attachments(route(app, "backend-v2")).get(0).attachedThrough()).containsExactly("listener-2");
        assertThat(app.attachments(route(app, "exact-matching")).get(0).attachedThrough()).containsExactly("http");
        assertThat(route(app, "exact-matching").backends().get(0).where()).isEqualTo("* helloworld.Greeter/SayHello");

        // the same route as an HTTPRoute is refused by listener-1, which admits GRPCRoute only
        var v1 = route(app, "backend-v1");
        var asHttp = new GatewayRoute(new ObjectRef("HTTPRoute", v1.namespace(), v1.ref().name()), v1.hostnames(),
                v1.parentRefs(), v1.backends());
        assertThat(app.attachments(asHttp).get(0).reason()).isEqualTo(Reason.NOT_ALLOWED_BY_LISTENERS);
    }

    @Test
    void bookinfo_meshRoutesAreNotJudged_theGatewayRouteAttaches() {
        var app = App.load("bookinfo-gateway-api");
        var reasons = new ArrayList<Reason>();
        app.routes().forEach(r -> app.attachments(r).forEach(a -> reasons.add(a.reason())));

        assertThat(reasons).containsExactlyInAnyOrder(Reason.ACCEPTED, Reason.NOT_A_GATEWAY, Reason.NOT_A_GATEWAY,
                Reason.NOT_A_GATEWAY, Reason.NOT_A_GATEWAY);
    }

    private static GatewayRoute route(App app, String name) {
        return app.routes().stream().filter(r -> r.ref().name().equals(name)).findFirst().orElseThrow();
    }

    /** Moves an object and the namespaces its references name, as applying it into other namespaces would. */
    private static void relocate(HasMetadata o, UnaryOperator<String> ns) {
        if (o instanceof Namespace) {
            o.getMetadata().setName(ns.apply(o.getMetadata().getName()));
            return;
        }
        o.getMetadata().setNamespace(ns.apply(o.getMetadata().getNamespace()));
        if (o instanceof HTTPRoute r && r.getSpec() != null) {
            relocateParents(r.getSpec().getParentRefs(), ns);
            if (r.getSpec().getRules() != null) {
                r.getSpec().getRules().stream().filter(rule -> rule.getBackendRefs() != null)
                        .flatMap(rule -> rule.getBackendRefs().stream())
                        .filter(b -> b.getNamespace() != null).forEach(b -> b.setNamespace(ns.apply(b.getNamespace())));
            }
        } else if (o instanceof GRPCRoute r && r.getSpec() != null) {
            relocateParents(r.getSpec().getParentRefs(), ns);
            if (r.getSpec().getRules() != null) {
                r.getSpec().getRules().stream().filter(rule -> rule.getBackendRefs() != null)
                        .flatMap(rule -> rule.getBackendRefs().stream())
                        .filter(b -> b.getNamespace() != null).forEach(b -> b.setNamespace(ns.apply(b.getNamespace())));
            }
        } else if (o instanceof GenericKubernetesResource g && Grant.isGrant(g)) {
            List<Map<String, Object>> from = g.get("spec", "from");
            from.forEach(f -> f.put("namespace", ns.apply((String) f.get("namespace"))));
        } else if (o instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant g) {
            g.getSpec().getFrom().forEach(f -> f.setNamespace(ns.apply(f.getNamespace())));
        }
    }

    private static void relocateParents(List<ParentReference> parents, UnaryOperator<String> ns) {
        if (parents != null) {
            parents.stream().filter(p -> p.getNamespace() != null).forEach(p -> p.setNamespace(ns.apply(p.getNamespace())));
        }
    }
}
