package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;

/**
 * The reduced records the view keeps of Services, Ingresses and workloads: fabric8 objects holding only what the
 * rules, the audit and the route walk read (selectors, ports, templates' labels, ports and probes, owners, the
 * guard's own annotations), with every repeated string shared. A 24 KB Deployment as the API server sends it (managed
 * fields, env, resources, volumes, status) becomes a few hundred bytes. Pods are reduced further, to
 * {@link PodSource} records.
 */
public final class Slim {
    /** Annotations kept on every object: the guard's own ({@code upstream-guard.dev/mode}, {@code .../skip}). */
    static final String GUARD_ANNOTATIONS = "upstream-guard.dev/";

    private Slim() {
    }

    /** A reduced copy of an object the view keeps whole; other kinds are returned as they are. */
    public static HasMetadata of(HasMetadata o) {
        if (o instanceof Service s) {
            return service(s);
        }
        if (o instanceof Ingress i) {
            return ingress(i);
        }
        if (o instanceof Deployment d) {
            return deployment(d);
        }
        if (o instanceof StatefulSet s) {
            return statefulSet(s);
        }
        if (o instanceof DaemonSet d) {
            return daemonSet(d);
        }
        if (o instanceof ReplicaSet r) {
            return replicaSet(r);
        }
        if (o instanceof ReplicationController r) {
            return replicationController(r);
        }
        return o;
    }

    static Service service(Service s) {
        var out = new Service();
        out.setAdditionalProperties(NONE);
        out.setMetadata(meta(s.getMetadata(), false));
        var spec = s.getSpec();
        if (spec != null) {
            var slim = new ServiceSpec();
            bare(slim);
            slim.setSelector(strings(spec.getSelector()));
            slim.setType(shared(spec.getType()));
            slim.setClusterIP("None".equals(spec.getClusterIP()) ? "None" : null); // only "headless" is read
            slim.setExternalName(spec.getExternalName());
            slim.setPublishNotReadyAddresses(spec.getPublishNotReadyAddresses());
            if (spec.getPorts() != null) {
                var ports = new ArrayList<ServicePort>(spec.getPorts().size());
                for (var p : spec.getPorts()) {
                    if (p == null) {
                        continue;
                    }
                    var port = new ServicePort();
                    port.setAdditionalProperties(NONE);
                    port.setName(shared(p.getName()));
                    port.setPort(p.getPort());
                    port.setTargetPort(p.getTargetPort());
                    port.setProtocol(shared(p.getProtocol()));
                    port.setAppProtocol(shared(p.getAppProtocol()));
                    ports.add(port);
                }
                slim.setPorts(ports);
            }
            out.setSpec(slim);
        }
        return out;
    }

    static Ingress ingress(Ingress i) {
        var out = new Ingress();
        out.setAdditionalProperties(NONE);
        // Ingress rules read ingress-nginx's annotations under a configurable prefix, and the class annotation
        var meta = meta(i.getMetadata(), true);
        meta.setAnnotations(strings(i.getMetadata().getAnnotations()));
        out.setMetadata(meta);
        out.setSpec(ingressSpec(i.getSpec()));
        return out;
    }

    /** The whole spec (every field of it is read), in fresh objects without the empty collections of parsed ones. */
    private static IngressSpec ingressSpec(IngressSpec spec) {
        if (spec == null) {
            return null;
        }
        var out = new IngressSpec();
        out.setAdditionalProperties(NONE);
        out.setIngressClassName(shared(spec.getIngressClassName()));
        out.setDefaultBackend(backend(spec.getDefaultBackend()));
        out.setRules(spec.getRules() == null ? null : spec.getRules().stream().map(Slim::ingressRule).toList());
        out.setTls(spec.getTls() == null ? null : spec.getTls().stream().map(Slim::ingressTls).toList());
        return out;
    }

    private static IngressRule ingressRule(IngressRule rule) {
        if (rule == null) {
            return null;
        }
        var out = new IngressRule();
        out.setAdditionalProperties(NONE);
        out.setHost(rule.getHost());
        if (rule.getHttp() != null) {
            var http = new HTTPIngressRuleValue();
            http.setAdditionalProperties(NONE);
            var paths = rule.getHttp().getPaths();
            http.setPaths(paths == null ? null : paths.stream().map(Slim::ingressPath).toList());
            out.setHttp(http);
        }
        return out;
    }

