package dev.upstreamguard.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.upstreamguard.admission.ReviewHandler;
import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.support.Corpus;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * {@code check} and the webhook never disagree: every request of the corpus replay (each app in every apply order,
 * then a re-apply and a teardown) and of the seeded faults is answered by check's handler and posted, byte for byte, to
 * the running webhook's {@code /validate}, both deciding on the same cluster view (the webhook's own, loaded from the
 * demo cluster); the two answers must be the same: allowed, denial message, warnings, findings with rule ids and
 * actions.
 */
@QuarkusTest
@TestProfile(CheckAgreesWithWebhookTest.DemoCluster.class)
class CheckAgreesWithWebhookTest {
    /** The webhook deciding on the demo cluster loaded from its manifests. */
    public static class DemoCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("upstream-guard.cluster.manifests", "examples/demo-cluster");
        }
    }

    static final ManifestLoader LOADER = new ManifestLoader();

    @Inject
    ClusterViews views;

    int compared;
    int denials;

    /** Answers with check's handler and with the webhook over HTTP, and insists they are the same. */
    SyncReplay.Judge bothAgreeing() {
        var check = SyncReplay.judgeWith(new ReviewHandler(Reviews.MAPPER, views::view, new Evaluator(),
                new Decider(PolicySettings.defaults())));
        return review -> {
            AdmissionResponse mine = check.answer(review);
            var body = given().contentType(ContentType.JSON).body(review).post("/validate").then().statusCode(200)
                    .extract().asByteArray();
            JsonNode webhook;
            try {
                webhook = Reviews.MAPPER.readTree(body).path("response");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            JsonNode ours = Reviews.MAPPER.valueToTree(mine);
            assertThat(ours).as("check's answer vs the webhook's to\n" + new String(review)).isEqualTo(webhook);
            compared++;
            if (!Boolean.TRUE.equals(mine.getAllowed())) {
                denials++;
            }
            return mine;
        };
    }

    @Test
    void everyRequestOfTheCorpusReplayAndTheSeededFaultsGetsTheSameAnswerFromBoth() throws Exception {
        var judge = bothAgreeing();
        try (var apps = Files.list(Corpus.dir())) {
            for (var app : apps.filter(Files::isDirectory).sorted().toList()) {
                var ns = CheckCorpusTest.namespaceOf(app.getFileName().toString());
                var bundle = new BundleReader(LOADER, ns, new ByteArrayInputStream(new byte[0]))
                        .read(List.of(app.toString()));
                for (var order : ApplyOrder.values()) {
                    var replay = new SyncReplay(new ClusterState(views.index()), judge, Reviews.MAPPER);
                    var steps = order.plan(bundle);
                    replay.run(steps);
                    replay.apply("re-apply", steps.get(steps.size() - 1).objects(), false);
                    var teardown = new ArrayList<>(steps.get(steps.size() - 1).objects());
                    Collections.reverse(teardown);
                    replay.delete("teardown", teardown);
                }
            }
        }
        int corpusRequests = compared;
        assertThat(corpusRequests).as("corpus requests compared").isGreaterThan(500);

        var state = new ClusterState(views.index());
        LOADER.read(Path.of("examples/demo-cluster")).forEach(state::put); // the objects the webhook's view holds
        var faults = new BundleReader(LOADER, "default", new ByteArrayInputStream(new byte[0]))
                .read(List.of("examples/check"));
        var replay = new SyncReplay(state, judge, Reviews.MAPPER);
        replay.apply("faults", faults, false);
        var created = replay.answers().stream().filter(a -> a.operation().equals("CREATE") && !a.denied())
                .map(SyncReplay.Answer::item).toList();
        replay.delete("cleanup", created);
        assertThat(denials).as("the seeded faults are denied by both").isEqualTo(4);
        assertThat(compared - corpusRequests).as("fault requests compared").isEqualTo(faults.size() + 1);
        assertThat(views.index().ingress("shop", "checkout")).as("teardown left the view as it was").isEmpty();
    }
}
