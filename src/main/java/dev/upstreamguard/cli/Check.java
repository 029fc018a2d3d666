package dev.upstreamguard.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.admission.ReviewHandler;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * One {@code check}: read the bundle, set aside what the API server would refuse, load the cluster, replay the sync
 * in the tool's order through the webhook's own handler (the same evaluator, decision table, exemptions, modes and
 * waivers as {@code /validate}), then audit the end state. Free of CDI: it runs before (and instead of) Quarkus.
 */
public final class Check {
    private final ObjectMapper mapper = new ObjectMapper();
    private final KubernetesSerialization serialization = new KubernetesSerialization(mapper, true);
    private final ManifestLoader loader = new ManifestLoader(serialization);
    private final ServedApis served = new ServedApis(mapper);

    public ObjectMapper mapper() {
        return mapper;
    }

    public CheckResult run(CheckOptions options, InputStream stdin) {
        var settings = PolicySettings.defaults().withMode(options.mode());
        var notes = new ArrayList<String>();
        try (var client = options.cluster().equals("live") ? ClusterSources.liveClient() : null) {
            var namespace = options.namespace() != null ? options.namespace()
                    : client != null && client.getNamespace() != null ? client.getNamespace() : "default";
            var bundle = new BundleReader(loader, namespace, stdin).read(options.files());
            var invalid = new ArrayList<CheckResult.Invalid>();
            var valid = accepted(bundle, invalid);
            var state = new ClusterState(new ClusterIndex());
            var end = new EndState();
            Consumer<HasMetadata> sink = o -> {
                state.put(o);
                end.putFromCluster(o);
            };
            switch (options.cluster()) {
                case "none" -> { }
                case "live" -> ClusterSources.live(client, sink, notes::add);
                default -> ClusterSources.snapshot(Path.of(options.cluster()), loader, sink);
            }
            valid = valid.stream().map(b -> state.live(b.ref()).map(live -> {
                var copy = b.with(serialization.clone(b.object()));
                SyncReplay.Identity.carry(live, copy.object());
                return copy;
            }).orElse(b)).toList();
            var evaluator = new Evaluator();
            var handler = new ReviewHandler(mapper, state::index, evaluator, new Decider(settings));
            var steps = options.order().plan(valid);
            var replay = new SyncReplay(state, SyncReplay.judgeWith(handler), mapper).run(steps);
            var applied = steps.stream().filter(s -> !s.dryRun()).reduce((a, b) -> b).map(ApplyOrder.Step::objects)
                    .orElse(valid);
            var broken = notDeniedAlready(end.afterApplying(applied, settings, evaluator), replay.answers());
            return new CheckResult(options, namespace, bundle.size(), invalid, replay.answers(), broken, notes);
        }
    }

    /** What is broken at the end, less what a denial already reports (the same rule on the same subject). */
    private List<EndState.Broken> notDeniedAlready(List<EndState.Broken> broken, List<SyncReplay.Answer> answers) {
        var denied = new java.util.HashSet<String>();
        for (var a : answers) {
            if (a.denied()) {
                SyncReplay.findings(a.response(), mapper).stream().filter(f -> f.action().equals("deny"))
                        .forEach(f -> denied.add(f.rule() + " " + f.subject()));
            }
        }
        return broken.stream().filter(b -> !denied.contains(b.finding().rule() + " " + b.finding().subject())).toList();
    }

    /** The objects the API server accepts, in the version the webhook judges; the others go to {@code invalid}. */
    private List<BundleObject> accepted(List<BundleObject> bundle, List<CheckResult.Invalid> invalid) {
        var out = new ArrayList<BundleObject>();
        for (var b : bundle) {
            var notServed = ServedApis.notServed(b.object());
            if (notServed.isPresent()) {
                invalid.add(new CheckResult.Invalid(b, notServed.get()));
                continue;
            }
            var judged = served.asJudged(b.object());
            var problems = ApiValidation.problems(judged);
            if (!problems.isEmpty()) {
                invalid.add(new CheckResult.Invalid(b, "the API server refuses it: " + String.join("; ", problems)));
                continue;
            }
            out.add(b.with(judged));
        }
        return out;
    }
}
