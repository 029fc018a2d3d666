package dev.upstreamguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;

import dev.upstreamguard.cluster.ManifestLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Lints the Helm chart in {@code deploy/helm/upstream-guard} and renders it with real Helm (helm-java bundles Helm's
 * library) for the chart defaults and every values file in its {@code ci/} directory, into {@code target/rendered/helm/}.
 * Every rendering is held to the same {@link WebhookInvariants} as the kustomize targets; the default one must match
 * the kustomize base field for field; then the chart's own promises: certificates three ways, the app config carrying
 * the values, monitoring objects that fit together.
 */
class HelmChartTest {
    static final Path CHART = Path.of("deploy", "helm", "upstream-guard");
    static final Path RENDERED = Path.of("target", "rendered", "helm");
    static final String RELEASE = "upstream-guard";
    static final String NAMESPACE = "upstream-guard";
    /** Value set -> values file in the chart's ci/ directory ("default": the chart's values.yaml alone). */
    static final List<String> VALUE_SETS = List.of("default", "warn-only", "cert-manager", "existing-secret",
            "jvm-image", "native-image", "monitoring", "excluded-namespaces", "policy", "operations");
    static final List<String> SERVICE_NAMES = List.of("upstream-guard", "upstream-guard.upstream-guard",
            "upstream-guard.upstream-guard.svc", "upstream-guard.upstream-guard.svc.cluster.local");

    static final Map<String, List<HasMetadata>> rendered = new LinkedHashMap<>();
    static final ManifestLoader LOADER = new ManifestLoader();

    @BeforeAll
    static void render() throws IOException {
        Files.createDirectories(RENDERED);
        for (var name : VALUE_SETS) {
            rendered.put(name, render(name, template(CHART, name, Map.of())));
        }
    }

    /** helm template with the release name and namespace docs/helm.md uses, the set's values file, and --set pairs. */
    static String template(Path chart, String valueSet, Map<String, String> sets) {
        var command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (!"default".equals(valueSet)) {
            command.withValuesFile(CHART.resolve("ci").resolve(valueSet + "-values.yaml"));
        }
        sets.forEach(command::set);
        return command.call();
    }

    static List<HasMetadata> render(String name, String yaml) throws IOException {
        var file = RENDERED.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return LOADER.parse(yaml, file.toString());
    }

    static WebhookInvariants invariants(String valueSet) {
        return new WebhookInvariants(rendered.get(valueSet));
    }

    // --- lint and the shared invariants ---------------------------------------------------------------------------