    private static HTTPIngressPath ingressPath(HTTPIngressPath path) {
        if (path == null) {
            return null;
        }
        var out = new HTTPIngressPath();
        out.setAdditionalProperties(NONE);
        out.setPath(path.getPath());
        out.setPathType(shared(path.getPathType()));
        out.setBackend(backend(path.getBackend()));
        return out;
    }

    private static IngressBackend backend(IngressBackend backend) {
        if (backend == null) {
            return null;
        }
        var out = new IngressBackend();
        out.setAdditionalProperties(NONE);
        out.setResource(backend.getResource());
        var service = backend.getService();
        if (service != null) {
            var slim = new IngressServiceBackend();
            slim.setAdditionalProperties(NONE);
            slim.setName(service.getName());
            if (service.getPort() != null) {
                var port = new ServiceBackendPort();
                port.setAdditionalProperties(NONE);
                port.setName(shared(service.getPort().getName()));
                port.setNumber(service.getPort().getNumber());
                slim.setPort(port);
            }
            out.setService(slim);
        }
        return out;
    }

    private static IngressTLS ingressTls(IngressTLS tls) {
        if (tls == null) {
            return null;
        }
        var out = new IngressTLS();
        out.setAdditionalProperties(NONE);
        out.setHosts(tls.getHosts() == null ? null : List.copyOf(tls.getHosts()));
        out.setSecretName(tls.getSecretName());
        return out;
    }

    static Deployment deployment(Deployment d) {
        var out = new Deployment();
        out.setAdditionalProperties(NONE);
        out.setMetadata(meta(d.getMetadata(), false));
        var spec = d.getSpec();
        if (spec != null) {
            var slim = new DeploymentSpec();
            slim.setAdditionalProperties(NONE);
            slim.setReplicas(spec.getReplicas());
            slim.setSelector(spec.getSelector());
            slim.setStrategy(spec.getStrategy());
            slim.setMinReadySeconds(spec.getMinReadySeconds());
            slim.setTemplate(template(spec.getTemplate()));
            out.setSpec(slim);
        }
        return out;
    }

    static StatefulSet statefulSet(StatefulSet s) {
        var out = new StatefulSet();
        out.setAdditionalProperties(NONE);
        out.setMetadata(meta(s.getMetadata(), false));
        var spec = s.getSpec();
        if (spec != null) {
            var slim = new StatefulSetSpec();
            slim.setAdditionalProperties(NONE);
            slim.setReplicas(spec.getReplicas());
            slim.setSelector(spec.getSelector());
            slim.setUpdateStrategy(spec.getUpdateStrategy());
            slim.setServiceName(shared(spec.getServiceName()));
            slim.setTemplate(template(spec.getTemplate()));
            out.setSpec(slim);
        }
        return out;
    }

    static DaemonSet daemonSet(DaemonSet d) {
        var out = new DaemonSet();
        out.setAdditionalProperties(NONE);
        out.setMetadata(meta(d.getMetadata(), false));
        var spec = d.getSpec();
        if (spec != null) {
            var slim = new DaemonSetSpec();
            slim.setAdditionalProperties(NONE);
            slim.setSelector(spec.getSelector());
            slim.setUpdateStrategy(spec.getUpdateStrategy());
            slim.setTemplate(template(spec.getTemplate()));
            out.setSpec(slim);
        }
        return out;
    }

    static ReplicaSet replicaSet(ReplicaSet r) {
        var out = new ReplicaSet();
        out.setAdditionalProperties(NONE);
        out.setMetadata(meta(r.getMetadata(), false));
        var spec = r.getSpec();
        if (spec != null) {
            var slim = new ReplicaSetSpec();
            slim.setAdditionalProperties(NONE);
            slim.setReplicas(spec.getReplicas());
            slim.setSelector(spec.getSelector());
            slim.setTemplate(template(spec.getTemplate()));
            out.setSpec(slim);
        }
        return out;
    }

    static ReplicationController replicationController(ReplicationController r) {
        var out = new ReplicationController();
        out.setAdditionalProperties(NONE);
        out.setMetadata(meta(r.getMetadata(), false));
        var spec = r.getSpec();
        if (spec != null) {
            var slim = new ReplicationControllerSpec();
            slim.setAdditionalProperties(NONE);
            slim.setReplicas(spec.getReplicas());
            slim.setSelector(strings(spec.getSelector()));
            slim.setTemplate(template(spec.getTemplate()));
            out.setSpec(slim);
        }
        return out;
    }

