package dev.upstreamguard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.upstreamguard.cluster.ManifestLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A seeded generator of hostile AdmissionReview bodies: starts from real reviews (examples/reviews and reviews of every
 * object in the rule fixtures) and applies one to three mutations — byte flips, truncation, deleted ranges, duplicated
 * keys, type swaps, deep nesting, huge strings, random unicode. Planted annotation values carry {@link #MARKER}, so a
 * test can check that no body fragment reaches the logs.
 */
public final class ReviewMutator {
    /** Planted in annotation values of the corpus: must never appear in a log line at INFO or above. */
    public static final String MARKER = "fuzz-secret-7f3a";
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;
    private final List<byte[]> corpus;

    public ReviewMutator(long seed) {
        this.random = new Random(seed);
        this.corpus = corpus();
    }

    public int corpusSize() {
        return corpus.size();
    }

    /** The real reviews the mutations start from. */
    static List<byte[]> corpus() {
        var out = new ArrayList<byte[]>();
        try (Stream<Path> files = Files.list(Path.of("examples/reviews"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(plant(Files.readAllBytes(f)));
            }
            var loader = new ManifestLoader();
            var k8s = new KubernetesSerialization();
            try (Stream<Path> yamls = Files.walk(Path.of("src/test/resources/rules"))) {
                for (var y : yamls.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    for (HasMetadata o : loader.readFile(y)) {
                        out.add(plant(Reviews.create(o).json()));
                        out.add(plant(Reviews.update(o, k8s.clone(o)).json()));
                        out.add(plant(Reviews.delete(o).json()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Puts the marker into an annotation of the review's object, where the rules never look. */
    private static byte[] plant(byte[] review) throws IOException {
        var tree = (ObjectNode) PLAIN.readTree(review);
        for (var field : new String[] {"object", "oldObject"}) {
            var o = tree.path("request").path(field);
            if (o instanceof ObjectNode obj && obj.path("metadata") instanceof ObjectNode meta) {
                meta.withObjectProperty("annotations").put("example.com/token", MARKER + "-" + field);
            }
        }
        return PLAIN.writeValueAsBytes(tree);
    }

    /** The next hostile body. */
    public byte[] next() {
        var body = corpus.get(random.nextInt(corpus.size()));
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            body = mutate(body);
        }
        return body;
    }

    byte[] mutate(byte[] body) {
        return switch (random.nextInt(10)) {
            case 0 -> flipBytes(body);
            case 1 -> truncate(body);
            case 2 -> deleteRange(body);
            case 3 -> duplicateKey(body);
            case 4, 5 -> treeEdit(body, this::swapType);
            case 6 -> treeEdit(body, n -> nest(1 + random.nextInt(random.nextBoolean() ? 50 : 5000)));
            case 7 -> treeEdit(body, n -> NODES.textNode(hugeString()));
            case 8 -> treeEdit(body, n -> NODES.textNode(randomUnicode(1 + random.nextInt(300))));
            default -> treeEdit(body, n -> null); // remove a field
        };
    }

    private byte[] flipBytes(byte[] body) {
        var out = body.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private byte[] truncate(byte[] body) {
        return java.util.Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
    }

    private byte[] deleteRange(byte[] body) {
        if (body.length < 2) {
            return body;
        }
        int from = random.nextInt(body.length);
        int to = Math.min(body.length, from + 1 + random.nextInt(64));
        var out = new byte[body.length - (to - from)];
        System.arraycopy(body, 0, out, 0, from);
        System.arraycopy(body, to, out, from, body.length - to);
        return out;
    }

    /** Repeats one {@code "key": value} member right after itself, textually (a tree cannot hold it). */
    private byte[] duplicateKey(byte[] body) {
        var text = new String(body, StandardCharsets.UTF_8);
        var keys = new ArrayList<Integer>();
        var m = java.util.regex.Pattern.compile("\"[A-Za-z]+\":(\"[^\"\\\\]*\"|-?\\d+|true|false|null)").matcher(text);
        while (m.find()) {
            keys.add(m.start());
        }
        if (keys.isEmpty()) {
            return body;
        }
        m.find(keys.get(random.nextInt(keys.size())));
        var member = m.group();
        var other = random.nextBoolean() ? member : member.substring(0, member.indexOf(':') + 1) + "\"other\"";
        return (text.substring(0, m.end()) + "," + other + text.substring(m.end())).getBytes(StandardCharsets.UTF_8);
    }

    private interface NodeEdit {
        JsonNode replace(JsonNode current);
    }

    /** Replaces (or, for null, removes) a random value in the review's tree. */
    private byte[] treeEdit(byte[] body, NodeEdit edit) {
        JsonNode tree;
        try {
            tree = PLAIN.readTree(body);
        } catch (IOException | RuntimeException e) {
            return flipBytes(body); // already broken: break it some more
        }
        if (tree == null || !tree.isContainerNode() || tree.isEmpty()) {
            return body;
        }
        var containers = new ArrayList<JsonNode>();
        collect(tree, containers, 0);
        var parent = containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode obj && !obj.isEmpty()) {
            var names = new ArrayList<String>();
            obj.fieldNames().forEachRemaining(names::add);
            var name = names.get(random.nextInt(names.size()));
            var replacement = edit.replace(obj.get(name));
            if (replacement == null) {
                obj.remove(name);
            } else {
                obj.set(name, replacement);
            }
        } else if (parent instanceof ArrayNode arr && !arr.isEmpty()) {
            int i = random.nextInt(arr.size());
            var replacement = edit.replace(arr.get(i));
            if (replacement == null) {
                arr.remove(i);
            } else {
                arr.set(i, replacement);
            }
        }
        try {
            return PLAIN.writeValueAsBytes(tree);
        } catch (IOException | RuntimeException e) {
            return body;
        }
    }

    private static void collect(JsonNode node, List<JsonNode> out, int depth) {
        if (!node.isContainerNode() || depth > 40) {
            return;
        }
        out.add(node);
        node.elements().forEachRemaining(child -> collect(child, out, depth + 1));
    }

    private JsonNode swapType(JsonNode current) {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(random.nextBoolean() ? Long.MAX_VALUE : -1L);
            case 2 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 3 -> NODES.textNode(current == null ? "" : current.toString());
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.nullNode();
            case 6 -> NODES.arrayNode().add(current == null ? NODES.nullNode() : current.deepCopy());
            case 7 -> NODES.objectNode().set("value", current == null ? NODES.nullNode() : current.deepCopy());
            default -> NODES.textNode(random.nextBoolean() ? "" : "80");
        };
    }

    private JsonNode nest(int depth) {
        JsonNode node = NODES.textNode("bottom");
        for (int i = 0; i < depth; i++) {
            node = random.nextBoolean() ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    private String hugeString() {
        // mostly big-but-legal, sometimes over the 4 MiB string limit
        int size = random.nextInt(8) == 0 ? (4 << 20) + 1 + random.nextInt(1 << 20) : random.nextInt(512 << 10);
        return "x".repeat(size);
    }

    private String randomUnicode(int codePoints) {
        var sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp = switch (random.nextInt(6)) {
                case 0 -> random.nextInt(0x20);                       // controls, NUL
                case 1 -> 0x1F600 + random.nextInt(80);               // emoji: surrogate pairs in UTF-16
                case 2 -> 0x0590 + random.nextInt(0x100);             // right-to-left scripts
                case 3 -> 0x0300 + random.nextInt(0x70);              // combining marks
                case 4 -> 0x4E00 + random.nextInt(0x5000);            // CJK: 3 bytes in UTF-8
                default -> 0x20 + random.nextInt(0x5F);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** The uid the body carries, read leniently; null when it has none a v1 review could be answered with. */
    public static String uidOf(byte[] body) {
        try {
            var uid = PLAIN.readTree(body).path("request").path("uid");
            return uid.isTextual() ? uid.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
