package dev.upstreamguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ManifestLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Renders every kustomize target in {@code deploy/} with {@code kubectl kustomize} into {@code target/rendered/} and
 * holds each to {@link WebhookInvariants}: what is installed must match what the code handles, watches and serves.
 */
class WebhookManifestTest {
    /** Rendered name -> kustomize directory, as deploy/test-render.sh names them. */
    static final Map<String, String> TARGETS = Map.of(
            "base", "deploy",
            "cert-manager", "deploy/overlays/cert-manager",
            "warn-only", "deploy/overlays/warn-only");
    static final Path RENDERED = Path.of("target", "rendered");

    static final Map<String, WebhookInvariants> rendered = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws Exception {
        Files.createDirectories(RENDERED);
        var loader = new ManifestLoader();
        for (var name : List.of("base", "cert-manager", "warn-only")) {
            var yaml = kustomize(TARGETS.get(name));
            var file = RENDERED.resolve(name + ".yaml");
            Files.writeString(file, yaml);
            rendered.put(name, new WebhookInvariants(loader.parse(yaml, file.toString())));
        }
    }

    /** Runs {@code kubectl kustomize dir}; kubectl is on PATH here and in CI. */
    static String kustomize(String dir) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed on PATH to render " + dir + " (kubectl kustomize)", e);
        }
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " exited " + process.exitValue());
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyTargetHoldsTheInvariants() {
        return rendered.entrySet().stream().flatMap(target -> target.getValue().checks().entrySet().stream()
                .map(check -> dynamicTest(target.getKey() + ": " + check.getKey(),
                        () -> assertNoProblems(target.getKey(), check.getValue().get()))));
    }

    @Test
    void baseEnforces() {
        assertNoProblems("base", rendered.get("base").modeIs("enforce"));
    }

    @Test
    void certManagerOverlayEnforces() {
        assertNoProblems("cert-manager", rendered.get("cert-manager").modeIs("enforce"));
    }

    @Test
    void warnOnlyOverlayWarns() {
        assertNoProblems("warn-only", rendered.get("warn-only").modeIs("warn"));
    }

    @Test
    void certManagerOverlayInjectsTheCaFromACertificateForTheServiceNames() {
        assertNoProblems("cert-manager", rendered.get("cert-manager").certManagerInjection());
    }

    @Test
    void noTargetShipsACaBundle_theInstallerWritesIt() {
        rendered.forEach((name, target) -> assertNoProblems(name, target.noStaticCaBundle()));
    }

    @Test
    void onlyTheCertManagerOverlayAsksForCaInjection() {
        for (var name : List.of("base", "warn-only")) {
            var annotations = rendered.get(name).webhookConfiguration().getMetadata().getAnnotations();
            assertTrue(annotations == null || !annotations.containsKey(WebhookInvariants.INJECT_CA_FROM),
                    name + " asks cert-manager for a CA it may not have");
        }
    }

    /** The manifests and the prod profile agree on where the certificate is and which ports serve what. */
    @Test
    void prodProfileReadsTheCertWhereTheManifestsMountIt() throws IOException {
        var props = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            props.load(in);
        }
        var tls = "%prod.quarkus.tls." + props.getProperty("%prod.quarkus.http.tls-configuration-name");
        assertEquals(WebhookInvariants.TLS_MOUNT + "/tls.crt", props.getProperty(tls + ".key-store.pem.0.cert"));
        assertEquals(WebhookInvariants.TLS_MOUNT + "/tls.key", props.getProperty(tls + ".key-store.pem.0.key"));
        assertEquals(String.valueOf(WebhookInvariants.HTTPS_PORT), props.getProperty("%prod.quarkus.http.ssl-port"));
        assertEquals(String.valueOf(WebhookInvariants.MANAGEMENT_PORT),
                props.getProperty("%prod.quarkus.management.port"));
        // build-time: set for every profile, or the packaged jar run with another profile (the demo) has none
        assertEquals("true", props.getProperty("quarkus.management.enabled"));
        assertEquals(null, props.getProperty("%prod.quarkus.management.enabled"));
        assertEquals("disabled", props.getProperty("%prod.quarkus.http.insecure-requests"));
    }

    /** deploy/monitoring (kubectl apply -k): the faults page someone and the dashboard shows them by reason. */
    @Test
    void monitoringAlertsOnFaultsAndShowsThemByReason() throws Exception {
        var objects = new ManifestLoader().parse(kustomize("deploy/monitoring"), "kustomize deploy/monitoring");
        var rule = objects.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast).filter(o -> "PrometheusRule".equals(o.getKind()))
                .findFirst().orElseThrow(() -> new AssertionError("deploy/monitoring has no PrometheusRule"));
        assertNoProblems("deploy/monitoring", MonitoringInvariants.faultsAlert(rule));
        var dashboard = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(cm -> "1".equals(cm.getMetadata().getLabels().get("grafana_dashboard"))).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/monitoring has no dashboard ConfigMap"));
        var json = new ObjectMapper().readTree(dashboard.getData().get("upstream-guard.json"));
        assertNoProblems("deploy/monitoring", MonitoringInvariants.faultsPanel(json));
    }

    /** The invariant itself: it sees a missing reason, a paged bad-review and a missing for:. */
    @Test
    void faultsAlertCheckCatchesWhatItMust() {
        assertTrue(MonitoringInvariants.selects("rate(upstream_guard_faults_total[5m])", "late"));
        assertTrue(MonitoringInvariants.selects("x{why!~\"bad-review|audit-rule-failure\"}".replace("x",
                MonitoringInvariants.FAULTS), "late"));
        assertFalse(MonitoringInvariants.selects(MonitoringInvariants.FAULTS + "{why!~\"bad-review|late\"}", "late"));
        assertFalse(MonitoringInvariants.selects(MonitoringInvariants.FAULTS + "{why=~\"lat\"}", "late"));
        var rule = new GenericKubernetesResource();
        rule.setAdditionalProperty("spec", Map.of("groups", List.of(Map.of("rules", List.of(Map.of(
                "alert", "Faults", "expr", "sum(rate(" + MonitoringInvariants.FAULTS + "{why!=\"late\"}[5m])) > 0",
                "annotations", Map.of("description", "overloaded - add replicas")))))));
        var problems = String.join("\n", MonitoringInvariants.faultsAlert(rule));
        assertTrue(problems.contains("has no for:"), problems);
        assertTrue(problems.contains("pages on bad-review"), problems);
        assertTrue(problems.contains("never selects why=\"late\""), problems);
        assertTrue(problems.contains("does not say what stale-view means"), problems);
        assertFalse(problems.contains("does not say what overloaded means"), problems);
    }

    /**
     * The RBAC invariant itself, on the base with its ClusterRole changed: the policy report grants must be exactly
     * create/get/list/update/patch/delete on exactly policyreports and reports, no more (watch, another resource of
     * the group, a wildcard), no less.
     */
    @Test
    void rbacCheckHoldsThePolicyReportGrantsToExactlyTheirVerbs() {
        assertNoProblems("base as shipped", rbacWith(rules -> { }));
        var narrow = String.join("\n", rbacWith(rules -> verbsOf(rules, "policyreports").remove("delete")));
        assertTrue(narrow.contains("the guard writes wgpolicyk8s.io/policyreports but may"), narrow);
        var wide = String.join("\n", rbacWith(rules -> verbsOf(rules, "reports").add("watch")));
        assertTrue(wide.contains("the guard writes openreports.io/reports but may"), wide);
        var missing = String.join("\n", rbacWith(rules -> rules.removeIf(r -> r.getResources().contains("reports"))));
        assertTrue(missing.contains("the guard writes openreports.io/reports but may []"), missing);
        var other = String.join("\n", rbacWith(rules -> rules.stream()
                .filter(r -> r.getResources().contains("policyreports")).findFirst().orElseThrow().getResources()
                .add("clusterpolicyreports")));
        assertTrue(other.contains("wgpolicyk8s.io/clusterpolicyreports, which no informer watches"), other);
        var wildcard = String.join("\n", rbacWith(rules -> rules.stream()
                .filter(r -> r.getResources().contains("policyreports")).findFirst().orElseThrow().setVerbs(
                        new ArrayList<>(List.of("*")))));
        assertTrue(wildcard.contains("uses a wildcard"), wildcard);
    }

    /** The base's RBAC problems once {@code change} has edited a copy of its ClusterRole's rules. */
    private static List<String> rbacWith(Consumer<List<PolicyRule>> change) {
        var serialization = new KubernetesSerialization();
        var objects = new ArrayList<HasMetadata>();
        for (var o : rendered.get("base").objects()) {
            var copy = serialization.clone(o);
            if (copy instanceof ClusterRole role) {
                var rules = new ArrayList<>(role.getRules());
                rules.replaceAll(r -> {
                    r.setVerbs(new ArrayList<>(r.getVerbs()));
                    r.setResources(new ArrayList<>(r.getResources()));
                    return r;
                });
                change.accept(rules);
                role.setRules(rules);
            }
            objects.add(copy);
        }
        return new WebhookInvariants(objects).rbac();
    }

    private static List<String> verbsOf(List<PolicyRule> rules, String resource) {
        return rules.stream().filter(r -> r.getResources().contains(resource)).findFirst().orElseThrow().getVerbs();
    }

    private static void assertNoProblems(String target, List<String> problems) {
        assertTrue(problems.isEmpty(), target + ":\n  " + String.join("\n  ", problems));
    }
}
