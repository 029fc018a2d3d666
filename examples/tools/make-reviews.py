#!/usr/bin/env python3
"""Writes examples/reviews/*.json from the demo cluster, so the examples always match it.

Run from the repository root: python3 examples/tools/make-reviews.py
"""
import copy
import json
import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-cluster"
OUT = ROOT / "examples" / "reviews"

GVK = {
    "Ingress": {"group": "networking.k8s.io", "version": "v1", "kind": "Ingress"},
    "Service": {"group": "", "version": "v1", "kind": "Service"},
    "Deployment": {"group": "apps", "version": "v1", "kind": "Deployment"},
    "HTTPRoute": {"group": "gateway.networking.k8s.io", "version": "v1", "kind": "HTTPRoute"},
    "Gateway": {"group": "gateway.networking.k8s.io", "version": "v1", "kind": "Gateway"},
}
RESOURCE = {"Ingress": "ingresses", "Service": "services", "Deployment": "deployments", "HTTPRoute": "httproutes",
            "Gateway": "gateways"}


def demo():
    objs = {}
    for f in sorted(DEMO.glob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if d:
                objs[(d["kind"], d["metadata"]["name"])] = d
    return objs


def review(uid, op, new=None, old=None, dry_run=False, user="jane@example.com"):
    obj = new or old
    kind = obj["kind"]
    gvk = GVK[kind]
    return {
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": gvk,
            "resource": {"group": gvk["group"], "version": gvk["version"], "resource": RESOURCE[kind]},
            "requestKind": gvk,
            "requestResource": {"group": gvk["group"], "version": gvk["version"], "resource": RESOURCE[kind]},
            "name": obj["metadata"]["name"],
            "namespace": obj["metadata"].get("namespace", "default"),
            "operation": op,
            "userInfo": {"username": user, "groups": ["system:authenticated"]},
            "object": new,
            "oldObject": old,
            "dryRun": dry_run,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": op.capitalize() + "Options"} if op != "DELETE" else None,
        },
    }


def write(name, data):
    (OUT / name).write_text(json.dumps(data, indent=2) + "\n")


def main():
    objs = demo()
    ing = objs[("Ingress", "web")]
    api = objs[("Service", "api")]
    web_dep = objs[("Deployment", "web")]

    fine = copy.deepcopy(ing)
    fine["spec"]["rules"][0]["http"]["paths"].append(
        {"path": "/cart", "pathType": "Prefix",
         "backend": {"service": {"name": "cart", "port": {"name": "grpc"}}}})
    write("ingress-add-path-fine.json", review("00000000-0000-4000-8000-000000000001", "UPDATE", fine, ing))

    typo = copy.deepcopy(ing)
    typo["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {"name": "http"}
    write("ingress-port-typo.json", review("00000000-0000-4000-8000-000000000002", "UPDATE", typo, ing))

    sel = copy.deepcopy(api)
    sel["spec"]["selector"] = {"app": "apii"}
    write("service-selector-typo.json", review("00000000-0000-4000-8000-000000000003", "UPDATE", sel, api))
    write("service-selector-typo-dry-run.json",
          review("00000000-0000-4000-8000-000000000004", "UPDATE", sel, api, dry_run=True))

    write("service-delete.json", review("00000000-0000-4000-8000-000000000005", "DELETE", None, api))

    relabel = copy.deepcopy(web_dep)
    # spec.selector is immutable: the relabel that orphans a Service changes a label only the Service selects on
    relabel["spec"]["template"]["metadata"]["labels"] = {"app": "web", "tier": "storefront"}
    write("deployment-relabel.json", review("00000000-0000-4000-8000-000000000006", "UPDATE", relabel, web_dep))

    route = objs[("HTTPRoute", "catalog")]
    port_typo = copy.deepcopy(route)
    # the classic Gateway API slip: the container's port (the Service's targetPort) instead of the Service port
    port_typo["spec"]["rules"][0]["backendRefs"][0]["port"] = 8080
    write("httproute-port-typo.json", review("00000000-0000-4000-8000-000000000007", "UPDATE", port_typo, route))

    gateway = objs[("Gateway", "public")]
    renamed = copy.deepcopy(gateway)
    # the listener the route names by sectionName is replaced by one of another name: the route detaches
    renamed["spec"]["listeners"][0]["name"] = "web"
    write("gateway-listener-removed.json", review("00000000-0000-4000-8000-000000000008", "UPDATE", renamed, gateway))


if __name__ == "__main__":
    main()