    /** Name, namespace, uid, controller owners, the guard's annotations; the creation time where order matters. */
    static ObjectMeta meta(ObjectMeta m, boolean keepCreation) {
        var out = new ObjectMeta();
        bare(out);
        if (m == null) {
            return out;
        }
        out.setName(m.getName());
        out.setNamespace(shared(m.getNamespace()));
        out.setUid(m.getUid());
        out.setDeletionTimestamp(m.getDeletionTimestamp());
        if (keepCreation) {
            out.setCreationTimestamp(m.getCreationTimestamp());
        }
        if (m.getOwnerReferences() != null) {
            var owners = new ArrayList<OwnerReference>(1);
            for (var o : m.getOwnerReferences()) {
                if (o != null && Boolean.TRUE.equals(o.getController())) {
                    var owner = new OwnerReference();
                    owner.setAdditionalProperties(NONE);
                    owner.setApiVersion(shared(o.getApiVersion()));
                    owner.setKind(shared(o.getKind()));
                    owner.setName(o.getName());
                    owner.setUid(o.getUid());
                    owner.setController(true);
                    owners.add(owner);
                }
            }
            out.setOwnerReferences(owners.isEmpty() ? null : owners);
        }
        if (m.getAnnotations() != null) {
            var kept = new LinkedHashMap<String, String>();
            m.getAnnotations().forEach((k, v) -> {
                if (k.startsWith(GUARD_ANNOTATIONS)) {
                    kept.put(shared(k), v);
                }
            });
            out.setAnnotations(kept.isEmpty() ? null : kept);
        }
        return out;
    }

    /** The template's labels, and per container (regular and sidecar) its name, ports, probes and restart policy. */
    static PodTemplateSpec template(PodTemplateSpec t) {
        if (t == null) {
            return null;
        }
        var out = new PodTemplateSpec();
        out.setAdditionalProperties(NONE);
        var meta = new ObjectMeta();
        bare(meta);
        if (t.getMetadata() != null) {
            meta.setLabels(strings(t.getMetadata().getLabels()));
        }
        out.setMetadata(meta);
        var spec = t.getSpec();
        if (spec != null) {
            var slim = new PodSpec();
            bare(slim);
            slim.setContainers(containers(spec.getContainers(), false));
            slim.setInitContainers(containers(spec.getInitContainers(), true));
            out.setSpec(slim);
        }
        return out;
    }

    /**
     * @param init init containers: a plain one (not a sidecar) keeps only its name, so the field paths of the others
     *             stay right; it has finished before the pod serves
     */
    private static List<Container> containers(List<Container> containers, boolean init) {
        if (containers == null) {
            return init ? null : List.of();
        }
        var out = new ArrayList<Container>(containers.size());
        for (var c : containers) {
            if (c == null) {
                continue;
            }
            var slim = new Container();
            bare(slim);
            slim.setName(shared(c.getName()));
            slim.setRestartPolicy(shared(c.getRestartPolicy()));
            out.add(slim);
            if (init && !"Always".equals(c.getRestartPolicy())) {
                continue;
            }
            slim.setReadinessProbe(probe(c.getReadinessProbe()));
            slim.setLivenessProbe(probe(c.getLivenessProbe()));
            slim.setStartupProbe(probe(c.getStartupProbe()));
            if (c.getPorts() != null) {
                var ports = new ArrayList<ContainerPort>(c.getPorts().size());
                for (var p : c.getPorts()) {
                    if (p != null) {
                        var port = new ContainerPort();
                        port.setAdditionalProperties(NONE);
                        port.setName(shared(p.getName()));
                        port.setContainerPort(p.getContainerPort());
                        port.setProtocol(shared(p.getProtocol()));
                        ports.add(port);
                    }
                }
                slim.setPorts(ports);
            }
        }
        return out;
    }

