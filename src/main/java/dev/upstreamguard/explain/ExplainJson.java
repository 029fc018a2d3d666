package dev.upstreamguard.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer as JSON, schema {@code upstream-guard.dev/explain/v1} (documented in docs/explain.md): fields are only
 * ever added. Built as a tree, so no class of ours needs reflection in the native image.
 */
public final class ExplainJson {
    public static final String SCHEMA = "upstream-guard.dev/explain/v1";

    private ExplainJson() {
    }

    public static ObjectNode render(Explanation e, ObjectMapper mapper) {
        var root = mapper.createObjectNode();
        root.put("apiVersion", SCHEMA);
        query(root.putObject("query"), e.query());
        root.put("healthy", e.healthy());
        var first = e.firstBroken().orElse(null);
        if (first == null) {
            root.putNull("firstBrokenHop");
        } else {
            hop(root.putObject("firstBrokenHop"), first).put("line", first.line());
        }
        root.put("verdict", e.verdictLine());
        if (e.unresolved() == null) {
            root.putNull("unresolved");
        } else {
            hop(root.putObject("unresolved"), e.unresolved());
        }
        var suggestions = root.putArray("suggestions");
        e.suggestions().forEach(suggestions::add);
        var sections = root.putArray("sections");
        for (var s : e.sections()) {
            section(sections.addObject(), s);
        }
        return root;
    }

    private static void query(ObjectNode node, ExplainQuery q) {
        node.put("subject", q.subject().parameter());
        if (q.subject() == ExplainQuery.Subject.URL) {
            var u = q.url();
            node.put("url", u.text()).put("scheme", u.scheme()).put("host", u.host()).put("port", u.port())
                    .put("path", u.path()).put("method", q.method());
            var headers = node.putObject("headers");
            q.headers().forEach(headers::put);
        } else {
            node.put("namespace", q.namespace()).put("name", q.name());
        }
    }

    private static void section(ObjectNode node, Section s) {
        node.put("dataPlane", s.dataPlane());
        var r = s.resolution();
        if (r == null) {
            node.putNull("server").putNull("winner");
        } else {
            node.put("server", r.server());
            if (r.winner() == null) {
                node.putNull("winner");
            } else {
                contender(node.putObject("winner"), r.winner());
            }
        }
        var others = node.putArray("alsoMatched");
        if (r != null) {
            r.others().forEach(c -> contender(others.addObject(), c));
        }
        if (s.broken() == null) {
            node.putNull("broken");
        } else {
            hop(node.putObject("broken"), s.broken());
        }
        var notes = node.putArray("notes");
        s.notes().forEach(notes::add);
        var routes = node.putArray("routes");
        for (var w : s.walks()) {
            route(routes.addObject(), w);
        }
    }

    private static void route(ObjectNode node, WalkedRoute w) {
        var b = w.target().route();
        node.put("route", b.route().toString()).put("field", b.field()).put("where", b.where())
                .put("service", b.service().toString()).put("port", b.portLabel()).put("share", w.target().share())
                .put("title", w.title());
        var hops = node.putArray("hops");
        w.hops().forEach(h -> hop(hops.addObject(), h));
        var broken = w.broken().orElse(null);
        if (broken == null) {
            node.putNull("broken");
        } else {
            node.put("broken", broken.name());
        }
        var timeouts = node.putArray("timeouts");
        for (var t : w.timeouts()) {
            var o = timeouts.addObject().put("name", t.name()).put("value", t.value()).put("source", t.source())
                    .put("note", t.note());
            problem(o, t.problem());
        }
    }

    private static void contender(ObjectNode node, Contender c) {
        node.put("route", c.route()).put("field", c.field()).put("match", c.match()).put("verdict", c.verdict());
    }

    private static ObjectNode hop(ObjectNode node, Hop h) {
        node.put("hop", h.name()).put("state", h.state().label()).put("text", h.text());
        problem(node, h.problem());
        return node;
    }

    private static void problem(ObjectNode node, Problem p) {
        if (p == null) {
            node.putNull("problem");
            return;
        }
        node.putObject("problem").put("rule", p.rule()).put("severity", p.severity()).put("message", p.message())
                .put("fix", p.fix());
    }
}
