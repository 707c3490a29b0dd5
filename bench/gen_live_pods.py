#!/usr/bin/env python3
"""Writes what `kubectl get sidecarset,pods -o yaml` prints for N live pods
(default 100,000) of the logtail rollout of examples/logtail-rollout: one
`kind: List` whose items are the SidecarSet (logtail:1.0.0, in its stored
form with the controller's hash annotations, plus a status) and then N Pods
of namespace ns-1 in name order, injected by the old SidecarSet
(logtail:0.9.0), scheduled, Running and Ready.

The pods are built bare, injected in one call of
`kubectl-sidecarset inject --sidecarset examples/logtail-rollout/sidecarset-old.yaml`,
then given a node, a creation time and a kubelet-style status. Output is
YAML in kubectl's layout (keys sorted, two-space indent, sequences flush with
their key) from a small emitter of this file, so the script needs only the
Python 3 standard library and its output is the same on every machine.

With --json the same List is written as `kubectl get -o json` prints it
(four-space indent, keys sorted, as Go's json.MarshalIndent of an
unstructured object).

Usage: bench/gen_live_pods.py [--json] [N] > live.yaml
The tool is target/release/kubectl-sidecarset unless $KUBECTL_SIDECARSET
names another binary. SOURCE_DATE_EPOCH is fixed for the inject call, so
the output is byte-for-byte reproducible.
"""
import hashlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "logtail-rollout")
BIN = os.environ.get("KUBECTL_SIDECARSET") or os.path.join(
    ROOT, "target", "release", "kubectl-sidecarset"
)
EPOCH = 1767225600  # 2026-01-01T00:00:00Z: pods were created after this
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery rand.String


def rfc3339(epoch):
    import datetime

    t = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(*parts):
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()


def token(n, *parts):
    h = int(digest(*parts), 16)
    out = []
    for _ in range(n):
        h, r = divmod(h, len(ALPHABET))
        out.append(ALPHABET[r])
    return "".join(out)


def tool(*args, stdin=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    r = subprocess.run(
        [BIN, *args],
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        check=True,
    )
    return json.loads(r.stdout)


APPS = [("nginx", "nginx:1.25.3"), ("web-server", "httpd:2.4.58"),
        ("api-gateway", "envoyproxy/envoy:v1.29.1")]


def app_of(i):
    k = i % 10  # 30% nginx, 50% web-server, 20% api-gateway
    return APPS[0] if k < 3 else APPS[1] if k < 8 else APPS[2]


def bare_pods(n):
    pods, seen = [], set()
    for i in range(n):
        app, image = app_of(i)
        # Ten ReplicaSets per application, as a few Deployment revisions.
        rs = f"{app}-{token(10, 'rs', app, i % 10)}"
        salt = 0
        while True:
            name = f"{rs}-{token(5, 'pod', i, salt)}"
            if name not in seen:
                break
            salt += 1
        seen.add(name)
        pods.append({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": "ns-1",
                "labels": {"app": "web-server", "app_name": app},
            },
            "spec": {
                "containers": [{
                    "name": "web-server",
                    "image": image,
                    "env": [{"name": "TZ", "value": "Asia/Shanghai"}],
                }],
            },
        })
    pods.sort(key=lambda p: (p["metadata"]["namespace"], p["metadata"]["name"]))
    return pods


def image_id(image):
    repo = image.split("@")[0]
    if ":" in repo.rsplit("/", 1)[-1]:
        repo = repo.rsplit(":", 1)[0]
    return f"docker-pullable://{repo}@sha256:{digest('image', image)}"