    /** A probe with every field, in fresh objects without the empty collections of parsed ones. */
    static Probe probe(Probe p) {
        if (p == null) {
            return null;
        }
        var out = new Probe();
        out.setAdditionalProperties(NONE);
        out.setFailureThreshold(p.getFailureThreshold());
        out.setInitialDelaySeconds(p.getInitialDelaySeconds());
        out.setPeriodSeconds(p.getPeriodSeconds());
        out.setSuccessThreshold(p.getSuccessThreshold());
        out.setTerminationGracePeriodSeconds(p.getTerminationGracePeriodSeconds());
        out.setTimeoutSeconds(p.getTimeoutSeconds());
        if (p.getHttpGet() != null) {
            var h = p.getHttpGet();
            var get = new HTTPGetAction();
            get.setAdditionalProperties(NONE);
            get.setHost(h.getHost());
            get.setHttpHeaders(h.getHttpHeaders() == null || h.getHttpHeaders().isEmpty() ? List.of() : h.getHttpHeaders());
            get.setPath(shared(h.getPath()));
            get.setPort(h.getPort());
            get.setScheme(shared(h.getScheme()));
            out.setHttpGet(get);
        }
        if (p.getTcpSocket() != null) {
            var tcp = new TCPSocketAction();
            tcp.setAdditionalProperties(NONE);
            tcp.setHost(p.getTcpSocket().getHost());
            tcp.setPort(p.getTcpSocket().getPort());
            out.setTcpSocket(tcp);
        }
        if (p.getGrpc() != null) {
            var grpc = new GRPCAction();
            grpc.setAdditionalProperties(NONE);
            grpc.setPort(p.getGrpc().getPort());
            grpc.setService(p.getGrpc().getService());
            out.setGrpc(grpc);
        }
        if (p.getExec() != null) {
            var exec = new ExecAction();
            exec.setAdditionalProperties(NONE);
            exec.setCommand(p.getExec().getCommand() == null ? null : List.copyOf(p.getExec().getCommand()));
            out.setExec(exec);
        }
        return out;
    }

    /** A label or selector map with its strings shared: many objects repeat the same keys and values. */
    static Map<String, String> strings(Map<String, String> m) {
        if (m == null) {
            return null;
        }
        var out = new LinkedHashMap<String, String>(Math.max(2, m.size() * 2));
        m.forEach((k, v) -> out.put(shared(k), shared(v)));
        return out;
    }

    static String shared(String s) {
        return s == null ? null : s.intern();
    }

    // ---- fresh fabric8 objects without their empty collections ---------------------------------------------------
    // A fabric8 model object starts with an empty LinkedHashMap for unknown fields and an empty ArrayList or
    // LinkedHashMap for every collection field: ~60 bytes each, 1.5 KB of a reduced Deployment. The view's records
    // share immutable empty ones instead; nothing writes to a cached record.

    private static final Map<String, Object> NONE = Map.of();

    private static void bare(ObjectMeta m) {
        m.setAdditionalProperties(NONE);
        m.setAnnotations(Map.of());
        m.setLabels(Map.of());
        m.setFinalizers(List.of());
        m.setManagedFields(List.of());
        m.setOwnerReferences(List.of());
    }

    private static void bare(ServiceSpec s) {
        s.setAdditionalProperties(NONE);
        s.setClusterIPs(List.of());
        s.setExternalIPs(List.of());
        s.setIpFamilies(List.of());
        s.setLoadBalancerSourceRanges(List.of());
        s.setPorts(List.of());
        s.setSelector(Map.of());
    }

    private static void bare(PodSpec s) {
        s.setAdditionalProperties(NONE);
        s.setContainers(List.of());
        s.setEphemeralContainers(List.of());
        s.setHostAliases(List.of());
        s.setImagePullSecrets(List.of());
        s.setInitContainers(List.of());
        s.setNodeSelector(Map.of());
        s.setOverhead(Map.of());
        s.setReadinessGates(List.of());
        s.setResourceClaims(List.of());
        s.setSchedulingGates(List.of());
        s.setTolerations(List.of());
        s.setTopologySpreadConstraints(List.of());
        s.setVolumes(List.of());
    }

    private static void bare(Container c) {
        c.setAdditionalProperties(NONE);
        c.setArgs(List.of());
        c.setCommand(List.of());
        c.setEnv(List.of());
        c.setEnvFrom(List.of());
        c.setPorts(List.of());
        c.setResizePolicy(List.of());
        c.setRestartPolicyRules(List.of());
        c.setVolumeDevices(List.of());
        c.setVolumeMounts(List.of());
    }
}
