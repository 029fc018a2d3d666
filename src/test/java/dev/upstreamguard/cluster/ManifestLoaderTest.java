package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests load recursively, multi-document and List-wrapped; namespaces carry labels and Terminating state. */
class ManifestLoaderTest {
    @TempDir
    Path dir;

    @Test
    void loadsNestedMultiDocumentFilesAndLists() throws IOException {
        Files.createDirectories(dir.resolve("apps/web"));
        Files.writeString(dir.resolve("apps/web/all.yaml"), """
                # leading comment
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {selector: {app: web}, ports: [{port: 80}]}
                --- # a separator with a comment
                ---
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web, namespace: shop}
                    spec:
                      selector: {matchLabels: {app: web}}
                      template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web}]}}
                """);
        Files.writeString(dir.resolve("ns.json"), """
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"old","labels":{"upstream-guard.dev/mode":"warn"},
                 "deletionTimestamp":"2026-11-26T10:00:00Z"},"status":{"phase":"Terminating"}}""");
        Files.writeString(dir.resolve("README.md"), "not a manifest");

        var index = new ManifestLoader().load(dir);
        assertThat(index.service("default", "web")).as("no namespace -> default, as kubectl does").isPresent();
        assertThat(index.workload("Deployment", "shop", "web")).isPresent();
        assertThat(index.podSourcesSelectedBy("shop", java.util.Map.of("app", "web"))).hasSize(1);
        var ns = index.namespace("old").orElseThrow();
        assertThat(ns.terminating()).isTrue();
        assertThat(ns.labels()).containsEntry("upstream-guard.dev/mode", "warn");
        assertThat(index.workload("Deployment", "shop", "web").orElseThrow().getMetadata().getUid())
                .as("a stable synthetic uid").isEqualTo("manifest:Deployment/shop/web");
    }

    @Test
    void aBadDocumentFailsTheLoadNamingFileAndDocument() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: ok}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: [not, a, string]}
                """);
        assertThatThrownBy(() -> new ManifestLoader().load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.yaml document 2");
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        assertThatThrownBy(() -> new ManifestLoader().load(dir.resolve("nope")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void documentsKnowTheirIndexAndTheLineTheyStartAtAndTakeTheGivenNamespace() {
        var docs = new ManifestLoader().documents("""
                # Source: shop/templates/service.yaml
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                ---
                # only a comment
                ---

                apiVersion: v1
                kind: List
                items:
                  - {apiVersion: v1, kind: Service, metadata: {name: a, namespace: other}}
                  - {apiVersion: v1, kind: Namespace, metadata: {name: b}}
                """, "bundle.yaml", "shop");
        assertThat(docs).extracting(ManifestLoader.Document::index, ManifestLoader.Document::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(3, 9));
        assertThat(docs.get(0).objects().get(0).getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(docs.get(0).text()).startsWith("# Source: shop/templates/service.yaml");
        assertThat(docs.get(1).objects()).extracting(o -> o.getMetadata().getNamespace()).containsExactly("other", null);
        assertThatThrownBy(() -> new ManifestLoader().documents("a: 1\n---\nkind: [", "x.yaml", "shop"))
                .hasMessageStartingWith("x.yaml document ");
    }
}
