package dev.upstreamguard.admission;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.internal.KubernetesDeserializer;

/**
 * Reads {@code request.object} and {@code request.oldObject} straight into the fabric8 class their {@code apiVersion}
 * and {@code kind} name. fabric8's own {@link KubernetesDeserializer} first reads the whole object into a
 * {@code JsonNode} tree to find those two fields, then binds the tree: for a 20 KB Deployment that is half of the
 * parse. The API server writes {@code apiVersion} and {@code kind} first (Go's TypeMeta leads every object), so here
 * they are read as they come, and the rest of the object is bound from the same parser without a tree. Anything else
 * (another order, a kind fabric8 does not know, not an object) goes through fabric8's deserializer as before, from a
 * token buffer of what was read: the result is the same object either way.
 */
final class ReviewObjectDeserializer extends JsonDeserializer<KubernetesResource> {
    private static final String API_VERSION = "apiVersion";
    private static final String KIND = "kind";
    /** Bean deserializers by "apiVersion/kind", looked up once per mapper (this instance belongs to one). */
    private final Map<String, Optional<JsonDeserializer<Object>>> beans = new ConcurrentHashMap<>();
    private volatile KubernetesDeserializer fabric8;

    @Override
    public KubernetesResource deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        var fabric8 = fabric8(ctxt);
        if (!p.isExpectedStartObjectToken()) {
            return fabric8.deserialize(p, ctxt);
        }
        String apiVersion = null;
        String kind = null;
        // at most the two leading fields, each only when it is apiVersion or kind with a string value
        JsonToken t = p.nextToken();
        while (t == JsonToken.FIELD_NAME && (apiVersion == null || kind == null)) {
            var name = p.currentName();
            boolean wanted = (API_VERSION.equals(name) && apiVersion == null) || (KIND.equals(name) && kind == null);
            if (!wanted) {
                break;
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return viaFabric8(p, ctxt, fabric8, apiVersion, kind, name);
            }
            if (API_VERSION.equals(name)) {
                apiVersion = p.getText();
            } else {
                kind = p.getText();
            }
            t = p.nextToken();
        }
        var bean = apiVersion == null || kind == null ? Optional.<JsonDeserializer<Object>>empty()
                : beanFor(apiVersion, kind, fabric8, ctxt);
        if (bean.isEmpty()) {
            return viaFabric8(p, ctxt, fabric8, apiVersion, kind, null);
        }
        // the parser is at the third field (or the end): a bean deserializer binds an object from there on
        var object = (HasMetadata) bean.get().deserialize(p, ctxt);
        object.setApiVersion(apiVersion); // the kind is the class's own: that is how it was found
        return object;
    }

    /** The bean deserializer of the fabric8 class registered for apiVersion and kind, if it is an object with metadata. */
    private Optional<JsonDeserializer<Object>> beanFor(String apiVersion, String kind, KubernetesDeserializer fabric8,
            DeserializationContext ctxt) throws IOException {
        var key = apiVersion + "/" + kind;
        var known = beans.get(key);
        if (known != null) {
            return known;
        }
        Class<? extends KubernetesResource> type = fabric8.getRegisteredKind(apiVersion, kind);
        Optional<JsonDeserializer<Object>> found = Optional.empty();
        if (type != null && HasMetadata.class.isAssignableFrom(type)) {
            var deserializer = ctxt.findRootValueDeserializer(ctxt.constructType(type));
            if (deserializer instanceof BeanDeserializerBase) {
                found = Optional.of(deserializer);
            }
        }
        if (beans.size() < 256) { // kinds fabric8 knows; a flood of made-up kinds is not remembered
            beans.put(key, found);
        }
        return found;
    }

    /**
     * Hands the object to fabric8 as if nothing had been read: the fields consumed so far, then the rest of the object
     * (from the current token, or from the value of {@code pendingField} when one was being read).
     */
    private static KubernetesResource viaFabric8(JsonParser p, DeserializationContext ctxt,
            KubernetesDeserializer fabric8, String apiVersion, String kind, String pendingField) throws IOException {
        var buffer = ctxt.bufferForInputBuffering(p);
        buffer.writeStartObject();
        if (apiVersion != null) {
            buffer.writeStringField(API_VERSION, apiVersion);
        }
        if (kind != null) {
            buffer.writeStringField(KIND, kind);
        }
        if (pendingField != null) {
            buffer.writeFieldName(pendingField);
            buffer.copyCurrentStructure(p);
            p.nextToken();
        }
        copyRest(p, buffer);
        try (var replay = buffer.asParserOnFirstToken()) {
            return fabric8.deserialize(replay, ctxt);
        }
    }

    /** Copies fields from the current one to the end of the object, and the end. */
    private static void copyRest(JsonParser p, TokenBuffer buffer) throws IOException {
        for (JsonToken t = p.currentToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            buffer.copyCurrentStructure(p); // the name and its whole value
        }
        buffer.writeEndObject();
    }

    private KubernetesDeserializer fabric8(DeserializationContext ctxt) throws IOException {
        var known = fabric8;
        if (known != null) {
            return known;
        }
        Object deserializer = ctxt.findRootValueDeserializer(ctxt.constructType(KubernetesResource.class));
        if (deserializer instanceof KubernetesDeserializer k) {
            fabric8 = k;
            return k;
        }
        throw new IllegalStateException("KubernetesResource is not read by fabric8's KubernetesDeserializer but by "
                + deserializer.getClass().getName());
    }
}
