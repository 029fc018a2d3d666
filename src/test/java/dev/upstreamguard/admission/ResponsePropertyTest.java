package dev.upstreamguard.admission;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.ResponseContract;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A property of every answer, over thousands of generated changes to the demo cluster (random edits of selectors,
 * ports, names, replicas, probes, annotations; CREATE, UPDATE, DELETE, dry runs): the uid is echoed, a denial has a
 * message, every warning is at most 120 characters and never starts with "Warning:", all of them at most 4 KiB.
 * The seed is printed; {@code -Dproperty.seed} replays one.
 */
class ResponsePropertyTest {
    static final long SEED = Long.getLong("property.seed", System.nanoTime());
    static final int CHANGES = Integer.getInteger("property.changes", 3000);
    static final KubernetesSerialization K8S = new KubernetesSerialization();
    static final String[] WORDS = {"web", "api", "cart", "http", "https", "grpc", "frontend", "apii", "", "x".repeat(70),
            "😀".repeat(70), "Warning: sneaky", "line\nbreak", "名前", "a-very-long-name-" + "z".repeat(200)};

    final ClusterIndex cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    final List<HasMetadata> demo = new ManifestLoader().read(Path.of("examples/demo-cluster")).stream()
            .filter(o -> o instanceof Service || o instanceof Deployment || o instanceof Ingress).toList();
    final Random random = new Random(SEED);

