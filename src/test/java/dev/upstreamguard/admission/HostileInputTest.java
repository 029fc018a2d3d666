package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.LogCapture;
import dev.upstreamguard.support.Reviews;

/**
 * Bad bodies get a 400 with a one-line reason, in milliseconds: malformed, truncated, non-UTF-8, wrong types,
 * duplicate keys, numbers out of range, nesting beyond {@link ReviewJson#MAX_NESTING_DEPTH}, strings beyond
 * {@link ReviewJson#MAX_STRING_LENGTH}. No StackOverflowError, no exception escaping.
 */
class HostileInputTest {
    static final ReviewGate GATE = new ReviewGate(
            Reviews.handler(new ManifestLoader().load(Path.of("examples/demo-cluster")), PolicySettings.defaults()),
            8, Duration.ofMillis(250));

    static String review(String requestTail) {
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"h-1\","
                + "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"operation\":\"UPDATE\","
                + "\"namespace\":\"shop\",\"name\":\"web\"" + requestTail + "}}";
    }

    static String deployment(String spec) {
        return ",\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                + "\"namespace\":\"shop\"},\"spec\":" + spec + "}";
    }

    static Stream<Arguments> badBodies() throws Exception {
        var example = Files.readString(Path.of("examples/reviews/service-selector-typo.json"));
        var nonUtf8 = review("").replace("h-1", "h-\u00ff\u00fe").getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                Arguments.of("empty body", new byte[0], "empty body"),
                Arguments.of("whitespace", "  \n ".getBytes(), "end-of-input"),
                Arguments.of("malformed", "{\"apiVersion\":".getBytes(), "malformed AdmissionReview JSON"),
                Arguments.of("truncated review", example.substring(0, example.length() / 2).getBytes(), "malformed"),
                Arguments.of("trailing garbage", (example + "}}").getBytes(), "malformed"),
                Arguments.of("two reviews in one body", (example + example).getBytes(), "malformed"),
                Arguments.of("not UTF-8", nonUtf8, "Invalid UTF-8"),
                Arguments.of("array at the top", "[1,2]".getBytes(), "malformed"),
                Arguments.of("string at the top", "\"review\"".getBytes(), "malformed"),
                Arguments.of("null at the top", "null".getBytes(), "empty body"),
                Arguments.of("uid of the wrong type", review("").replace("\"h-1\"", "[1]").getBytes(), "malformed"),
                Arguments.of("uid a number", review("").replace("\"h-1\"", "42").getBytes(), "malformed"),
                Arguments.of("replicas a string", review(deployment("{\"replicas\":\"three\"}")).getBytes(), "Integer"),
                Arguments.of("replicas a fraction", review(deployment("{\"replicas\":2.5}")).getBytes(), "Integer"),
                Arguments.of("dryRun \"true\"", review(",\"dryRun\":\"true\"").getBytes(), "Boolean"),
                Arguments.of("dryRun not a boolean", review(",\"dryRun\":\"maybe\"").getBytes(), "Boolean"),
                Arguments.of("labels an array", review(",\"object\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\","
                        + "\"metadata\":{\"labels\":[1]}}").getBytes(), "malformed"),
                Arguments.of("object of the wrong kind", review(",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}")
                        .getBytes(), "request.object is not a Deployment"),
                Arguments.of("object a string", review(",\"object\":\"web\"").getBytes(), "request.object is not a Deployment"),
                Arguments.of("duplicate uid", review(",\"uid\":\"h-2\"").getBytes(), "Duplicate field 'uid'"),
                Arguments.of("duplicate label", review(",\"object\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\","
                        + "\"metadata\":{\"labels\":{\"app\":\"web\",\"app\":\"evil\"}}}").getBytes(), "Duplicate field 'app'"),
                Arguments.of("a null container", review(deployment("{\"template\":{\"spec\":{\"containers\":[null]}}}"))
                        .getBytes(), "null"),
                Arguments.of("a null Service port", review(",\"object\":{\"kind\":\"Service\",\"apiVersion\":\"v1\","
                        + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[null]}}").getBytes(), "null"),
                Arguments.of("a null Ingress path", review(",\"object\":{\"kind\":\"Ingress\",\"apiVersion\":"
                        + "\"networking.k8s.io/v1\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"rules\":[{\"host\":\"a\","
                        + "\"http\":{\"paths\":[null]}}]}}").getBytes(), "null"),
                Arguments.of("replicas beyond int", review(deployment("{\"replicas\":99999999999}")).getBytes(), "out of range"),
                Arguments.of("replicas 1e400", review(deployment("{\"replicas\":1e400}")).getBytes(), "Integer"),
                Arguments.of("a 500-digit number", review(deployment("{\"replicas\":" + "9".repeat(500) + "}")).getBytes(),
                        "Number value length"),
                Arguments.of("nesting 100000 deep", review(deployment("{\"x\":" + "[".repeat(100_000)
                        + "]".repeat(100_000) + "}")).getBytes(), "nesting depth"),
                Arguments.of("objects nested 10000 deep", review(deployment("{\"x\":" + "{\"a\":".repeat(10_000) + "1"
                        + "}".repeat(10_000) + "}")).getBytes(), "nesting depth"),
                Arguments.of("a 5 MiB string", review(",\"x\":\"" + "a".repeat(5 << 20) + "\"").getBytes(),
                        "String value length"),
                Arguments.of("no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}".getBytes(),
                        "AdmissionReview has no request"),
                Arguments.of("uid empty", review("").replace("\"h-1\"", "\"\"").getBytes(), "request.uid is missing"),
                Arguments.of("uid blank", review("").replace("\"h-1\"", "\"  \"").getBytes(), "request.uid is missing"),
                Arguments.of("uid null", review("").replace("\"h-1\"", "null").getBytes(), "request.uid is missing"),
                Arguments.of("v1beta1", review("").replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1").getBytes(),
                        "only admission.k8s.io/v1"),
                Arguments.of("not an AdmissionReview", review("").replace("\"kind\":\"AdmissionReview\"",
                        "\"kind\":\"TokenReview\"").getBytes(), "is not an AdmissionReview"),
                Arguments.of("no operation", review(deployment("{}")).replace("\"operation\":\"UPDATE\",", "").getBytes(),
                        "request.operation is missing"),
                Arguments.of("UPDATE without object", review("").getBytes(), "request.object is missing for UPDATE"),
                Arguments.of("DELETE without oldObject", review("").replace("UPDATE", "DELETE").getBytes(),
                        "request.oldObject is missing for DELETE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void answers400WithOneLine_inMilliseconds(String what, byte[] body, String reason) {
        long start = System.nanoTime();
        var reply = GATE.handle(body, "10s");
        var took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(reply.status()).as(what).isEqualTo(400);
        var error = ((Map<?, ?>) reply.entity()).get("error").toString();
        assertThat(error).as(what).contains(reason).doesNotContain("\n").hasSizeLessThan(500);
        assertThat(took).as(what + " answered in " + took.toMillis() + " ms").isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void reviewTextInLogLinesIsCutAndCleaned() throws Exception {
        // a denied review whose uid and username are huge and break lines: its INFO line stays one short line
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var review = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                Files.readString(Path.of("examples/reviews/ingress-port-typo.json")));
        var request = (com.fasterxml.jackson.databind.node.ObjectNode) review.get("request");
        request.put("uid", "u-1\nFAKE LOG LINE " + "u".repeat(100_000));
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("userInfo"))
                .put("username", "bob\r\nFAKE " + "b".repeat(100_000));
        try (var log = LogCapture.of("dev.upstreamguard", java.util.logging.Level.INFO)) {
            var reply = GATE.handle(mapper.writeValueAsBytes(review), "10s");
            assertThat(reply.status()).isEqualTo(200);
            var denied = log.infoAndAbove().stream().filter(l -> l.message().startsWith("Denied")).toList();
            assertThat(denied).hasSize(1);
            var line = denied.get(0).message();
            assertThat(line).doesNotContain("\n").doesNotContain("\r").hasSizeLessThan(800)
                    .contains("u-1?FAKE LOG LINE").contains("(100018 chars)").contains("bob??FAKE");
        }
    }

    @Test
    void aThreeMiBObjectPlusAThreeMiBOldObjectIsJudged() {
        var big = "x".repeat(3 << 20);
        var body = review(deployment("{\"replicas\":2}").replace("\"namespace\":\"shop\"}",
                "\"namespace\":\"shop\",\"annotations\":{\"note\":\"" + big + "\"}}")
                + deployment("{\"replicas\":2}").replace(",\"object\"", ",\"oldObject\"").replace("\"namespace\":\"shop\"}",
                "\"namespace\":\"shop\",\"annotations\":{\"note\":\"" + big + "\"}}")).getBytes();
        assertThat(body.length).isGreaterThan(6 << 20);
        var reply = GATE.handle(body, "10s");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(ReviewGateTest.review(reply).getResponse().getUid()).isEqualTo("h-1");
    }
}
