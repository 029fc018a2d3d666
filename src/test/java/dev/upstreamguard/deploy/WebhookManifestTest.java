package dev.upstreamguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.upstreamguard.cluster.ManifestLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;

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

    private static void assertNoProblems(String target, List<String> problems) {
        assertTrue(problems.isEmpty(), target + ":\n  " + String.join("\n  ", problems));
    }
}
