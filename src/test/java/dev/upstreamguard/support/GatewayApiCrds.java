package dev.upstreamguard.support;

import java.util.List;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * The Gateway API's CustomResourceDefinitions (standard channel: Gateway, HTTPRoute and GRPCRoute v1; ReferenceGrant
 * v1beta1 and v1), registered in a mock API server as a cluster installs them. As a {@code setup} of
 * {@code @WithKubernetesTestServer} they are there before the app starts.
 */
public final class GatewayApiCrds implements Consumer<KubernetesServer> {

    @Override
    public void accept(KubernetesServer server) {
        install(server.getClient());
    }

    /** Creates the four CRDs. */
    public static void install(KubernetesClient client) {
        for (var crd : all()) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    public static List<CustomResourceDefinition> all() {
        return List.of(crd("Gateway", "gateways", version("v1", true)),
                crd("HTTPRoute", "httproutes", version("v1", true)),
                crd("GRPCRoute", "grpcroutes", version("v1", true)),
                crd("ReferenceGrant", "referencegrants", version("v1", false), version("v1beta1", true)));
    }

    private static CustomResourceDefinition crd(String kind, String plural, CustomResourceDefinitionVersion... versions) {
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName(plural + ".gateway.networking.k8s.io")
                .endMetadata().withNewSpec().withGroup("gateway.networking.k8s.io").withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .withVersions(versions).endSpec().build();
    }

    private static CustomResourceDefinitionVersion version(String name, boolean storage) {
        return new CustomResourceDefinitionVersionBuilder().withName(name).withServed(true).withStorage(storage)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().build();
    }
}
