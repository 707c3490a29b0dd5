#!/usr/bin/env python3
"""Inputs of bench/compare, written into a directory, each as one file and,
where the benchmark compares the two, as one file per object.

Usage: bench/gen_inputs.py KIND N OUT
                           [--format yaml|yaml-list|json-list|json-stream]
                           [--split]

KIND is one of
  deployments  N Deployments of bench/gen_deployments.py (half of them
               labelled for the FileBeat SidecarSet);
  sidecarsets  N SidecarSets (for `hash`);
  workloads    20 SidecarSets, then N Deployments of gen_deployments.py;
  namespaces   N Namespaces;
  mounts       one Deployment whose container has N volumeMounts (every
               tenth names a missing volume), and a SidecarSet that injects
               into it and shares its volumes;
  sidecar-mounts
               a SidecarSet whose container has N volumes and volumeMounts,
               and a Deployment it injects into;
  pods         bench/gen_live_pods.py: a SidecarSet and N live Pods, as
               `kubectl get sidecarset,pods -o yaml|json` prints them.

--format: a YAML stream (the default), one YAML `kind: List` (as
`kubectl get -o yaml` prints one), one JSON `kind: List`, or a JSON
stream of one compact object per line. With --split OUT is a directory
that gets one file per object, in input order: the documents of the YAML
stream, the lines of the JSON stream, or pretty JSON for json-list.

The YAML of Deployments is gen_deployments.py's text (comments, quoted
scalars); their JSON is the same documents, converted by the floor binary
(bench/floor, `floor to-json`), which shares no code with the tool. Other
objects are built here and written in kubectl's YAML layout by the emitter
of gen_live_pods.py. Needs only the Python 3 standard library.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_live_pods  # noqa: E402

FLOOR = os.environ.get("FLOOR") or os.path.join(HERE, "floor", "target", "release", "floor")
SIDECARSETS_PER_WORKLOADS = 20


def deployments_yaml(n):
    r = subprocess.run(
        [sys.executable, os.path.join(HERE, "gen_deployments.py"), str(n)],
        stdout=subprocess.PIPE, check=True, text=True,
    )
    return r.stdout


def yaml_docs_to_objects(text):
    """The documents of a YAML stream, parsed by the floor binary."""
    r = subprocess.run(
        [FLOOR, "to-json", "/dev/stdin"], input=text.encode(),
        stdout=subprocess.PIPE, check=True,
    )
    return json.loads(r.stdout)


def sidecarset(i, n_ns=7):
    """A FileBeat-like SidecarSet: even ones select the FileBeat label of
    gen_deployments.py, odd ones `tier: "yes"`; every third is namespaced."""
    spec = {
        "selector": {
            "matchLabels": (
                {"kruise.io/inject-filebeat": "true"} if i % 2 == 0 else {"tier": "yes"}
            )
        },
        "containers": [{
            "name": f"filebeat-{i}",
            "image": f"docker.elastic.co/beats/filebeat:7.{i % 17}.2",
            "args": ["-e", "-E", "http.enabled=true"],
            "env": [{
                "name": "POD_NAMESPACE",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}},
            }],
            "resources": {
                "limits": {"cpu": "1", "memory": "200Mi"},
                "requests": {"cpu": "100m", "memory": "100Mi"},
            },
            "volumeMounts": [
                {"mountPath": f"/usr/share/filebeat-{i}", "name": f"filebeat-config-{i}"},
                {"mountPath": f"/var/log/filebeat-{i}", "name": "log"},
            ],
        }],
        "volumes": [
            {"configMap": {"name": f"filebeat-config-{i}"}, "name": f"filebeat-config-{i}"},
            {"name": "log", "emptyDir": {}},
        ],
        "updateStrategy": {"type": "RollingUpdate", "maxUnavailable": "10%"},
    }
    if i % 3 == 0:
        spec["namespace"] = f"team-{i % n_ns}"
    return {
        "apiVersion": "apps.kruise.io/v1alpha1",
        "kind": "SidecarSet",
        "metadata": {"name": f"filebeat-{i}", "labels": {"team": f"t{i % 5}"}},
        "spec": spec,
    }


def namespace(i):
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": f"ns-{i}",
            "labels": {"kubernetes.io/metadata.name": f"ns-{i}", "team": f"t{i % 9}"},
            "annotations": {"owner": f"team-{i % 9}@example.com"},
        },
    }


def mounts(n):
    """One Deployment whose one container has N volumeMounts, every tenth
    naming a volume the pod lacks (a lint finding each), and a SidecarSet
    with shareVolumePolicy enabled that injects into it."""
    vols = [{"name": f"vol-{i}", "emptyDir": {}} for i in range(n) if i % 10]
    ms = [{"name": f"vol-{i}", "mountPath": f"/data/{i}", "readOnly": i % 2 == 0}
          for i in range(n)]
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "big", "namespace": "default"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "big"}},
            "template": {
                "metadata": {"labels": {"app": "big"}},
                "spec": {
                    "containers": [{
                        "name": "app",
                        "image": "registry.example.com/big:1.0.0",
                        "env": [{"name": "SUB", "value": "x"}],
                        "volumeMounts": ms,
                    }],
                    "volumes": vols,
                },
            },
        },
    }
    ss = {
        "apiVersion": "apps.kruise.io/v1alpha1",
        "kind": "SidecarSet",
        "metadata": {"name": "share"},
        "spec": {
            "selector": {"matchLabels": {"app": "big"}},
            "containers": [{
                "name": "shipper",
                "image": "registry.example.com/shipper:1.0.0",
                "shareVolumePolicy": {"type": "enabled"},
                "volumeMounts": [{"name": "own", "mountPath": "/own"}],
            }],
            "volumes": [{"name": "own", "emptyDir": {}}],
        },
    }
    return [ss, dep]


def sidecar_mounts(n):
    """A SidecarSet whose one container mounts N volumes of its own, and a
    Deployment it injects into."""
    ss = {
        "apiVersion": "apps.kruise.io/v1alpha1",
        "kind": "SidecarSet",
        "metadata": {"name": "many"},
        "spec": {
            "selector": {"matchLabels": {"app": "small"}},
            "containers": [{
                "name": "shipper",
                "image": "registry.example.com/shipper:1.0.0",
                "volumeMounts": [{"name": f"vol-{i}", "mountPath": f"/data/{i}"}
                                 for i in range(n)],
            }],
            "volumes": [{"name": f"vol-{i}", "emptyDir": {}} for i in range(n)],
        },
    }
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "small", "namespace": "default"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "small"}},
            "template": {
                "metadata": {"labels": {"app": "small"}},
                "spec": {"containers": [{"name": "app", "image": "registry.example.com/small:1"}]},
            },
        },
    }
    return [ss, dep]


def objects(kind, n):
    if kind == "sidecarsets":
        return [sidecarset(i) for i in range(n)]
    if kind == "namespaces":
        return [namespace(i) for i in range(n)]
    if kind == "mounts":
        return mounts(n)
    if kind == "sidecar-mounts":
        return sidecar_mounts(n)
    if kind == "deployments":
        return yaml_docs_to_objects(deployments_yaml(n))
    if kind == "workloads":
        return [sidecarset(i) for i in range(SIDECARSETS_PER_WORKLOADS)] + objects("deployments", n)
    raise ValueError(kind)


def to_yaml(obj):
    out = []
    gen_live_pods.emit(obj, 0, out)
    return "".join(out)


def yaml_stream(kind, n):
    if kind == "deployments":
        return deployments_yaml(n)
    if kind == "workloads":
        ss = [to_yaml(sidecarset(i)) for i in range(SIDECARSETS_PER_WORKLOADS)]
        return "---\n".join(ss) + "---\n" + deployments_yaml(n)
    return "---\n".join(to_yaml(o) for o in objects(kind, n))


def yaml_files(kind, n):
    """The documents of `yaml_stream` one by one, each its own file's text."""
    if kind in ("deployments", "workloads"):
        text = yaml_stream(kind, n)
        docs = text.split("\n---\n")
        return [d if d.endswith("\n") else d + "\n" for d in docs]
    return [to_yaml(o) for o in objects(kind, n)]


