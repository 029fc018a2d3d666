package dev.upstreamguard.cli;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One object of the bundle under check and where it was read, so every finding names its file and line.
 *
 * @param object   the object as the tool would send it
 * @param file     the file as given on the command line (or found under a directory); {@code -} for standard input;
 *                 null for objects built in code
 * @param document 1-based document of that file
 * @param line     1-based line where the document starts
 * @param source   the template Helm rendered it from ({@code # Source: chart/templates/x.yaml}), or null
 */
public record BundleObject(HasMetadata object, String file, int document, int line, String source) {

    /** An object that comes from no file (tests, tools). */
    public static BundleObject of(HasMetadata object) {
        return new BundleObject(object, null, 0, 0, null);
    }

    public ObjectRef ref() {
        return ObjectRef.of(object);
    }

    public BundleObject with(HasMetadata replacement) {
        return new BundleObject(replacement, file, document, line, source);
    }

    /** {@code deploy/web.yaml:12 (document 2)}, {@code <stdin>:40 (document 3, from shop/templates/svc.yaml)}. */
    public String where() {
        if (file == null) {
            return "(no file)";
        }
        var name = "-".equals(file) ? "<stdin>" : file;
        return name + ":" + line + " (document " + document + (source == null ? "" : ", from " + source) + ")";
    }
}
