package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The one packaged artifact, {@code target/quarkus-app/quarkus-run.jar}: started with {@code check} (or
 * {@code explain}) it answers and exits without binding the webhook's port (the port is held by this test, so a
 * webhook start would fail); started as the README's first command does, it serves {@code /validate}.
 */
class RunnerJarIT {
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    static List<String> java(String... args) {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void checkRunsFromTheRunnerJarWithoutBindingTheWebhookPort() throws Exception {
        assertThat(JAR).exists();
        try (var held = new ServerSocket(0)) {
            var process = new ProcessBuilder(java("-Dquarkus.http.port=" + held.getLocalPort(), "-jar", JAR.toString(),
                    "check", "-f", "examples/check/port-typo.yaml", "--cluster", "examples/demo-cluster"))
                    .start();
            process.getOutputStream().close();
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out + err).isEqualTo(1);
            assertThat(out).contains("DENIED   examples/check/port-typo.yaml:2 (document 1)  UPDATE "
                    + "Ingress shop/web").contains("[ingress-service-port-missing]");
            assertThat(err).as("no log line, no stack trace").isEmpty();
        }
    }

    @Test
    void explainRunsFromTheRunnerJarWithoutBindingTheWebhookPort() throws Exception {
        try (var held = new ServerSocket(0)) {
            var process = new ProcessBuilder(java("-Dquarkus.http.port=" + held.getLocalPort(), "-jar", JAR.toString(),
                    "explain", "http://shop.example.com/catalog", "--cluster", "examples/demo-cluster")).start();
            process.getOutputStream().close();
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out + err).isEqualTo(0);
            assertThat(out).contains("wins  HTTPRoute shop/catalog rules[0].matches[0]").endsWith("\nroute healthy\n");
            assertThat(err).as("no log line, no stack trace").isEmpty();
        }
    }

    @Test
    void withoutCheckTheRunnerJarStartsTheWebhookOnTheDemoCluster() throws Exception {
        int port;
        try (var free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        var log = Files.createTempFile("webhook", ".log");
        var process = new ProcessBuilder(java("-Dquarkus.profile=demo", "-Dquarkus.http.port=" + port, "-jar",
                JAR.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            var client = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/validate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofFile(Path.of("examples/reviews/ingress-port-typo.json"))).build();
            HttpResponse<String> response = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (response == null && System.nanoTime() < deadline && process.isAlive()) {
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    Thread.sleep(300);
                }
            }
            assertThat(response).as("webhook answered; log:\n" + Files.readString(log)).isNotNull();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"allowed\":false").contains("ingress-service-port-missing");
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
