package dev.upstreamguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Writes the 50-object bundle {@code bench/check.sh} checks against a {@link SyntheticCluster} snapshot, as one
 * multi-document YAML file: in namespace {@code team-0000} (already in the snapshot) 10 Deployments with a new image
 * (UPDATEs), their 10 Services unchanged (no-op UPDATEs) and 4 Ingresses over them; in a new namespace 8
 * Deployments, 8 Services, 3 Ingresses and 7 ConfigMaps (CREATEs).
 */
public final class CheckBundleMain {
    public static void main(String[] args) throws IOException {
        var out = new ArrayList<HasMetadata>();
        var ns = SyntheticCluster.REVIEW_NS;
        var apps = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            apps.add(SyntheticCluster.app(i));
            Deployment d = SyntheticCluster.deployment(ns, i, false);
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("ghcr.io/example/app:next");
            out.add(d);
            out.add(SyntheticCluster.service(ns, SyntheticCluster.app(i)));
        }
        for (int i = 0; i < 4; i++) {
            out.add(SyntheticCluster.ingress(ns, "ingress-" + i, apps.subList(i * 3, Math.min(10, i * 3 + 3))));
        }
        var fresh = "team-new";
        var freshApps = new ArrayList<String>();
        for (int i = 0; i < 8; i++) {
            freshApps.add(SyntheticCluster.app(i));
            out.add(SyntheticCluster.deployment(fresh, i, false));
            out.add(SyntheticCluster.service(fresh, SyntheticCluster.app(i)));
        }
        for (int i = 0; i < 3; i++) {
            out.add(SyntheticCluster.ingress(fresh, "ingress-" + i, freshApps.subList(i * 3, Math.min(8, i * 3 + 3))));
        }
        for (int i = 0; i < 7; i++) {
            out.add(new ConfigMapBuilder().withNewMetadata().withName("config-" + i).withNamespace(fresh).endMetadata()
                    .addToData("key", "value").build());
        }
        var yaml = new StringBuilder();
        var serialization = new KubernetesSerialization();
        for (var o : out) {
            o.getMetadata().setUid(null);
            yaml.append(serialization.asYaml(o));
        }
        Files.writeString(Path.of(args[0]), yaml);
        System.out.printf("wrote %d objects to %s%n", out.size(), args[0]);
    }

    private CheckBundleMain() {
    }
}
