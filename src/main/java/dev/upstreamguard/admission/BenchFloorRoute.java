package dev.upstreamguard.admission;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The benchmark's floors, only with {@code bench.floor-endpoint=true} (else the routes do not exist), through the same
 * server, TLS and Jackson as {@code /validate} but deciding nothing; {@code bench/} compares {@code /validate} with them
 * side by side:
 * <ul>
 *   <li>{@code POST /bench/allow} receives the whole body, streams {@code request.uid} out of it (the rest is never
 *       parsed) and answers a fixed allowed AdmissionReview: the cost of being an HTTPS endpoint at all;</li>
 *   <li>{@code POST /bench/parse-allow} reads the review exactly as {@code /validate} does (the same {@link ReviewHandler}
 *       parse into fabric8 objects) and answers allowed: the cost of being an admission webhook that reads what it is
 *       sent. {@code /validate} over this one is the price of the decision itself.</li>
 * </ul>
 */
@ApplicationScoped
public class BenchFloorRoute {
    static final String PATH = "/bench/allow";
    static final String PARSE_PATH = "/bench/parse-allow";

    private final boolean enabled;
    private final ObjectMapper mapper;
    private final Instance<Admission> admission;

    public BenchFloorRoute(@ConfigProperty(name = "bench.floor-endpoint", defaultValue = "false") boolean enabled,
                           ObjectMapper mapper, Instance<Admission> admission) {
        this.enabled = enabled;
        this.mapper = mapper;
        this.admission = admission;
    }

    void register(@Observes Router router) {
        if (enabled) {
            // bodies read as /validate reads them
            router.post(PATH).handler(ValidateRoute.bodyHandler()).handler(this::allow);
            router.post(PARSE_PATH).handler(ValidateRoute.bodyHandler()).handler(this::parseAndAllow);
        }
    }

    private void parseAndAllow(RoutingContext rc) {
        try {
            var request = admission.get().handler().parse(rc.body().buffer().getBytes()).getRequest();
            answer(rc, request.getUid());
        } catch (BadReview e) {
            rc.response().setStatusCode(400).end("{\"error\":\"unreadable review\"}");
        }
    }

    private void allow(RoutingContext rc) {
        try {
            answer(rc, uid(rc.body().buffer()));
        } catch (IOException | RuntimeException e) {
            rc.response().setStatusCode(400).end("{\"error\":\"unreadable review\"}");
        }
    }

    private void answer(RoutingContext rc, String uid) {
        var review = new AdmissionReview();
        review.setApiVersion(ReviewHandler.API_VERSION);
        review.setKind("AdmissionReview");
        var response = new AdmissionResponse();
        response.setUid(uid);
        response.setAllowed(true);
        review.setResponse(response);
        try {
            rc.response().putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(review)));
        } catch (IOException e) {
            rc.fail(e);
        }
    }

    /** {@code request.uid}, streamed: the rest of the body is skipped, not bound. */
    private String uid(Buffer body) throws IOException {
        try (JsonParser p = mapper.getFactory().createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                var field = p.currentName();
                p.nextToken();
                if (!field.equals("request")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    var f = p.currentName();
                    p.nextToken();
                    if (f.equals("uid")) {
                        return p.getValueAsString();
                    }
                    p.skipChildren();
                }
            }
            throw new IOException("no request.uid");
        }
    }
}
