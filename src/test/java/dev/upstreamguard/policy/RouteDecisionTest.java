package dev.upstreamguard.policy;

import static dev.upstreamguard.policy.DecisionTableTest.assertDenied;
import static dev.upstreamguard.policy.DecisionTableTest.assertSilent;
import static dev.upstreamguard.policy.DecisionTableTest.assertWarned;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.audit.Auditor;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Routes judged link by link on a route object's own change: an existing route moved onto a Service that selects
 * nothing, or whose named targetPort resolves nowhere, is denied with the whole chain; a new route or a new Ingress only
 * warns (its Deployment may come later in the sync). And the smaller edges around routes: path types, ingress classes,
 * severity overrides, exemptions, the audit.
 */
class RouteDecisionTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    ClusterIndex cluster;

    @BeforeEach
    void load() {
        cluster = new ManifestLoader().load(Path.of("src/test/resources/lag/blue-green.yaml"));
        // an existing Service whose selector matches nothing, and one whose named targetPort resolves nowhere
        cluster.put(new ServiceBuilder().withNewMetadata().withName("web-orphan").withNamespace("shop").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web", "color", "orange")).addNewPort().withName("http")
                .withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build());
        cluster.put(new ServiceBuilder().withNewMetadata().withName("web-misnamed").withNamespace("shop").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web", "color", "blue")).addNewPort().withName("http")
                .withPort(80).withTargetPort(new IntOrString("web")).endPort().endSpec().build());
    }

    <T extends HasMetadata> T live(Class<T> type, String kind, String name) {
        return type.cast(K8S.clone(cluster.object(new ObjectRef(kind, "shop", name)).orElseThrow()));
    }

    Ingress ingress() {
        return live(Ingress.class, "Ingress", "web");
    }

    Ingress movedTo(String service) {
        var i = ingress();
        i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().setName(service);
        return i;
    }

    AdmissionResponse answer(Reviews r) {
        return answer(r, PolicySettings.defaults());
    }

    AdmissionResponse answer(Reviews r, PolicySettings settings) {
        return r.answerWith(Reviews.handler(cluster, settings));
    }

    @Test
    void deniesAnExistingRouteMovedOntoAServiceThatSelectsNothing() {
        var r = answer(Reviews.update(movedTo("web-orphan"), ingress()));
        assertDenied(r, "service-selects-nothing");
        assertThat(r.getStatus().getMessage()).startsWith("[service-selects-nothing] Ingress shop/web "
                + "rules[0].http.paths[0] (shop.example.com/) -> Service shop/web-orphan port 80/\"http\": spec.selector "
                + "{app=web,color=orange} matches no pod template and no pod in namespace shop");
        assertThat(r.getStatus().getMessage().lines().filter(l -> l.startsWith("[")).count()).as("one finding")
                .isEqualTo(1);
    }

    @Test
    void deniesAnExistingRouteMovedOntoAServiceWhoseNamedTargetPortResolvesNowhere() {
        var r = answer(Reviews.update(movedTo("web-misnamed"), ingress()));
        assertDenied(r, "service-target-port-missing");
        assertThat(r.getStatus().getMessage()).contains("-> Service shop/web-misnamed port 80/\"http\": targetPort \"web\"");
    }

    @Test
    void warnsOnANewIngressToAServiceThatSelectsNothing_itsDeploymentMayComeLater() {
        var i = movedTo("web-orphan");
        i.getMetadata().setName("web-preview");
        i.getSpec().getRules().get(0).setHost("preview.shop.example.com");
        var r = answer(Reviews.create(i));
        assertWarned(r, "service-selects-nothing", "not found yet: ");
        assertThat(r.getWarnings()).hasSize(1);
    }

    @Test
    void warnsOnANewPathToAServiceThatSelectsNothing() {
        var i = ingress();
        i.getSpec().getRules().get(0).getHttp().getPaths().add(new HTTPIngressPathBuilder().withPath("/preview")
                .withPathType("Prefix").withNewBackend().withNewService().withName("web-orphan").withNewPort()
                .withNumber(80).endPort().endService().endBackend().build());
        assertWarned(answer(Reviews.update(i, ingress())), "service-selects-nothing", "not found yet: ");
    }

    @Test
    void aRouteThatAlreadyLedNowhere_onlyWarns() {
        cluster.put(movedTo("web-orphan"));
        var i = movedTo("web-orphan");
        var api = i.getSpec().getRules().get(0).getHttp().getPaths().get(1).getBackend().getService().getPort();
        api.setName(null);
        api.setNumber(80); // an unrelated edit: the /api route by number instead of by name
        var r = answer(Reviews.update(i, live(Ingress.class, "Ingress", "web")));
        assertWarned(r, "service-selects-nothing", "already broken: ");
    }

    @Test
    void theSameHostAndPathWithAnotherPathTypeIsANewRoute() {
        // Exact / is not the Prefix / route that resolved: it is new, and may wait for its Service
        var i = movedTo("web-orphan");
        i.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPathType("Exact");
        var r = answer(Reviews.update(i, ingress()));
        assertWarned(r, "service-selects-nothing", "not found yet: ");
    }

    @Test
    void aServiceChangeIsReportedOnTheService_notAgainOnEachRoute() {
        var s = live(Service.class, "Service", "api");
        s.getSpec().setSelector(Map.of("app", "apii"));
        var r = answer(Reviews.update(s, live(Service.class, "Service", "api")));
        assertDenied(r, "service-selects-nothing");
        assertThat(r.getStatus().getMessage().lines().filter(l -> l.startsWith("[")).count()).isEqualTo(1);
        assertThat(r.getWarnings()).isNullOrEmpty();
    }

    @Test
    void theFixForAMissingServiceNamesItOnce() {
        var r = answer(Reviews.update(movedTo("web-gren"), ingress()));
        assertDenied(r, "ingress-service-missing");
        assertThat(r.getStatus().getMessage()).contains("Fix: create Service shop/web-gren, or point")
                .doesNotContain("Service Service");
    }

    @Test
    void nginxAnnotationsAreNotJudgedOnAnIngressAnotherControllerServes() {
        cluster.put(new io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder().withNewMetadata()
                .withName("traefik").endMetadata().withNewSpec().withController("traefik.io/ingress-controller")
                .endSpec().build());
        var i = ingress();
        i.getMetadata().setAnnotations(Map.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "60s"));
        assertDenied(answer(Reviews.update(i, ingress())), "ingress-nginx-timeout-invalid");
        i.getSpec().setIngressClassName("traefik");
        assertSilent(answer(Reviews.update(i, ingress())));
    }

    @Test
    void aSeverityOverrideEqualToTheDefault_changesNothing() {
        // a numeric readiness port the container does not declare is the rule's own warning, not its error
        var d = live(Deployment.class, "Deployment", "api");
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe().getHttpGet()
                .setPort(new IntOrString(9999));
        var before = live(Deployment.class, "Deployment", "api");
        var plain = answer(Reviews.update(d, before));
        var same = answer(Reviews.update(d, before),
                PolicySettings.defaults().withSeverity("readiness-probe-port-missing", Severity.ERROR));
        assertWarned(plain, "readiness-probe-port-missing", "");
        assertThat(same.getAllowed()).isTrue();
        assertThat(same.getWarnings()).isEqualTo(plain.getWarnings());
    }

    @Test
    void aSeverityOverrideMovesTheRulesDefaultFindings() {
        var r = answer(Reviews.update(movedTo("web-orphan"), ingress()),
                PolicySettings.defaults().withSeverity("service-selects-nothing", Severity.WARNING));
        assertWarned(r, "service-selects-nothing", "");
    }

    @Test
    void userToolingUnderAKubeSystemServiceAccountIsJudged() {
        var r = answer(Reviews.update(movedTo("web-orphan"), ingress())
                .user("system:serviceaccount:kube-system:my-deploy-bot"));
        assertDenied(r, "service-selects-nothing");
        assertSilent(answer(Reviews.update(movedTo("web-orphan"), ingress())
                .user("system:serviceaccount:kube-system:generic-garbage-collector")));
    }

    @Test
    void theAuditHonoursSeverityOverrides() {
        cluster.put(movedTo("web-orphan"));
        var evaluator = new Evaluator();
        var plain = new Auditor(evaluator).audit(cluster, false, m -> { });
        assertThat(plain.findings()).anySatisfy(f -> assertThat(f.rule()).isEqualTo("service-selects-nothing"));
        var off = new Decider(PolicySettings.defaults().withSeverity("service-selects-nothing", null));
        var report = new Auditor(evaluator, off::withConfiguredSeverity).audit(cluster, false, m -> { });
        assertThat(report.findings()).noneSatisfy(f -> assertThat(f.rule()).isEqualTo("service-selects-nothing"));
        var warning = new Decider(PolicySettings.defaults().withSeverity("service-selects-nothing", Severity.WARNING));
        var moved = new Auditor(evaluator, warning::withConfiguredSeverity).audit(cluster, false, m -> { });
        assertThat(moved.findings()).filteredOn(f -> f.rule().equals("service-selects-nothing"))
                .isNotEmpty().allSatisfy(f -> assertThat(f.severity()).isEqualTo("warning"));
    }
}