    @Test
    void everyAnswerKeepsTheResponseContract() {
        System.out.printf("ResponsePropertyTest: seed=%d changes=%d (replay with -Dproperty.seed=%d)%n", SEED, CHANGES, SEED);
        var gates = new ReviewGate[] {
            new ReviewGate(Reviews.handler(cluster, PolicySettings.defaults()), 8, Duration.ofMillis(250)),
            new ReviewGate(Reviews.handler(cluster, PolicySettings.of("warn", "deny", true, new HashMap<>(), List.of())),
                    8, Duration.ofMillis(250))};
        int denied = 0;
        int warned = 0;
        for (int i = 0; i < CHANGES; i++) {
            var live = demo.get(random.nextInt(demo.size()));
            var edited = K8S.clone(live);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                edit(edited);
            }
            var uid = "p-" + i;
            Reviews review = switch (random.nextInt(5)) {
                case 0 -> Reviews.create(renamed(edited));
                case 1 -> Reviews.delete(edited);
                default -> Reviews.update(edited, live);
            };
            if (random.nextInt(6) == 0) {
                review.dryRun();
            }
            var reply = gates[random.nextInt(gates.length)].handle(review.uid(uid).json(), "10s");
            var context = "seed " + SEED + ", change " + i + " of " + live.getKind() + " " + live.getMetadata().getName();
            org.assertj.core.api.Assertions.assertThat(reply.status()).as(context).isEqualTo(200);
            var response = ((io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview) reply.entity()).getResponse();
            ResponseContract.check(response, uid, context);
            denied += response.getAllowed() ? 0 : 1;
            warned += response.getWarnings() == null || response.getWarnings().isEmpty() ? 0 : 1;
        }
        System.out.printf("ResponsePropertyTest: %d changes: %d denied, %d with warnings%n", CHANGES, denied, warned);
        org.assertj.core.api.Assertions.assertThat(denied).as("the generator reaches denials").isPositive();
        org.assertj.core.api.Assertions.assertThat(warned).as("and warnings").isPositive();
    }

    private HasMetadata renamed(HasMetadata o) {
        o.getMetadata().setName(o.getMetadata().getName() + "-" + random.nextInt(100));
        return o;
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private void edit(HasMetadata o) {
        switch (random.nextInt(4)) {
            case 0 -> annotate(o);
            default -> {
                if (o instanceof Service s) {
                    editService(s);
                } else if (o instanceof Deployment d) {
                    editDeployment(d);
                } else if (o instanceof Ingress ing) {
                    editIngress(ing);
                }
            }
        }
    }

    private void annotate(HasMetadata o) {
        var annotations = o.getMetadata().getAnnotations() == null ? new HashMap<String, String>()
                : new HashMap<>(o.getMetadata().getAnnotations());
        switch (random.nextInt(6)) {
            case 0 -> annotations.put("upstream-guard.dev/mode", random.nextBoolean() ? "warn" : word());
            case 1 -> annotations.put("upstream-guard.dev/skip", random.nextBoolean() ? "all" : word() + "," + word());
            case 2 -> annotations.put("nginx.ingress.kubernetes.io/proxy-read-timeout",
                    new String[] {"60", "60s", "1.5", "", "99999", "-3", word()}[random.nextInt(7)]);
            case 3 -> annotations.put("nginx.ingress.kubernetes.io/proxy-connect-timeout", String.valueOf(random.nextInt(200)));
            case 4 -> annotations.put("nginx.ingress.kubernetes.io/backend-protocol",
                    new String[] {"GRPC", "HTTPS", "HTTP", "FCGI", word()}[random.nextInt(5)]);
            default -> annotations.put("example.com/" + random.nextInt(9), word());
        }
        o.getMetadata().setAnnotations(annotations);
    }

    private void editService(Service s) {
        var spec = s.getSpec();
        switch (random.nextInt(5)) {
            case 0 -> {
                var selector = new HashMap<>(spec.getSelector() == null ? new HashMap<String, String>() : spec.getSelector());
                if (random.nextBoolean() || selector.isEmpty()) {
                    selector.put(random.nextBoolean() ? "app" : word(), word());
                } else {
                    selector.remove(selector.keySet().iterator().next());
                }
                spec.setSelector(selector);
            }
            case 1 -> spec.getPorts().forEach(p -> p.setName(word()));
            case 2 -> spec.getPorts().forEach(p -> p.setTargetPort(random.nextBoolean() ? new IntOrString(word())
                    : new IntOrString(random.nextInt(10000))));
            case 3 -> spec.getPorts().forEach(p -> p.setPort(random.nextBoolean() ? 80 : 1 + random.nextInt(65535)));
            default -> spec.setPorts(new ArrayList<>(List.of(new ServicePort(null, word(), null, 8080, "TCP",
                    new IntOrString(word())))));
        }
    }

    private void editDeployment(Deployment d) {
        var spec = d.getSpec();
        var containers = spec.getTemplate().getSpec().getContainers();
        Container c = containers.get(random.nextInt(containers.size()));
        switch (random.nextInt(6)) {
            case 0 -> spec.setReplicas(random.nextInt(4) == 0 ? null : random.nextInt(4));
            case 1 -> spec.getTemplate().getMetadata().getLabels().put(random.nextBoolean() ? "app" : "tier", word());
            case 2 -> {
                if (c.getPorts() != null) {
                    c.getPorts().forEach(p -> p.setName(word()));
                }
            }
            case 3 -> c.setPorts(random.nextBoolean() ? null : new ArrayList<>(List.of(new ContainerPort(
                    random.nextInt(65535) + 1, null, null, word(), "TCP"))));
            case 4 -> {
                var port = random.nextBoolean() ? new IntOrString(word()) : new IntOrString(random.nextInt(10000));
                var probe = new ProbeBuilder().withNewHttpGet().withPath("/" + word()).withPort(port).endHttpGet()
                        .withPeriodSeconds(1 + random.nextInt(10)).withFailureThreshold(1 + random.nextInt(3)).build();
                switch (random.nextInt(3)) {
                    case 0 -> c.setReadinessProbe(probe);
                    case 1 -> c.setLivenessProbe(probe);
                    default -> c.setStartupProbe(probe);
                }
            }
            default -> {
                spec.setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                        .withType(random.nextBoolean() ? "Recreate" : "RollingUpdate").build());
                c.setReadinessProbe(null);
            }
        }
    }

    private void editIngress(Ingress ing) {
        var rules = ing.getSpec().getRules();
        var rule = rules.get(random.nextInt(rules.size()));
        var paths = rule.getHttp().getPaths();
        switch (random.nextInt(4)) {
            case 0 -> paths.forEach(p -> p.getBackend().getService().setName(word()));
            case 1 -> paths.forEach(p -> p.getBackend().getService().getPort().setName(word()));
            case 2 -> rule.setHost(random.nextBoolean() ? null : word() + ".example.com");
            default -> {
                // many broken paths at once: the warnings must still fit in 4 KiB
                int n = 1 + random.nextInt(80);
                for (int i = 0; i < n; i++) {
                    paths.add(new HTTPIngressPathBuilder().withPath("/p" + i).withPathType("Prefix").withNewBackend()
                            .withNewService().withName(word() + i).withNewPort().withNumber(80).endPort().endService()
                            .endBackend().build());
                }
            }
        }
    }
}