def go_live(pod, i, rank):
    meta = pod["metadata"]
    name = meta["name"]
    # Distinct creation times, 13 s apart in an order unrelated to the
    # names, and readiness a few seconds after creation.
    created = EPOCH + 13 * rank
    ready = created + 3 + i % 7
    meta["creationTimestamp"] = rfc3339(created)
    meta["uid"] = "-".join(
        digest("uid", name)[a:b] for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))
    )
    meta["resourceVersion"] = str(1000000 + i)
    spec = pod["spec"]
    spec["nodeName"] = f"node-{int(digest('node', name)[:8], 16) % 500:03d}"
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("schedulerName", "default-scheduler")
    n3 = int(digest("ip", name)[:6], 16)
    statuses = []
    for c in sorted(spec["containers"], key=lambda c: c["name"]):
        statuses.append({
            "containerID": f"containerd://{digest('container', name, c['name'])}",
            "image": c["image"],
            "imageID": image_id(c["image"]),
            "lastState": {},
            "name": c["name"],
            "ready": True,
            "restartCount": 0,
            "started": True,
            "state": {"running": {"startedAt": rfc3339(created + 2)}},
        })
    cond = lambda t, at: {  # noqa: E731
        "lastProbeTime": None,
        "lastTransitionTime": rfc3339(at),
        "status": "True",
        "type": t,
    }
    pod["status"] = {
        "conditions": [
            cond("Initialized", created + 1),
            cond("Ready", ready),
            cond("ContainersReady", ready),
            cond("PodScheduled", created),
        ],
        "containerStatuses": statuses,
        "hostIP": f"10.0.{n3 % 250}.{(n3 >> 8) % 250 + 1}",
        "phase": "Running",
        "podIP": f"10.{100 + (n3 >> 16) % 100}.{n3 % 256}.{(n3 >> 8) % 254 + 1}",
        "qosClass": "BestEffort",
        "startTime": rfc3339(created),
    }


# --- a small YAML emitter in the layout of kubectl -o yaml (sigs.k8s.io/yaml)

_PLAIN = re.compile(r"^[A-Za-z0-9_./(][A-Za-z0-9_./:@%()+= ,-]*$")
_SPECIAL = re.compile(
    r"^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
    r"|on|On|ON|off|Off|OFF"
    r"|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$"
)


def scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if v == "" or _SPECIAL.match(v):
        return json.dumps(v)
    if _PLAIN.match(v) and not v.endswith((" ", ":")) and ": " not in v and " #" not in v:
        return v
    if all(" " <= ch <= "~" for ch in v):
        return "'" + v.replace("'", "''") + "'"
    return json.dumps(v)


def emit(v, indent, out):
    pad = " " * indent
    if isinstance(v, dict):
        for k in sorted(v):
            x = v[k]
            if isinstance(x, dict) and x:
                out.append(f"{pad}{scalar(k)}:\n")
                emit(x, indent + 2, out)
            elif isinstance(x, list) and x:
                out.append(f"{pad}{scalar(k)}:\n")
                emit(x, indent, out)
            else:
                out.append(f"{pad}{scalar(k)}: {flow(x)}\n")
    else:
        for x in v:
            if isinstance(x, (dict, list)) and x:
                sub = []
                emit(x, indent + 2, sub)
                sub[0] = f"{pad}- " + sub[0][indent + 2:]
                out.extend(sub)
            else:
                out.append(f"{pad}- {flow(x)}\n")


def flow(x):
    if isinstance(x, dict):
        return "{}"
    if isinstance(x, list):
        return "[]"
    return scalar(x)


def main():
    args = sys.argv[1:]
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    n = int(args[0]) if args else 100000
    new = tool("hash", "-f", os.path.join(EXAMPLE, "sidecarset.yaml"), "-o", "json")
    new["metadata"]["creationTimestamp"] = rfc3339(EPOCH - 86400 * 30)
    new["metadata"]["generation"] = 2
    new["metadata"]["resourceVersion"] = "999999"
    new["metadata"]["uid"] = "6d1f2c4e-8a0b-4c3d-9e5f-1a2b3c4d5e6f"
    new["status"] = {
        "collisionCount": 0,
        "latestRevision": "test-sidecarset-7c9d8b6f5d",
        "matchedPods": n,
        "observedGeneration": 2,
        "readyPods": n,
        "updatedPods": 0,
        "updatedReadyPods": 0,
    }
    pods = bare_pods(n)
    if pods:
        injected = tool(
            "inject", "-q", "-f", "-", "-o", "json",
            "--sidecarset", os.path.join(EXAMPLE, "sidecarset-old.yaml"),
            stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": pods}).encode(),
        )
        pods = injected["items"] if injected.get("kind") == "List" else [injected]
    order = sorted(range(len(pods)), key=lambda i: digest("created", pods[i]["metadata"]["name"]))
    rank = [0] * len(pods)
    for r, i in enumerate(order):
        rank[i] = r
    for i, p in enumerate(pods):
        go_live(p, i, rank[i])
    doc = {
        "apiVersion": "v1",
        "items": [new] + pods,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=4, sort_keys=True) + "\n")
        return
    out = []
    emit(doc, 0, out)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
