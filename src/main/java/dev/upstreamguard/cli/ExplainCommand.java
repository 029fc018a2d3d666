package dev.upstreamguard.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.explain.ExplainInputException;
import dev.upstreamguard.explain.ExplainJson;
import dev.upstreamguard.explain.ExplainText;
import dev.upstreamguard.explain.Explainer;
import dev.upstreamguard.explain.Judge;

/**
 * {@code upstream-guard explain}: one URL (or Ingress, route, Service) walked hop by hop against a cluster read once,
 * live or from a snapshot directory, without starting the webhook. Exit 0: every route healthy; 1: a hop is broken or
 * nothing serves the host; 2: bad input or usage, told in one line on standard error, never a stack trace.
 */
public final class ExplainCommand {
    private ExplainCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            var options = ExplainOptions.parse(args);
            if (options.help()) {
                out.println(ExplainOptions.USAGE);
                return 0;
            }
            var index = new ClusterIndex();
            boolean runtimeFacts = load(options.cluster(), index, err);
            var explanation = new Explainer(index, Judge.defaults(), runtimeFacts).explain(options.query());
            if (options.output().equals("json")) {
                var mapper = new ObjectMapper();
                out.println(mapper.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(ExplainJson.render(explanation, mapper)));
            } else {
                out.print(ExplainText.render(explanation));
            }
            out.flush();
            return explanation.healthy() ? 0 : 1;
        } catch (ExplainInputException | CheckInputException e) {
            err.println("upstream-guard explain: " + e.getMessage());
            return 2;
        } catch (JsonProcessingException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            err.println("upstream-guard explain: internal error (" + e.getClass().getSimpleName() + "): "
                    + (e.getMessage() == null ? "no message" : e.getMessage().lines().findFirst().orElse("")));
            return 2;
        }
    }

    /** Reads the cluster into {@code index}; true when it holds runtime facts (live, or a snapshot with pods). */
    private static boolean load(String cluster, ClusterIndex index, PrintStream err) {
        if (cluster.equals("live")) {
            var notes = new ArrayList<String>();
            try (var client = ClusterSources.liveClient()) {
                ClusterSources.live(client, index::put, notes::add);
            }
            notes.forEach(n -> err.println("upstream-guard explain: note: " + n));
            return true;
        }
        ClusterSources.snapshot(Path.of(cluster), new ManifestLoader(), index::put);
        return index.counts().getOrDefault("Pod", 0) > 0;
    }
}
