package dev.upstreamguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.upstreamguard.cluster.ManifestLoader;

/**
 * Reads the bundle a sync would apply from {@code -f} arguments, as {@code kubectl apply -f} does: files (any name),
 * directories (recursively, {@code .yaml}, {@code .yml} and {@code .json} files, each directory's entries by name, so
 * {@code a/b.yaml} comes before {@code a.yaml} as in kubectl), and {@code -} for standard input. Multi-document YAML,
 * JSON and {@code kind: List}. Objects keep their file, document and line.
 */
public final class BundleReader {
    static final String STDIN = "-";

    private final ManifestLoader loader;
    private final String defaultNamespace;
    private final InputStream stdin;

    public BundleReader(ManifestLoader loader, String defaultNamespace, InputStream stdin) {
        this.loader = loader;
        this.defaultNamespace = defaultNamespace;
        this.stdin = stdin;
    }

    /** Every object named by the arguments, in argument order, then file order, then document order. */
    public List<BundleObject> read(List<String> arguments) {
        var out = new ArrayList<BundleObject>();
        boolean stdinRead = false;
        for (var argument : arguments) {
            if (STDIN.equals(argument)) {
                if (stdinRead) {
                    throw new CheckInputException("-f -: standard input can be read only once");
                }
                stdinRead = true;
                out.addAll(parse(STDIN, text(STDIN, readStdin())));
                continue;
            }
            var path = Path.of(argument);
            if (!Files.exists(path)) {
                throw new CheckInputException("-f " + argument + ": no such file or directory");
            }
            for (var file : Files.isDirectory(path) ? manifestsUnder(path) : List.of(path)) {
                out.addAll(parse(file.toString(), text(file.toString(), readFile(file))));
            }
        }
        if (out.isEmpty()) {
            throw new CheckInputException("no objects in " + String.join(", ", arguments) + " (nothing would be applied)");
        }
        return out;
    }

    private List<BundleObject> parse(String file, String text) {
        var out = new ArrayList<BundleObject>();
        List<ManifestLoader.Document> documents;
        try {
            documents = loader.documents(text, file.equals(STDIN) ? "<stdin>" : file, defaultNamespace);
        } catch (IllegalArgumentException e) {
            throw new CheckInputException(e.getMessage());
        }
        for (var d : documents) {
            var source = helmSource(d.text());
            d.objects().forEach(o -> out.add(new BundleObject(o, file, d.index(), d.line(), source)));
        }
        return out;
    }

    /** The template a {@code helm template} document came from: its {@code # Source: } comment. */
    static String helmSource(String document) {
        for (var line : (Iterable<String>) document.lines()::iterator) {
            var trimmed = line.trim();
            if (trimmed.startsWith("# Source: ")) {
                return trimmed.substring("# Source: ".length()).trim();
            }
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                return null;
            }
        }
        return null;
    }

    /** Manifest files under a directory, each directory's entries sorted by name (Go's filepath.Walk order). */
    static List<Path> manifestsUnder(Path dir) {
        var out = new ArrayList<Path>();
        walk(dir, out);
        return out;
    }

    private static void walk(Path dir, List<Path> out) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new CheckInputException("-f " + dir + ": cannot list the directory: " + e.getMessage());
        }
        for (var entry : entries) {
            if (Files.isDirectory(entry)) {
                walk(entry, out);
            } else if (isManifest(entry)) {
                out.add(entry);
            }
        }
    }

    private static boolean isManifest(Path p) {
        var name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private byte[] readStdin() {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckInputException("-f " + file + ": cannot read: " + e.getMessage());
        }
    }

    private static String text(String file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckInputException((STDIN.equals(file) ? "<stdin>" : file) + ": not UTF-8 text");
        }
    }
}
