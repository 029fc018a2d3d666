package dev.upstreamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** One test per row of the decision table (DESIGN §2) and per exemption, on the demo cluster. */
class DecisionTableTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    ClusterIndex cluster;

    @BeforeEach
    void loadDemo() {
        cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    }

    <T extends HasMetadata> T live(Class<T> type, String kind, String name) {
        HasMetadata o = switch (kind) {
            case "Service" -> cluster.service("shop", name).orElseThrow();
            case "Ingress" -> cluster.ingress("shop", name).orElseThrow();
            default -> cluster.workload(kind, "shop", name).orElseThrow();
        };
        return type.cast(SERIALIZATION.clone(o));
    }

    Service api() {
        return live(Service.class, "Service", "api");
    }

    Service selectorTypo() {
        var s = api();
        s.getSpec().setSelector(Map.of("app", "apii"));
        return s;
    }

    Ingress ingress() {
        return live(Ingress.class, "Ingress", "web");
    }

    AdmissionResponse answer(Reviews review) {
        return answer(review, PolicySettings.defaults());
    }

    AdmissionResponse answer(Reviews review, PolicySettings settings) {
        return review.answerWith(Reviews.handler(cluster, settings));
    }

    static void assertDenied(AdmissionResponse r, String rule) {
        assertThat(r.getAllowed()).as("allowed").isFalse();
        assertThat(r.getStatus().getCode()).isEqualTo(403);
        assertThat(r.getStatus().getMessage()).startsWith("[" + rule + "] ");
    }

    static void assertWarned(AdmissionResponse r, String rule, String qualifier) {
        assertThat(r.getAllowed()).as("allowed").isTrue();
        assertThat(r.getStatus()).isNull();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith("[" + rule + "] " + qualifier));
    }

    static void assertSilent(AdmissionResponse r) {
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
    }

    // ---- the rows -------------------------------------------------------------------------------------------

    @Test
    void deniesSelectorThatMatchesNoPods_onRoutedService() {
        var r = answer(Reviews.update(selectorTypo(), api()));
        assertDenied(r, "service-selects-nothing");
        assertThat(r.getStatus().getMessage()).contains("Service shop/api").contains("app=apii").contains("Fix: ");
    }

    @Test
    void warnsInsteadOfDenying_onDryRun() {
        assertWarned(answer(Reviews.update(selectorTypo(), api()).dryRun()), "service-selects-nothing", "dry run: ");
    }

    @Test
    void warnsOnDelete_andDeniesWhenDeletesAreDenied() {
        assertWarned(answer(Reviews.delete(api())), "ingress-service-missing", "on delete: ");
        var denied = answer(Reviews.delete(api()), PolicySettings.defaults().withDenyDeletes(true));
        assertDenied(denied, "ingress-service-missing");
    }

    @Test
    void warnsNotFoundYet_onCreateOfIngressToMissingService() {
        var i = ingress();
        i.getMetadata().setName("new");
        i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().setName("search");
        assertWarned(answer(Reviews.create(i)), "ingress-service-missing", "not found yet: ");
    }

    @Test
    void warnsNotFoundYet_onCreateOfServiceBeforeItsWorkload() {
        var s = api();
        s.getMetadata().setName("search");
        s.getSpec().setSelector(Map.of("app", "search"));
        assertWarned(answer(Reviews.create(s)), "service-selects-nothing", "not found yet: ");
    }

    @Test
    void deniesIngressPortTheExistingServiceDoesNotExpose_onCreateAndUpdate() {
        var i = ingress();
        i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getPort().setName("http");
        var update = answer(Reviews.update(i, ingress()));
        assertDenied(update, "ingress-service-port-missing");
        assertThat(update.getStatus().getMessage()).contains(
                "[ingress-service-port-missing] Ingress shop/web rules[0].http.paths[0] (shop.example.com/) -> Service shop/web: "
                        + "no port named \"http\" (it has 80/\"web\", 443/\"https\"). Fix: use port \"web\", or name a Service port \"http\".");
        i.getMetadata().setName("copy");
        assertDenied(answer(Reviews.create(i)), "ingress-service-port-missing");
    }

    @Test
    void deniesExistingRouteMovedToMissingService_butWarnsOnNewPath() {
        var moved = ingress();
        moved.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().setName("wbe");
        assertDenied(answer(Reviews.update(moved, ingress())), "ingress-service-missing");

        var added = ingress();
        added.getSpec().getRules().get(0).getHttp().getPaths().add(new HTTPIngressPathBuilder().withPath("/search")
                .withPathType("Prefix").withBackend(new IngressBackendBuilder().withNewService().withName("search")
                        .withNewPort().withNumber(80).endPort().endService().build()).build());
        assertWarned(answer(Reviews.update(added, ingress())), "ingress-service-missing", "not found yet: ");
    }

    @Test
    void deniesNamedTargetPortThatResolvesNowhere_onRoutedServiceUpdate() {
        var s = api();
        s.getSpec().getPorts().get(0).setTargetPort(new IntOrString("http"));
        var r = answer(Reviews.update(s, api()));
        assertDenied(r, "service-target-port-missing");
        assertThat(r.getStatus().getMessage()).contains("targetPort \"http\"").contains("declares 9090/\"api\"");
    }

    @Test
    void warnsWhenServiceDropsAPortAnIngressRoutesTo() {
        var s = api();
        s.getSpec().getPorts().get(0).setName("api");
        assertWarned(answer(Reviews.update(s, api())), "ingress-service-port-missing", "Ingress may follow: ");
    }

    @Test
    void deniesWorkloadRelabelThatOrphansARoutedService() {
        var before = live(Deployment.class, "Deployment", "web");
        var after = live(Deployment.class, "Deployment", "web");
        after.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "web", "tier", "storefront"));
        var r = answer(Reviews.update(after, before));
        assertDenied(r, "service-selects-nothing");
        assertThat(r.getStatus().getMessage()).contains("Service shop/web").contains("tier=frontend");
    }

    @Test
    void warnsOnly_whenTheErrorWasAlreadyThere() {
        var broken = selectorTypo();
        cluster.put(broken);
        var edited = selectorTypo();
        edited.getSpec().getPorts().add(new ServicePortBuilder().withName("metrics").withPort(9100).build());
        assertWarned(answer(Reviews.update(edited, broken)), "service-selects-nothing", "already broken: ");
    }

    @Test
    void warnsOnWarningSeverityFindings() {
        var s = live(Service.class, "Service", "cart");
        s.getSpec().getPorts().get(0).setTargetPort(new IntOrString(7777));
        var r = answer(Reviews.update(s, live(Service.class, "Service", "cart")));
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith("[service-target-port-missing] Service shop/cart"));
    }

    @Test
    void warnsOnUnroutedService_unlessProtectUnrouted() {
        var s = live(Service.class, "Service", "cart");
        s.getSpec().setSelector(Map.of("app", "crat"));
        var old = live(Service.class, "Service", "cart");
        assertWarned(answer(Reviews.update(s, old)), "service-selects-nothing", "unrouted: ");
        assertDenied(answer(Reviews.update(s, old), PolicySettings.defaults().withProtectUnrouted(true)),
                "service-selects-nothing");
    }

    @Test
    void warnOnlyModeTurnsDenialIntoWouldDeny_globally() {
        var r = answer(Reviews.update(selectorTypo(), api()), PolicySettings.defaults().withMode(Mode.WARN));
        assertWarned(r, "service-selects-nothing", "would deny: ");
    }

    @Test
    void namespaceLabelSetsTheMode_andObjectAnnotationOverridesIt() {
        cluster.put(new NamespaceBuilder().withNewMetadata().withName("shop")
                .withLabels(Map.of(Decider.MODE_KEY, "warn")).endMetadata().build());
        assertWarned(answer(Reviews.update(selectorTypo(), api())), "service-selects-nothing", "would deny: ");

        var enforced = selectorTypo();
        enforced.getMetadata().setAnnotations(Map.of(Decider.MODE_KEY, "enforce"));
        assertDenied(answer(Reviews.update(enforced, api())), "service-selects-nothing");

        var off = selectorTypo();
        off.getMetadata().setAnnotations(Map.of(Decider.MODE_KEY, "off"));
        assertSilent(answer(Reviews.update(off, api())));
    }

    @Test
    void invalidModeAnnotationIsReportedAndIgnored() {
        var s = selectorTypo();
        s.getMetadata().setAnnotations(Map.of(Decider.MODE_KEY, "audit"));
        var r = answer(Reviews.update(s, api()));
        assertDenied(r, "service-selects-nothing");
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).contains("\"audit\" is not enforce, warn or off"));
    }

    @Test
    void skipAnnotationWaivesNamedRules_andSaysSo() {
        var s = selectorTypo();
        s.getMetadata().setAnnotations(Map.of(Decider.SKIP_KEY, "service-selects-nothing, other-rule"));
        assertWarned(answer(Reviews.update(s, api())), "service-selects-nothing", "waived: ");
        var all = selectorTypo();
        all.getMetadata().setAnnotations(Map.of(Decider.SKIP_KEY, "all"));
        assertWarned(answer(Reviews.update(all, api())), "service-selects-nothing", "waived: ");
    }

    @Test
    void perRuleSeverityTurnsErrorIntoWarning_orOff() {
        var asWarning = PolicySettings.defaults().withSeverity("service-selects-nothing", Severity.WARNING);
        var r = answer(Reviews.update(selectorTypo(), api()), asWarning);
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith("[service-selects-nothing] Service shop/api"));
        var off = PolicySettings.defaults().withSeverity("service-selects-nothing", null);
        assertSilent(answer(Reviews.update(selectorTypo(), api()), off));
    }

    @Test
    void findingsGoToAuditAnnotationsAsJson() {
        var r = answer(Reviews.update(selectorTypo(), api()));
        assertThat(r.getAuditAnnotations()).containsKey("findings");
        assertThat(r.getAuditAnnotations().get("findings")).contains("\"rule\":\"service-selects-nothing\"")
                .contains("\"action\":\"deny\"");
    }

    @Test
    void echoesTheRequestUid() {
        var r = answer(Reviews.update(selectorTypo(), api()).uid("3f1c-uid"));
        assertThat(r.getUid()).isEqualTo("3f1c-uid");
    }

    // ---- exemptions -----------------------------------------------------------------------------------------

    @Test
    void exemptsKubeSystemControllers() {
        assertSilent(answer(Reviews.update(selectorTypo(), api()).user("system:serviceaccount:kube-system:generic-garbage-collector")));
        assertSilent(answer(Reviews.delete(api()).user("system:serviceaccount:kube-system:namespace-controller")));
    }

    @Test
    void exemptsConfiguredUsers() {
        var settings = new PolicySettings(Mode.ENFORCE, false, false, Map.of(), List.of("system:serviceaccount:ci:deployer"));
        assertSilent(answer(Reviews.update(selectorTypo(), api()).user("system:serviceaccount:ci:deployer"), settings));
    }

    @Test
    void exemptsObjectsInTerminatingNamespace() {
        cluster.put(new NamespaceBuilder().withNewMetadata().withName("shop").withDeletionTimestamp("2026-11-26T10:00:00Z")
                .endMetadata().withNewStatus().withPhase("Terminating").endStatus().build());
        assertSilent(answer(Reviews.update(selectorTypo(), api())));
    }

    @Test
    void exemptsUpdatesOfObjectsBeingDeleted() {
        var old = api();
        old.getMetadata().setDeletionTimestamp("2026-11-26T10:00:00Z");
        assertSilent(answer(Reviews.update(selectorTypo(), old)));
    }

    @Test
    void exemptsUpdatesThatChangeNothingTheRulesRead_evenOnABrokenObject() {
        var broken = selectorTypo();
        cluster.put(broken);
        var relabelled = selectorTypo();
        relabelled.getMetadata().setLabels(Map.of("argocd.argoproj.io/instance", "shop"));
        relabelled.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));
        assertSilent(answer(Reviews.update(relabelled, broken)));
    }

    @Test
    void exemptsStatusSubresource() {
        assertSilent(answer(Reviews.update(selectorTypo(), api()).subResource("status")));
    }
}
