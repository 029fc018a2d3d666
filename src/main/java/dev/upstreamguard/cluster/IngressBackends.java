package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;

/** Lists the Service backends of an Ingress. {@code backend.resource} is skipped: it routes to no Service. */
public final class IngressBackends {
    private IngressBackends() {
    }

    public static List<Backend> of(Ingress ingress) {
        var out = new ArrayList<Backend>();
        var spec = ingress.getSpec();
        if (spec == null) {
            return out;
        }
        var ref = ObjectRef.of(ingress);
        add(out, ref, "defaultBackend", null, null, null, spec.getDefaultBackend());
        var rules = spec.getRules();
        if (rules == null) {
            return out;
        }
        for (int r = 0; r < rules.size(); r++) {
            var rule = rules.get(r);
            if (rule == null || rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                continue;
            }
            var paths = rule.getHttp().getPaths();
            for (int p = 0; p < paths.size(); p++) {
                var path = paths.get(p);
                if (path == null) {
                    continue;
                }
                var pathValue = path.getPath() == null ? "/" : path.getPath();
                var pathType = path.getPathType() == null || path.getPathType().isEmpty() ? "ImplementationSpecific"
                        : path.getPathType();
                add(out, ref, "rules[" + r + "].http.paths[" + p + "]", emptyToNull(rule.getHost()), pathValue,
                        pathType, path.getBackend());
            }
        }
        return out;
    }

    private static void add(List<Backend> out, ObjectRef ingress, String field, String host, String path,
                            String pathType, IngressBackend backend) {
        if (backend == null || backend.getService() == null || backend.getService().getName() == null) {
            return;
        }
        var svc = backend.getService();
        Integer number = null;
        String name = null;
        if (svc.getPort() != null) {
            number = svc.getPort().getNumber();
            name = emptyToNull(svc.getPort().getName());
        }
        out.add(Backend.ingress(ingress, field, host, path, pathType,
                Backend.serviceIn(ingress, ingress.namespace(), svc.getName()), number, name));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
