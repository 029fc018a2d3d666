package dev.upstreamguard.cli;

import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.upstreamguard.admission.ReviewHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Builds the AdmissionReview JSON the API server would send the webhook for one write: kind and resource, name and
 * namespace, operation, user, object and oldObject, dryRun and the operation's options.
 */
public final class AdmissionRequests {
    /** Who the replayed writes come from: no exemption names it. */
    public static final String USERNAME = "upstream-guard-check";

    private final ObjectMapper mapper;
    private final AtomicLong sequence = new AtomicLong();

    public AdmissionRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param operation CREATE, UPDATE or DELETE
     * @param object    the new object (null on DELETE)
     * @param old       the stored object (null on CREATE)
     */
    public byte[] review(String operation, HasMetadata object, HasMetadata old, boolean dryRun) {
        var current = object != null ? object : old;
        var gvk = ServedApis.gvk(current);
        var request = mapper.createObjectNode();
        request.put("uid", String.format("00000000-0000-4000-8000-%012d", sequence.incrementAndGet()));
        var kind = request.putObject("kind");
        kind.put("group", gvk.getGroup()).put("version", gvk.getVersion()).put("kind", gvk.getKind());
        var resource = request.putObject("resource");
        resource.put("group", gvk.getGroup()).put("version", gvk.getVersion())
                .put("resource", HasMetadata.getPlural(current.getClass()));
        request.set("requestKind", kind.deepCopy());
        request.set("requestResource", resource.deepCopy());
        request.put("name", current.getMetadata().getName());
        if (current.getMetadata().getNamespace() != null) {
            request.put("namespace", current.getMetadata().getNamespace());
        }
        request.put("operation", operation);
        var user = request.putObject("userInfo");
        user.put("username", USERNAME);
        user.putArray("groups").add("system:authenticated");
        if (object != null) {
            request.set("object", mapper.valueToTree(object));
        }
        if (old != null) {
            request.set("oldObject", mapper.valueToTree(old));
        }
        request.put("dryRun", dryRun);
        options(request.putObject("options"), operation, dryRun);
        var review = mapper.createObjectNode();
        review.put("apiVersion", ReviewHandler.API_VERSION);
        review.put("kind", "AdmissionReview");
        review.set("request", request);
        try {
            return mapper.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the review of " + current.getKind() + " "
                    + current.getMetadata().getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void options(ObjectNode options, String operation, boolean dryRun) {
        options.put("apiVersion", "meta.k8s.io/v1");
        options.put("kind", switch (operation) {
            case "CREATE" -> "CreateOptions";
            case "DELETE" -> "DeleteOptions";
            default -> "UpdateOptions";
        });
        if (dryRun) {
            options.putArray("dryRun").add("All");
        }
        if (!"DELETE".equals(operation)) {
            options.put("fieldManager", USERNAME);
        }
    }
}