def write(kind, n, out, fmt="yaml", split=False):
    if kind == "pods":
        if split:
            raise ValueError("pods are one List, not split")
        args = [sys.executable, os.path.join(HERE, "gen_live_pods.py"), str(n)]
        if fmt != "yaml":
            args.append("--json")
        with open(out, "w") as f:
            subprocess.run(args, stdout=f, check=True)
        return
    if split:
        os.makedirs(out, exist_ok=True)
        if fmt == "yaml":
            texts = yaml_files(kind, n)
            ext = "yaml"
        elif fmt == "json-stream":
            # The very lines of the stream, so that only the files differ.
            texts = [json.dumps(o, separators=(",", ":")) + "\n" for o in objects(kind, n)]
            ext = "json"
        else:
            texts = [json.dumps(o, indent=4) + "\n" for o in objects(kind, n)]
            ext = "json"
        width = len(str(len(texts)))
        for i, t in enumerate(texts):
            with open(os.path.join(out, f"{i:0{width}d}.{ext}"), "w") as f:
                f.write(t)
        return
    if fmt == "yaml":
        text = yaml_stream(kind, n)
    elif fmt == "yaml-list":
        text = to_yaml({"apiVersion": "v1", "items": objects(kind, n), "kind": "List",
                        "metadata": {"resourceVersion": ""}})
    elif fmt == "json-list":
        text = json.dumps(
            {"apiVersion": "v1", "kind": "List", "items": objects(kind, n)}, indent=4
        ) + "\n"
    elif fmt == "json-stream":
        text = "".join(json.dumps(o, separators=(",", ":")) + "\n" for o in objects(kind, n))
    else:
        raise ValueError(fmt)
    with open(out, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["deployments", "sidecarsets", "workloads",
                                     "namespaces", "mounts", "sidecar-mounts", "pods"])
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--format", default="yaml", choices=["yaml", "yaml-list", "json-list",
                                                          "json-stream"])
    ap.add_argument("--split", action="store_true")
    a = ap.parse_args()
    write(a.kind, a.n, a.out, a.format, a.split)


if __name__ == "__main__":
    main()
