package dev.upstreamguard.admission;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;

/**
 * How an AdmissionReview body is read: with explicit limits, so hostile JSON costs a 400 in milliseconds and never a
 * StackOverflowError or a memory spike, and with duplicate keys refused (two {@code uid}s, two values for a label: the
 * last one silently winning is how a reviewed object differs from the stored one), scalars of the wrong type (no
 * coercion of 42 into a string or "yes" into a boolean) and anything after the review.
 */
public final class ReviewJson {
    /** Deeper than any Kubernetes object nests (a Deployment is about 15 levels), far from the stack's limit. */
    public static final int MAX_NESTING_DEPTH = 200;
    /** One string: above the API server's 3 MiB object limit, so only a hostile body reaches it. */
    public static final int MAX_STRING_LENGTH = 4 * 1024 * 1024;
    /** Digits in one number: a port or replica count needs ten. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** The whole document, matching {@code quarkus.http.limits.max-body-size} (which answers 413 before this). */
    public static final long MAX_DOCUMENT_LENGTH = 16L * 1024 * 1024;

    private final ObjectReader reader;

    private ReviewJson(ObjectReader reader) {
        this.reader = reader;
    }

    /** Reads one review; anything after it (a second document, stray brackets) is an error too. */
    public AdmissionReview read(byte[] body) throws IOException {
        try (var parser = reader.createParser(body)) {
            AdmissionReview review = reader.readValue(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "unexpected " + parser.currentToken() + " after the review");
            }
            return review;
        }
    }

    /** A reader of AdmissionReviews over a copy of the given fabric8-aware mapper, with the limits above. */
    public static ReviewJson strict(ObjectMapper mapper) {
        var strict = mapper.copy();
        strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build());
        strict.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // the API server sends every scalar as its schema's type: a uid of 42 or a dryRun of "yes" is not a review
        // (integers stay as fabric8's GoCompatibilityModule reads them: "3" is 3, as in Go's string-tagged fields)
        strict.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        // no object the API server sends has a null inside a list (Go slices of structs cannot hold one); a rule walking
        // containers or ports must not meet one either
        strict.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        // object and oldObject bound without fabric8's intermediate tree, and what no rule reads skipped, not bound
        strict.addMixIn(AdmissionRequest.class, RequestObjects.class);
        strict.addMixIn(ObjectMeta.class, MetadataRead.class);
        strict.addMixIn(Container.class, ContainerRead.class);
        strict.addMixIn(PodSpec.class, PodSpecRead.class);
        // not DeserializationFeature.FAIL_ON_TRAILING_TOKENS: fabric8 reads nested objects through it and fails them
        return new ReviewJson(strict.readerFor(AdmissionReview.class));
    }

    /** Mix-in: the two objects of a request, through {@link ReviewObjectDeserializer}. */
    abstract static class RequestObjects {
        @JsonDeserialize(using = ReviewObjectDeserializer.class)
        abstract void setObject(Object object);

        @JsonDeserialize(using = ReviewObjectDeserializer.class)
        abstract void setOldObject(Object oldObject);
    }

    /*
     * What no rule reads is skipped in reviews: the parser steps over it (still checking it is well-formed JSON) but
     * binds nothing. In a typical Deployment that is more than half the bytes: managedFields and the containers' env.
     * A rule that starts reading one of these fields must take it off these lists (RuleFixturesTest would not notice:
     * fixtures are read whole). Relevance compares objects as read here, so a change to these fields alone is "no change
     * to any field the rules read", as it is.
     */

    /** Mix-in: {@code metadata.managedFields} (several KB of field paths per manager). */
    @JsonIgnoreProperties({"managedFields"})
    abstract static class MetadataRead {
    }

    /** Mix-in: a container's environment, mounts and resources (rules read its name, ports and probes). */
    @JsonIgnoreProperties({"env", "envFrom", "resources", "volumeMounts", "volumeDevices"})
    abstract static class ContainerRead {
    }

    /** Mix-in: a pod spec's volumes, scheduling constraints and tolerations. */
    @JsonIgnoreProperties({"volumes", "affinity", "tolerations", "topologySpreadConstraints"})
    abstract static class PodSpecRead {
    }
}
