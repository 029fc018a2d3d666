package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The order each tool applies a bundle in: kinds, hooks, sync waves, dry runs, file order. */
class ApplyOrderTest {

    static BundleObject object(String apiVersion, String kind, String name, Map<String, String> annotations) {
        HasMetadata o = new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind).withNewMetadata()
                .withName(name).withNamespace("shop").withAnnotations(annotations).endMetadata().build();
        return BundleObject.of(o);
    }

    static BundleObject object(String kind, String name) {
        return object("v1", kind, name, Map.of());
    }

    static List<String> names(ApplyOrder.Step step) {
        return step.objects().stream().map(b -> b.object().getKind() + "/" + b.object().getMetadata().getName()).toList();
    }

    static final List<BundleObject> BUNDLE = List.of(object("Ingress", "web"), object("HTTPRoute", "web"),
            object("Deployment", "web"), object("Gateway", "gw"), object("Service", "web"), object("ConfigMap", "b"),
            object("ConfigMap", "a"), object("Namespace", "shop"));

    @Test
    void helmAppliesInItsKindOrderUnknownKindsLastByKindAndKeepsFileOrderWithinAKind() {
        var steps = ApplyOrder.HELM.plan(BUNDLE);
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).dryRun()).isFalse();
        assertThat(names(steps.get(0))).containsExactly("Namespace/shop", "ConfigMap/b", "ConfigMap/a", "Service/web",
                "Deployment/web", "Ingress/web", "Gateway/gw", "HTTPRoute/web");
    }

    @Test
    void helmRunsPreInstallHooksFirstAndOtherHooksLast() {
        var bundle = List.of(object("v1", "Pod", "test", Map.of("helm.sh/hook", "test")), object("Service", "web"),
                object("batch/v1", "Job", "migrate", Map.of("helm.sh/hook", "pre-install,pre-upgrade")));
        assertThat(names(ApplyOrder.HELM.plan(bundle).get(0))).containsExactly("Job/migrate", "Service/web", "Pod/test");
    }

    @Test
    void argoCdGoesByPhaseThenWaveThenKindThenName() {
        var bundle = List.of(object("v1", "Service", "late", Map.of("argocd.argoproj.io/sync-wave", "1")),
                object("Ingress", "web"), object("Service", "zeta"), object("Service", "alpha"),
                object("v1", "Service", "early", Map.of("argocd.argoproj.io/sync-wave", "-1")),
                object("batch/v1", "Job", "smoke", Map.of("argocd.argoproj.io/hook", "PostSync")),
                object("batch/v1", "Job", "migrate", Map.of("argocd.argoproj.io/hook", "PreSync")));
        assertThat(names(ApplyOrder.ARGOCD.plan(bundle).get(0))).containsExactly("Job/migrate", "Service/early",
                "Service/alpha", "Service/zeta", "Ingress/web", "Service/late", "Job/smoke");
    }

    @Test
    void aSyncWaveThatIsNoNumberIsBadInput() {
        var bundle = List.of(object("v1", "Service", "web", Map.of("argocd.argoproj.io/sync-wave", "first")));
        assertThatThrownBy(() -> ApplyOrder.ARGOCD.plan(bundle)).isInstanceOf(CheckInputException.class)
                .hasMessageContaining("argocd.argoproj.io/sync-wave \"first\" is not an integer");
    }

    @Test
    void fluxDryRunsTheWholeBatchThenAppliesItInKindOrder() {
        var steps = ApplyOrder.FLUX.plan(BUNDLE);
        assertThat(steps).extracting(ApplyOrder.Step::name, ApplyOrder.Step::dryRun)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dry-run", true),
                        org.assertj.core.groups.Tuple.tuple("apply", false));
        assertThat(names(steps.get(0))).isEqualTo(names(steps.get(1))).startsWith("Namespace/shop");
    }

    @Test
    void kubectlKeepsTheOrderItWasGiven() {
        assertThat(names(ApplyOrder.KUBECTL.plan(BUNDLE).get(0))).isEqualTo(BUNDLE.stream()
                .map(b -> b.object().getKind() + "/" + b.object().getMetadata().getName()).toList());
    }
}