    @Test
    void lintsWithoutWarnings() {
        var result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                String.join("\n", result.getMessages()));
    }

    @Test
    void everyCiValuesFileIsRendered() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            var sets = files.map(f -> f.getFileName().toString().replace("-values.yaml", "")).sorted().toList();
            assertEquals(new TreeSet<>(VALUE_SETS.subList(1, VALUE_SETS.size())), new TreeSet<>(sets));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyValueSetHoldsTheInvariants() {
        return VALUE_SETS.stream().flatMap(set -> invariants(set).checks().entrySet().stream()
                .map(check -> dynamicTest(set + ": " + check.getKey(),
                        () -> assertNoProblems(set, check.getValue().get()))));
    }

    @Test
    void helmTemplateForDefaultValuesMatchesTheKustomizeBaseOnEveryInvariant() throws Exception {
        var base = new WebhookInvariants(LOADER.parse(WebhookManifestTest.kustomize("deploy"), "kustomize deploy"));
        var helm = invariants("default");
        base.checks().forEach((name, check) -> {
            assertNoProblems("kustomize base: " + name, check.get());
            assertNoProblems("helm defaults: " + name, helm.checks().get(name).get());
        });
        assertNoProblems("helm defaults", helm.modeIs("enforce"));

        assertEquals(withoutCaBundle(base.webhook()), withoutCaBundle(helm.webhook()), "the webhook registration");
        assertEquals(only(base, ClusterRole.class).getRules(), only(helm, ClusterRole.class).getRules(), "RBAC");
        assertEquals(service(base, RELEASE).getSpec().getPorts(), service(helm, RELEASE).getSpec().getPorts());
        assertEquals(only(base, PodDisruptionBudget.class).getSpec().getMinAvailable(),
                only(helm, PodDisruptionBudget.class).getSpec().getMinAvailable());
        var b = base.deployment().getSpec();
        var h = helm.deployment().getSpec();
        assertEquals(b.getReplicas(), h.getReplicas());
        assertEquals(b.getStrategy(), h.getStrategy());
        var bp = b.getTemplate().getSpec();
        var hp = h.getTemplate().getSpec();
        assertEquals(bp.getSecurityContext(), hp.getSecurityContext());
        assertEquals(bp.getPriorityClassName(), hp.getPriorityClassName());
        assertEquals(bp.getTerminationGracePeriodSeconds(), hp.getTerminationGracePeriodSeconds());
        assertEquals(bp.getTopologySpreadConstraints().stream().map(c -> c.getTopologyKey()).toList(),
                hp.getTopologySpreadConstraints().stream().map(c -> c.getTopologyKey()).toList());
        var bc = bp.getContainers().get(0);
        var hc = hp.getContainers().get(0);
        assertEquals(bc.getImage(), hc.getImage());
        assertEquals(bc.getPorts(), hc.getPorts());
        assertEquals(bc.getStartupProbe(), hc.getStartupProbe());
        assertEquals(bc.getLivenessProbe(), hc.getLivenessProbe());
        assertEquals(bc.getReadinessProbe(), hc.getReadinessProbe());
        assertEquals(bc.getResources(), hc.getResources());
        assertEquals(bc.getSecurityContext(), hc.getSecurityContext());
        // Same kinds, but the Namespace: helm install --create-namespace makes it (a chart that ships its own
        // namespace cannot be installed into it), and the chart adds its config and, here, the generated TLS Secret.
        var baseKinds = kinds(base);
        baseKinds.remove("Namespace");
        var helmKinds = kinds(helm);
        helmKinds.removeAll(List.of("ConfigMap", "Secret"));
        assertEquals(baseKinds, helmKinds);
    }

    // --- mode and the app config ----------------------------------------------------------------------------------

    @Test
    void modeComesFromValues() {
        assertNoProblems("default", invariants("default").modeIs("enforce"));
        assertNoProblems("warn-only", invariants("warn-only").modeIs("warn"));
    }

    @Test
    void modeOffWorksFromSetAndFromABareYamlOff() throws IOException {
        var fromSet = new WebhookInvariants(render("mode-off", template(CHART, "default", Map.of("mode", "off"))));
        assertNoProblems("--set mode=off", fromSet.modeIs("off"));
        // A bare `off` in YAML is a boolean false; the chart takes it to mean "off" (policy-values.yaml does so).
        assertEquals("off", invariants("policy").appConfig().getProperty(
                "upstream-guard.severity.\"readiness-probe-missing\""));
    }

    @Test
    void appConfigCarriesThePolicyValues() {
        var config = invariants("policy").appConfig();
        assertEquals("deny", config.getProperty("upstream-guard.deletes"));
        assertEquals("true", config.getProperty("upstream-guard.protect-unrouted"));
        assertEquals("warning", config.getProperty("upstream-guard.severity.\"service-target-port-missing\""));
        assertEquals("error", config.getProperty("upstream-guard.severity.\"workload-scaled-to-zero\""));
        assertEquals("system:serviceaccount:keda:keda-operator,system:serviceaccount:argocd:argocd-application-controller",
                config.getProperty("upstream-guard.exempt-users"));
        assertEquals("45", config.getProperty("upstream-guard.liveness-budget-seconds"));
        assertEquals("DEBUG", config.getProperty("quarkus.log.category.\"dev.upstreamguard\".level"));
    }

    /**
     * Every knob of the app is a value of the chart: the default rendering holds exactly the keys GuardConfig declares
     * with a default, each with that default. A key added to GuardConfig fails this until the chart has it.
     */
    @Test
    void defaultAppConfigHoldsEveryKeyGuardConfigDeclaresWithItsDefault() {
        var config = invariants("default").appConfig();
        var defaults = WebhookInvariants.guardConfigDefaults();
        assertEquals(defaults.keySet(), config.stringPropertyNames());
        defaults.forEach((key, value) -> assertEquals(value, config.getProperty(key), key));
        assertTrue(defaults.keySet().containsAll(List.of("upstream-guard.audit.initial-delay",
                "upstream-guard.events.dedupe-window", "upstream-guard.admission.deadline-margin",
                "upstream-guard.cache.max-staleness", "upstream-guard.reports.max-results")), defaults.toString());
    }

    @Test
    void operationalKnobsRenderFromValues() {
        var config = invariants("operations").appConfig();
        assertEquals("false", config.getProperty("upstream-guard.audit.enabled"));
        assertEquals("10m", config.getProperty("upstream-guard.audit.interval"));
        assertEquals("2m", config.getProperty("upstream-guard.audit.initial-delay"));
        assertEquals("false", config.getProperty("upstream-guard.events.enabled"));
        assertEquals("250", config.getProperty("upstream-guard.events.queue-size"));
        assertEquals("30m", config.getProperty("upstream-guard.events.dedupe-window"));
        assertEquals("false", config.getProperty("upstream-guard.reports.enabled"));
        assertEquals("200", config.getProperty("upstream-guard.reports.max-results"));
        assertEquals("128", config.getProperty("upstream-guard.admission.max-in-flight"));
        assertEquals("500ms", config.getProperty("upstream-guard.admission.deadline-margin"));
        assertEquals("4", config.getProperty("upstream-guard.admission.workers"));
        assertEquals("1s", config.getProperty("upstream-guard.admission.confirm-timeout"));
        assertEquals("2m", config.getProperty("upstream-guard.cache.max-staleness"));
        assertNotEquals(checksum(invariants("default")), checksum(invariants("operations")));
    }

    @Test
    void aConfigChangeRollsThePods() throws IOException {
        assertNotEquals(checksum(invariants("default")), checksum(invariants("warn-only")));
        assertEquals(checksum(invariants("default")), checksum(invariants("monitoring")));
    }

    @Test
    void invalidValuesFailTheInstall() {
        var badMode = assertThrows(IllegalStateException.class,
                () -> template(CHART, "default", Map.of("mode", "block")));
        assertTrue(badMode.getMessage().contains("mode"), badMode.getMessage());
        var badSeverity = assertThrows(IllegalStateException.class,
                () -> template(CHART, "default", Map.of("severities.ingress-class-missing", "fatal")));
        assertTrue(badSeverity.getMessage().contains("severities"), badSeverity.getMessage());
        var noSecret = assertThrows(IllegalStateException.class,
                () -> template(CHART, "default", Map.of("certificates.mode", "existingSecret")));
        assertTrue(noSecret.getMessage().contains("certificates.existingSecret.name is required"),
                noSecret.getMessage());
        var noCa = assertThrows(IllegalStateException.class, () -> template(CHART, "default",
                Map.of("certificates.mode", "existingSecret", "certificates.existingSecret.name", "mine")));
        assertTrue(noCa.getMessage().contains("certificates.existingSecret.caBundle is required"), noCa.getMessage());
        for (var bad : List.of(Map.of("audit.interval", "5 minutes"), Map.of("admission.deadlineMargin", "fast"),
                Map.of("admission.maxInFlight", "0"), Map.of("events.queueSize", "-1"),
                Map.of("events.enabled", "sometimes"), Map.of("cache.maxStalenes", "2m"),
                Map.of("reports.maxResults", "0"), Map.of("reports.enabled", "maybe"))) {
            var e = assertThrows(IllegalStateException.class, () -> template(CHART, "default", bad), bad.toString());
            var key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key.substring(0, key.indexOf('.'))), e.getMessage());
        }
    }

    // --- certificates ---------------------------------------------------------------------------------------------

    @Test
    void generateModeMakesASecretAndACaBundleThatVerifiesItsServingCert() throws Exception {
        var guard = invariants("default");
        var secret = only(guard, Secret.class);
        assertEquals("kubernetes.io/tls", secret.getType());
        assertEquals(guard.tlsSecretName().orElseThrow(), secret.getMetadata().getName());
        var caBundle = guard.webhook().getClientConfig().getCaBundle();
        assertEquals(secret.getData().get("ca.crt"), caBundle);
        var ca = x509(caBundle);
        var cert = x509(secret.getData().get("tls.crt"));
        cert.verify(ca.getPublicKey());
        cert.checkValidity();
        assertTrue(ca.getBasicConstraints() >= 0, "the caBundle is not a CA certificate");
        var names = new ArrayList<String>();
        for (var san : cert.getSubjectAlternativeNames()) {
            names.add(String.valueOf(san.get(1)));
        }
        assertTrue(names.containsAll(SERVICE_NAMES), "SANs " + names);
        assertEquals(publicKeyOf(secret.getData().get("tls.key")),
                Base64.getEncoder().encodeToString(cert.getPublicKey().getEncoded()), "tls.key does not match tls.crt");
    }

    /**
     * On upgrade the chart reads its Secret back (lookup) and keeps CA, cert and caBundle. helm template cannot reach a
     * cluster, so a copy of the chart gets the lookup answered by a literal Secret and runs as an upgrade.
     */
    @Test
    void generateModeKeepsTheExistingSecretOnUpgrade_andReplacesAnIncompleteOne() throws Exception {
        var kept = new WebhookInvariants(render("upgrade-kept", template(upgradeChart(
                "(dict \"data\" (dict \"tls.crt\" \"Y3J0\" \"tls.key\" \"a2V5\" \"ca.crt\" \"Y2E=\"))"), "default",
                Map.of())));
        var secret = only(kept, Secret.class);
        assertEquals(Map.of("tls.crt", "Y3J0", "tls.key", "a2V5", "ca.crt", "Y2E="), secret.getData());
        assertEquals("Y2E=", kept.webhook().getClientConfig().getCaBundle());

        var remade = new WebhookInvariants(render("upgrade-remade", template(upgradeChart(
                "(dict \"data\" (dict \"tls.crt\" \"Y3J0\" \"tls.key\" \"a2V5\"))"), "default", Map.of())));
        var fresh = only(remade, Secret.class);
        assertNotEquals("Y3J0", fresh.getData().get("tls.crt"));
        assertEquals(fresh.getData().get("ca.crt"), remade.webhook().getClientConfig().getCaBundle());
        x509(fresh.getData().get("tls.crt")).verify(x509(fresh.getData().get("ca.crt")).getPublicKey());
    }

    @Test
    void templateRendersAFreshCaEachTime_lookupIsOnlyForUpgrades() {
        var again = LOADER.parse(template(CHART, "default", Map.of()), "default again");
        assertNotEquals(invariants("default").webhook().getClientConfig().getCaBundle(),
                new WebhookInvariants(again).webhook().getClientConfig().getCaBundle());
    }

    @Test
    void certManagerModeAsksForInjectionFromACertificateForTheServiceNames() {
        var guard = invariants("cert-manager");
        assertNoProblems("cert-manager", guard.certManagerInjection());
        assertNoProblems("cert-manager", guard.noStaticCaBundle());
        assertTrue(rendered.get("cert-manager").stream().noneMatch(Secret.class::isInstance),
                "cert-manager writes the Secret; the chart must not");
        var certificate = generic("cert-manager", "Certificate", RELEASE + "-tls");
        assertEquals(SERVICE_NAMES, spec(certificate).get("dnsNames"));
        var issuer = (Map<?, ?>) spec(certificate).get("issuerRef");
        assertEquals(RELEASE + "-ca", issuer.get("name"));
        assertTrue(spec(generic("cert-manager", "Issuer", RELEASE + "-ca")).containsKey("ca"));
        assertTrue(spec(generic("cert-manager", "Certificate", RELEASE + "-ca")).get("isCA").equals(true));
    }

    @Test
    void existingSecretModeMountsThatSecretAndTrustsTheGivenCa() throws Exception {
        var guard = invariants("existing-secret");
        assertEquals("upstream-guard-tls", guard.tlsSecretName().orElseThrow());
        assertTrue(rendered.get("existing-secret").stream().noneMatch(Secret.class::isInstance));
        var caBundle = guard.webhook().getClientConfig().getCaBundle();
        assertTrue(x509(caBundle).getBasicConstraints() >= 0, "the example caBundle is a CA certificate");
        var annotations = guard.webhookConfiguration().getMetadata().getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey(WebhookInvariants.INJECT_CA_FROM));
    }

    // --- pods, namespaces, monitoring -----------------------------------------------------------------------------

    @Test
    void imageFollowsVariantTagAndDigest() {
        assertEquals("ghcr.io/upstream-guard/upstream-guard:0.1.0", image("default"));
        assertEquals("registry.example.com/upstream-guard:0.1.0-jvm", image("jvm-image"));
        assertEquals("registry.example.com/upstream-guard@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", image("native-image"));
        var pod = invariants("jvm-image").deployment().getSpec();
        assertEquals(3, pod.getReplicas());
        assertEquals("registry-example", pod.getTemplate().getSpec().getImagePullSecrets().get(0).getName());
        var infra = invariants("native-image").deployment().getSpec().getTemplate().getSpec();
        assertEquals(Map.of("node-role.example.com/infra", "true"), infra.getNodeSelector());
        assertEquals("node-role.example.com/infra", infra.getTolerations().get(0).getKey());
    }

    @Test
    void extraExcludedNamespacesAreSkippedBesideTheFixedOnes() {
        var webhook = invariants("excluded-namespaces").webhook();
        var byName = webhook.getNamespaceSelector().getMatchExpressions().stream()
                .filter(e -> "kubernetes.io/metadata.name".equals(e.getKey())).findFirst().orElseThrow();
        assertEquals("NotIn", byName.getOperator());
        assertEquals(List.of("kube-system", "kube-node-lease", NAMESPACE, "cert-manager", "monitoring"),
                byName.getValues());
        assertFalse(WebhookInvariants.matches(webhook.getNamespaceSelector(),
                Map.of("kubernetes.io/metadata.name", "monitoring")));
        assertTrue(WebhookInvariants.matches(webhook.getNamespaceSelector(),
                Map.of("kubernetes.io/metadata.name", "shop")));
    }

    @Test
    void monitoringScrapesTheManagementPortThroughAMetricsServiceOfItsOwn() {
        var guard = invariants("monitoring");
        var metrics = service(guard, RELEASE + "-metrics");
        var pods = guard.deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(WebhookInvariants.matches(new LabelSelector(null,
                metrics.getSpec().getSelector()), pods));
        var port = metrics.getSpec().getPorts().get(0);
        assertEquals("management", port.getTargetPort().getStrVal());
        var monitor = generic("monitoring", "ServiceMonitor", RELEASE);
        assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
        var selector = (Map<?, ?>) ((Map<?, ?>) spec(monitor).get("selector")).get("matchLabels");
        assertTrue(metrics.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                "ServiceMonitor selector " + selector + " does not select " + metrics.getMetadata().getLabels());
        assertFalse(service(guard, RELEASE).getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                "the ServiceMonitor also selects the webhook Service, which has no metrics port");
        var endpoint = (Map<?, ?>) ((List<?>) spec(monitor).get("endpoints")).get(0);
        assertEquals(port.getName(), endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertNoProblems("default", rendered.get("default").stream()
                .filter(o -> o instanceof GenericKubernetesResource || o.getMetadata().getName().endsWith("-metrics"))
                .map(o -> o.getKind() + " " + o.getMetadata().getName() + " rendered with monitoring off").toList());
    }

    @Test
    void prometheusRuleAlertsOnEveryGuardSeries() {
        var rule = generic("monitoring", "PrometheusRule", RELEASE);
        var exprs = new LinkedHashMap<String, String>();
        for (var group : (List<?>) spec(rule).get("groups")) {
            for (var r : (List<?>) ((Map<?, ?>) group).get("rules")) {
                var m = (Map<?, ?>) r;
                exprs.put(String.valueOf(m.get("alert")), String.valueOf(m.get("expr")));
            }
        }
        assertTrue(exprs.get("UpstreamGuardDown").contains("up{job=~\".*upstream-guard.*\"} == 0"), exprs.toString());
        assertTrue(exprs.get("UpstreamGuardSlowReviews").contains("http_server_requests_seconds")
                && exprs.get("UpstreamGuardSlowReviews").contains("uri=\"/validate\""), exprs.toString());
        assertTrue(exprs.get("UpstreamGuardDenialSpike").contains("upstream_guard_reviews_total{decision=\"denied\"}"));
        assertTrue(exprs.get("UpstreamGuardBrokenRoutes").contains("upstream_guard_broken_routes) > 0"));
        assertTrue(exprs.get("UpstreamGuardInformerStale").contains("upstream_guard_informer_staleness_seconds) > 60"));
        assertNoProblems("monitoring", MonitoringInvariants.faultsAlert(rule));
        // The ServiceMonitor's job label is the metrics Service's name: the up{} alert must match it.
        assertTrue((RELEASE + "-metrics").matches(".*upstream-guard.*"));
    }

    @Test
    void dashboardIsAGrafanaSidecarConfigMapWithPanelsForEveryGuardSeries() throws Exception {
        var dashboard = rendered.get("monitoring").stream().filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast).filter(cm -> cm.getMetadata().getName().endsWith("-dashboard")).findFirst()
                .orElseThrow();
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals("monitoring", dashboard.getMetadata().getNamespace());
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("upstream-guard.json"));
        assertEquals("upstream-guard", json.get("uid").asText());
        var exprs = new ArrayList<String>();
        json.get("panels").forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        for (var series : List.of("up{", "upstream_guard_reviews_total", "upstream_guard_review_duration_seconds",
                "upstream_guard_broken_routes", "upstream_guard_informer_staleness_seconds")) {
            assertTrue(exprs.stream().anyMatch(e -> e.contains(series)), "no panel shows " + series + ": " + exprs);
        }
        assertNoProblems("monitoring", MonitoringInvariants.faultsPanel(json));
    }

    @Test
    void oneReplicaGetsNoPodDisruptionBudget_whichWouldBlockEveryDrain() throws IOException {
        var single = render("single-replica", template(CHART, "default", Map.of("replicaCount", "1")));
        assertTrue(single.stream().noneMatch(PodDisruptionBudget.class::isInstance));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** A copy of the chart under target/ whose Secret lookup answers {@code secret} and that renders as an upgrade. */
    static Path upgradeChart(String secret) throws IOException {
        var copy = Path.of("target", "helm-upgrade-chart", "upstream-guard");
        deleteRecursively(copy.getParent());
        try (Stream<Path> files = Files.walk(CHART)) {
            for (var f : files.toList()) {
                var to = copy.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        var webhook = copy.resolve("templates/webhook.yaml");
        var text = Files.readString(webhook);
        var lookup = "lookup \"v1\" \"Secret\" .Release.Namespace $secretName";
        assertTrue(text.contains(lookup) && text.contains(".Release.IsUpgrade"), "webhook.yaml no longer has " + lookup);
        Files.writeString(webhook, text.replace(lookup, secret).replace(".Release.IsUpgrade", "true"));
        return copy;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static ValidatingWebhook withoutCaBundle(ValidatingWebhook webhook) {
        var serialization = new KubernetesSerialization();
        var copy = serialization.unmarshal(serialization.asJson(webhook), ValidatingWebhook.class);
        copy.getClientConfig().setCaBundle(null);
        return copy;
    }

    private static <T extends HasMetadata> T only(WebhookInvariants guard, Class<T> type) {
        var found = guard.objects().stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), "expected exactly one " + type.getSimpleName());
        return found.get(0);
    }

    private static Service service(WebhookInvariants guard, String name) {
        return guard.objects().stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> name.equals(s.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + name));
    }

    private static TreeSet<String> kinds(WebhookInvariants guard) {
        var kinds = new TreeSet<String>();
        guard.objects().forEach(o -> kinds.add(o.getKind()));
        return kinds;
    }

    private static GenericKubernetesResource generic(String valueSet, String kind, String name) {
        return rendered.get(valueSet).stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast)
                .filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError(valueSet + ": no " + kind + " " + name));
    }

    private static Map<?, ?> spec(GenericKubernetesResource o) {
        return (Map<?, ?>) o.getAdditionalProperties().get("spec");
    }

    private static String image(String valueSet) {
        return invariants(valueSet).deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static String checksum(WebhookInvariants guard) {
        return guard.deployment().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    private static X509Certificate x509(String base64Pem) throws Exception {
        var pem = Base64.getDecoder().decode(base64Pem);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    /** The public key of a PEM private key (any algorithm), DER base64, by openssl (as certs/gen-certs.sh needs). */
    private static String publicKeyOf(String base64Pem) throws Exception {
        var key = Files.createTempFile("helm-tls", ".key");
        try {
            Files.write(key, Base64.getDecoder().decode(base64Pem));
            var process = new ProcessBuilder("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var der = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl pkey failed");
            return Base64.getEncoder().encodeToString(der);
        } finally {
            Files.delete(key);
        }
    }

    private static void assertNoProblems(String target, List<String> problems) {
        assertTrue(problems.isEmpty(), target + ":\n  " + String.join("\n  ", problems));
    }
}
