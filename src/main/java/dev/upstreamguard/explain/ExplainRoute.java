package dev.upstreamguard.explain;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.GuardConfig;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.RuleCatalog;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /explain?url=...} (or {@code ?ingress=}, {@code ?route=}, {@code ?service=} {@code NS/NAME}) on the
 * management interface: the request path of one URL walked hop by hop over the live view, as text, or as JSON with
 * {@code format=json}. {@code method} and {@code header} (repeatable, {@code Name: value}) describe the request. Bad
 * input is a 400 with one line of JSON. Not on the port the webhook Service exposes: the answer names Services, pods
 * and findings of any namespace.
 */
@ApplicationScoped
public class ExplainRoute {
    static final String PATH = "/explain";
    private static final Logger LOG = Logger.getLogger(ExplainRoute.class);
    private static final Set<String> PARAMETERS = Set.of("url", "ingress", "route", "service", "format", "method",
            "header");

    private final ClusterViews views;
    private final ObjectMapper mapper;
    private final Judge judge;

    public ExplainRoute(ClusterViews views, ObjectMapper mapper, GuardConfig config) {
        this.views = views;
        this.mapper = mapper;
        var decider = new Decider(config.policy());
        this.judge = new Judge(new Evaluator(RuleCatalog.with(config.ingressNginx().annotationsPrefix(),
                config.livenessBudgetSeconds())), decider::withConfiguredSeverity,
                config.ingressNginx().annotationsPrefix());
    }

    /** Fired only when the management interface is enabled (it is in every profile: application.properties). */
    void register(@Observes ManagementInterface management) {
        // blocking: explain lists whole-view kinds for unknown hosts; short, and never on the webhook's event loops
        management.router().get(PATH).blockingHandler(this::explain, false);
    }

    private void explain(RoutingContext rc) {
        ExplainQuery query;
        String format;
        try {
            format = format(rc);
            query = query(rc);
        } catch (ExplainInputException e) {
            error(rc, 400, e.getMessage());
            return;
        }
        if (!views.view().synced()) {
            error(rc, 503, "the cluster view has not synced yet: try again in a few seconds");
            return;
        }
        var explanation = new Explainer(views.index(), judge, views.live()).explain(query);
        if (format.equals("json")) {
            try {
                rc.response().putHeader("Content-Type", "application/json")
                        .end(mapper.writeValueAsString(ExplainJson.render(explanation, mapper)));
            } catch (JsonProcessingException e) {
                LOG.errorf(e, "Could not write the explanation");
                rc.fail(e);
            }
            return;
        }
        rc.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(ExplainText.render(explanation));
    }

    private static String format(RoutingContext rc) {
        for (var name : rc.queryParams().names()) {
            if (!PARAMETERS.contains(name)) {
                throw new ExplainInputException("unknown parameter \"" + RequestUrl.shorten(name) + "\": use url, "
                        + "ingress, route or service, and format, method, header");
            }
        }
        var format = single(rc, "format");
        if (format == null || format.equals("text")) {
            return "text";
        }
        if (format.equals("json")) {
            return "json";
        }
        throw new ExplainInputException("format must be text or json, not \"" + RequestUrl.shorten(format) + "\"");
    }

    private static ExplainQuery query(RoutingContext rc) {
        var asked = List.of(ExplainQuery.Subject.values()).stream()
                .filter(s -> rc.queryParams().contains(s.parameter())).toList();
        if (asked.size() != 1) {
            throw new ExplainInputException(asked.isEmpty()
                    ? "nothing to explain: give url=, or ingress=, route= or service= NAMESPACE/NAME"
                    : "explain one thing at a time: one of url, ingress, route, service");
        }
        var subject = asked.get(0);
        var value = single(rc, subject.parameter());
        if (subject == ExplainQuery.Subject.URL) {
            return ExplainQuery.url(value, single(rc, "method"), rc.queryParams().getAll("header"));
        }
        if (rc.queryParams().contains("method") || rc.queryParams().contains("header")) {
            throw new ExplainInputException("method and header describe a request: they go with url, not with "
                    + subject.parameter());
        }
        return ExplainQuery.object(subject, value);
    }

    private static String single(RoutingContext rc, String name) {
        var values = rc.queryParams().getAll(name);
        if (values.size() > 1) {
            throw new ExplainInputException(name + " is given " + values.size() + " times: give it once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private void error(RoutingContext rc, int status, String message) {
        var body = mapper.createObjectNode().put("error", message.lines().findFirst().orElse(message)).toString();
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body + "\n");
    }
}
