"""Contract tests for the Kubernetes manifests in deploy/k8s (kustomize layout), without a cluster.

What is checked, fast and offline:

* every YAML document parses and names itself (apiVersion, kind, metadata.name); every path a
  kustomization refers to exists, and every manifest is used by some kustomization;
* each overlay is rendered by the small renderer below (resources, components, generators,
  strategic-merge patches, replicas, images, namespace: the parts of kustomize these manifests use;
  it fails on anything else rather than guess) and the rendered objects are checked against the
  Python sources: commands, ports, probes, Services, NetworkPolicies (evaluated, both directions,
  since default-deny covers egress too), the Secret-held settings, the shutdown timing, and that
  every environment variable the manifests set is one the code reads;
* the rendered objects against the Kubernetes OpenAPI schemas of every release from the oldest
  deploy/k8s/README.md names to the newest `kubernetes-validate` (a locked dev dependency) carries,
  offline; and, where kubectl is installed, the renderer against `kubectl kustomize`.
"""
from __future__ import annotations

import base64
import copy
import functools
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").is_file())

COMPONENTS = ("gateway", "case", "node", "alert", "stats", "audit")
BACKENDS = tuple(c for c in COMPONENTS if c != "gateway")
NAME_LABEL = "app.kubernetes.io/name"
IMAGE = "courtflow"  # one image for all six components
SECRET = "courtflow-secrets"
SECRET_KEYS = ("DATABASE_URL", "NATS_URL", "COURTFLOW_INTERNAL_KEY")
# Overlays whose courtflow-secrets is created out of band; their kustomization.yaml must say how.
EXTERNAL_SECRET_OVERLAYS = {"production"}
# Read by libraries or the interpreter, not by our code: the OpenTelemetry SDK, CPython.
THIRD_PARTY_ENV_PREFIXES = ("OTEL_", "PYTHON")
KUSTOMIZE_API = "kustomize.config.k8s.io/"
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
                  "PriorityClass", "CustomResourceDefinition"}


# -- the Python side ---------------------------------------------------------------------------


def _module(component: str) -> str:
    return "gateway" if component == "gateway" else f"services.{component}"


def _package_dir(component: str) -> Path:
    return ROOT / _module(component).replace(".", "/")


@functools.cache
def _python_sources() -> str:
    files = sorted((ROOT / "services").rglob("*.py")) + sorted((ROOT / "gateway").rglob("*.py"))
    assert files, "no Python sources under services/ and gateway/"
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


@functools.cache
def default_port(component: str) -> int:
    from services.common.components import DEFAULT_PORTS  # every component's port, written once

    return DEFAULT_PORTS[component]


def _settings_default(name: str) -> float:
    text = (ROOT / "services" / "common" / "settings.py").read_text(encoding="utf-8")
    # env.float("NAME", 1.0) or float_within(env, "NAME", 1.0, low, high): the default follows the name
    match = re.search(rf'["\']{name}["\']\s*,\s*([0-9.]+)\s*[,)]', text)
    assert match, f"services/common/settings.py: no default for {name}"
    return float(match.group(1))


def read_by_code(name: str) -> bool:
    """Whether services/ or gateway/ read this variable: literally ("NATS_URL"), or through the
    per-component prefix of settings.py (f"{prefix}_GRPC_PORT" with prefix = service.upper())."""
    sources = _python_sources()
    if re.search(rf'["\']{re.escape(name)}["\']', sources):
        return True
    for component in COMPONENTS:
        prefix = component.upper()
        if name.startswith(prefix + "_"):
            suffix = name[len(prefix):]
            if re.search(r"\{\w+\}" + re.escape(suffix) + r'["\']', sources):
                return True
    return False


def required_settings() -> set[str]:
    """Variables read with no default (start-up stops without them)."""
    found = set(re.findall(r'env\.(?:str|int)\(\s*["\']([A-Z][A-Z0-9_]*)["\']\s*\)', _python_sources()))
    assert set(SECRET_KEYS) <= found, f"the required settings moved? found {sorted(found)}"
    return found


def gateway_backend_vars() -> dict[str, str]:
    """BACKENDS of gateway/config.py: address variable -> component ("CASE_ADDR" -> "case")."""
    text = (ROOT / "gateway" / "config.py").read_text(encoding="utf-8")
    names = re.findall(r'["\']([A-Z]+)_ADDR["\']', text)
    assert names, "gateway/config.py: no *_ADDR variables"
    return {f"{n}_ADDR": n.lower() for n in names}


# -- YAML files and kustomizations -------------------------------------------------------------


def yaml_files() -> list[Path]:
    return sorted(p for p in K8S.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_docs(path: Path) -> list:
    with path.open(encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def kustomization_files() -> list[Path]:
    return [p for p in yaml_files() if p.name in ("kustomization.yaml", "kustomization.yml")]


def kustomization(directory: Path) -> dict:
    for name in ("kustomization.yaml", "kustomization.yml"):
        if (directory / name).is_file():
            (doc,) = load_docs(directory / name)
            return doc
    raise AssertionError(f"{directory}: no kustomization.yaml")


def _rel(path: Path) -> str:
    return str(path.relative_to(K8S))


# -- a small kustomize -------------------------------------------------------------------------

SUPPORTED_FIELDS = {"apiVersion", "kind", "metadata", "resources", "components", "configMapGenerator",
                    "secretGenerator", "patches", "replicas", "images", "namespace"}
SUPPORTED_GENERATOR_FIELDS = {"name", "behavior", "literals", "envs"}


@functools.cache
def render(overlay: str) -> tuple[dict, ...]:
    objs = _accumulate(K8S / "overlays" / overlay, [])
    keys = [(o["kind"], o["metadata"]["name"]) for o in objs]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"{overlay}: rendered twice: {sorted(duplicates)}"
    return tuple(objs)


def _accumulate(directory: Path, objs: list[dict]) -> list[dict]:
    """Build one kustomization (or apply one component to what has been accumulated so far)."""
    k = kustomization(directory)
    unsupported = set(k) - SUPPORTED_FIELDS
    assert not unsupported, f"{_rel(directory)}: the test renderer does not handle {sorted(unsupported)}"
    objs = list(objs)
    for entry in k.get("resources", []):
        path = directory / entry
        objs += _accumulate(path, []) if path.is_dir() else copy.deepcopy(load_docs(path))
    for entry in k.get("components", []):
        objs = _accumulate(directory / entry, objs)
    for kind, field in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
        for generator in k.get(field, []):
            _generate(objs, kind, generator, directory)
    for patch in k.get("patches", []):
        _apply_patch(objs, patch, directory)
    for replicas in k.get("replicas", []):
        targets = [o for o in objs if o["kind"] in ("Deployment", "StatefulSet")
                   and o["metadata"]["name"] == replicas["name"]]
        assert targets, f"{_rel(directory)}: replicas for unknown {replicas['name']}"
        for o in targets:
            o["spec"]["replicas"] = replicas["count"]
    for image in k.get("images", []):
        for pod in (o["spec"]["template"]["spec"] for o in objs if "template" in o.get("spec", {})):
            for c in pod.get("initContainers", []) + pod["containers"]:
                if c["image"].split("@")[0].rsplit(":", 1)[0] == image["name"]:
                    name = image.get("newName", image["name"])
                    c["image"] = f"{name}@{image['digest']}" if "digest" in image else \
                        f"{name}:{image.get('newTag', c['image'].rsplit(':', 1)[-1])}"
    if "namespace" in k:
        for o in objs:
            if o["kind"] not in CLUSTER_SCOPED:
                o["metadata"]["namespace"] = k["namespace"]
    return objs


def _generate(objs: list[dict], kind: str, generator: dict, directory: Path) -> None:
    unsupported = set(generator) - SUPPORTED_GENERATOR_FIELDS
    assert not unsupported, f"{_rel(directory)}: generator fields the renderer lacks: {sorted(unsupported)}"
    data: dict[str, str] = {}
    for env_file in generator.get("envs", []):
        for line in (directory / env_file).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                data[key.strip()] = value
    for literal in generator.get("literals", []):
        key, sep, value = literal.partition("=")
        assert sep, f"{_rel(directory)}: literal {literal!r} has no '='"
        data[key] = value
    # Generated Secrets are kept readable (stringData); kustomize would base64 them into data.
    field = "stringData" if kind == "Secret" else "data"
    name, behavior = generator["name"], generator.get("behavior", "create")
    existing = [o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name]
    if behavior == "create":
        assert not existing, f"{_rel(directory)}: {kind} {name} exists; use behavior: merge"
        obj = {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, field: data}
        if kind == "Secret":
            obj["type"] = "Opaque"
        objs.append(obj)
    else:
        assert behavior in ("merge", "replace"), f"{_rel(directory)}: behavior {behavior}"
        assert len(existing) == 1, f"{_rel(directory)}: {behavior} of {kind} {name}, which is not generated"
        if behavior == "merge":
            existing[0][field].update(data)
        else:
            existing[0][field] = data


def _apply_patch(objs: list[dict], entry: dict, directory: Path) -> None:
    docs = load_docs(directory / entry["path"]) if "path" in entry else list(yaml.safe_load_all(entry["patch"]))
    target = entry.get("target")
    for patch in docs:
        assert isinstance(patch, dict), f"{_rel(directory)}: JSON 6902 patches are not handled by the renderer"
        if target:
            selected = [o for o in objs if _target_matches(target, o)]
        else:
            selected = [o for o in objs if o["kind"] == patch["kind"]
                        and o["metadata"]["name"] == patch["metadata"]["name"]]
        assert selected, f"{_rel(directory)}: patch {entry} matches nothing"
        for obj in selected:
            body = copy.deepcopy(patch)
            body["metadata"] = {k: v for k, v in body.get("metadata", {}).items() if k != "name"}
            _strategic_merge(obj, body)


def _target_matches(target: dict, obj: dict) -> bool:
    unsupported = set(target) - {"kind", "name", "labelSelector"}
    assert not unsupported, f"patch target fields the renderer lacks: {sorted(unsupported)}"
    if "kind" in target and obj["kind"] != target["kind"]:
        return False
    if "name" in target and not re.fullmatch(target["name"], obj["metadata"]["name"]):
        return False
    labels = obj["metadata"].get("labels") or {}
    for requirement in filter(None, target.get("labelSelector", "").split(",")):
        key, sep, value = requirement.partition("=")
        assert sep and "!" not in key, f"label selector {requirement!r}: only key=value is handled"
        if labels.get(key.strip()) != value.strip():
            return False
    return True


def _strategic_merge(base: dict, patch: dict) -> None:
    """Maps merge; lists of named maps (containers, env, volumes, ports) merge by name; other lists
    are replaced. Enough for these manifests; $patch directives are refused."""
    for key, value in patch.items():
        assert not key.startswith("$"), f"strategic-merge directive {key} is not handled"
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _strategic_merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list) and _named(value) and _named(base[key]):
            by_name = {item["name"]: item for item in base[key]}
            for item in value:
                if item["name"] in by_name:
                    _strategic_merge(by_name[item["name"]], item)
                else:
                    base[key].append(item)
        else:
            base[key] = value


def _named(items: list) -> bool:
    return all(isinstance(i, dict) and "name" in i for i in items)


# -- looking at rendered objects ---------------------------------------------------------------


def find(objs, kind: str, name: str) -> dict:
    matches = [o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def pod_labels(workload: dict) -> dict:
    return workload["spec"]["template"]["metadata"]["labels"]


def server(deployment: dict) -> dict:
    (container,) = [c for c in pod_spec(deployment)["containers"] if c["name"] == "server"]
    return container


def all_containers(workload: dict) -> list[dict]:
    spec = pod_spec(workload)
    return spec.get("initContainers", []) + spec["containers"]


def courtflow_containers(objs) -> list[tuple[str, dict]]:
    return [(o["metadata"]["name"], c) for o in objs if o["kind"] in ("Deployment", "StatefulSet", "Job")
            for c in all_containers(o) if c["image"].split("/")[-1].split(":")[0].split("@")[0] == IMAGE]


def selects(selector: dict | None, labels: dict) -> bool:
    """Kubernetes label-selector semantics (an empty selector selects everything)."""
    selector = selector or {}
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        present, value, values = expr["key"] in labels, labels.get(expr["key"]), expr.get("values", [])
        if {"In": not (present and value in values), "NotIn": present and value in values,
                "Exists": not present, "DoesNotExist": present}[expr["operator"]]:
            return False
    return True


class Env(dict):
    """A container's environment as Kubernetes builds it: envFrom first, then env overrides.
    Values are strings, or ("secret", name, key) for secret references."""


def container_env(objs, container: dict) -> Env:
    env = Env()
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            cm = find(objs, "ConfigMap", source["configMapRef"]["name"])
            env.update(cm.get("data") or {})
        else:
            name = source["secretRef"]["name"]
            secret = [o for o in objs if o["kind"] == "Secret" and o["metadata"]["name"] == name]
            keys = secret_data(secret[0]) if secret else {}
            env.update({k: ("secret", name, k) for k in keys})
    for var in container.get("env", []):
        if "value" in var:
            env[var["name"]] = var["value"]
        else:
            ref = var["valueFrom"]
            if "secretKeyRef" in ref:
                env[var["name"]] = ("secret", ref["secretKeyRef"]["name"], ref["secretKeyRef"]["key"])
            elif "configMapKeyRef" in ref:
                cm = find(objs, "ConfigMap", ref["configMapKeyRef"]["name"])
                env[var["name"]] = cm["data"][ref["configMapKeyRef"]["key"]]
            else:
                env[var["name"]] = ("field", str(ref))
    return env


def secret_data(secret: dict) -> dict[str, str]:
    data = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
    data.update(secret.get("stringData") or {})
    return data


# NetworkPolicy evaluation (one namespace): does traffic from pod `src` reach pod `dst`?


def _policies(objs, labels: dict, direction: str) -> list[dict]:
    result = []
    for np in (o for o in objs if o["kind"] == "NetworkPolicy"):
        spec = np["spec"]
        types = spec.get("policyTypes") or (["Ingress"] + (["Egress"] if "egress" in spec else []))
        if direction in types and selects(spec.get("podSelector"), labels):
            result.append(np)
    return result


def _port_allowed(rule: dict, port: int, protocol: str, named: dict[str, int]) -> bool:
    ports = rule.get("ports")
    if not ports:
        return True
    for p in ports:
        if p.get("protocol", "TCP") != protocol:
            continue
        number = named.get(p["port"]) if isinstance(p.get("port"), str) else p.get("port")
        if number is None or number == port or (p.get("endPort") and number <= port <= p["endPort"]):
            return True
    return False


def _peer_allows(peers: list | None, labels: dict | None) -> bool:
    """labels None: a destination outside the cluster (only rules without peers, or ipBlocks, allow it)."""
    if not peers:
        return True
    for peer in peers:
        if labels is None and "ipBlock" in peer:
            return True
        if labels is not None and set(peer) == {"podSelector"} and selects(peer["podSelector"], labels):
            return True
    return False


def egress_allowed(objs, src: dict, dst: dict | None, port: int, protocol: str = "TCP",
                   named: dict | None = None) -> bool:
    policies = _policies(objs, src, "Egress")
    return not policies or any(
        _peer_allows(rule.get("to"), dst) and _port_allowed(rule, port, protocol, named or {})
        for np in policies for rule in np["spec"].get("egress") or [])


def ingress_allowed(objs, src: dict, dst: dict, port: int, named: dict | None = None) -> bool:
    policies = _policies(objs, dst, "Ingress")
    return not policies or any(
        _peer_allows(rule.get("from"), src) and _port_allowed(rule, port, "TCP", named or {})
        for np in policies for rule in np["spec"].get("ingress") or [])


def container_ports(workload: dict) -> dict[str, int]:
    return {p["name"]: p["containerPort"] for c in all_containers(workload) for p in c.get("ports", []) if "name" in p}


# == the files ===================================================================================


@pytest.mark.parametrize("path", yaml_files(), ids=_rel)
def test_every_document_parses_and_is_named(path: Path) -> None:
    docs = load_docs(path)
    assert docs, f"{_rel(path)}: no YAML document"
    for i, doc in enumerate(docs):
        where = f"{_rel(path)} document {i + 1}"
        assert isinstance(doc, dict), f"{where}: not a mapping"
        assert isinstance(doc.get("apiVersion"), str) and doc["apiVersion"], f"{where}: no apiVersion"
        assert isinstance(doc.get("kind"), str) and doc["kind"], f"{where}: no kind"
        name = (doc.get("metadata") or {}).get("name")
        assert isinstance(name, str) and name, f"{where}: no metadata.name"


@pytest.mark.parametrize("path", kustomization_files(), ids=_rel)
def test_kustomization_paths_exist(path: Path) -> None:
    k = kustomization(path.parent)
    is_component = path.parent.parent == K8S / "components"
    assert k["apiVersion"].startswith(KUSTOMIZE_API)
    assert k["kind"] == ("Component" if is_component else "Kustomization"), _rel(path)
    for entry in k.get("resources", []):
        target = path.parent / entry
        assert target.exists(), f"{_rel(path)}: resource {entry} does not exist"
        if target.is_dir():
            assert kustomization(target)["kind"] == "Kustomization", f"{_rel(path)}: {entry} is not a kustomization"
    for entry in k.get("components", []):
        target = path.parent / entry
        assert target.is_dir(), f"{_rel(path)}: component {entry} does not exist"
        assert kustomization(target)["kind"] == "Component", f"{_rel(path)}: {entry} is not a Component"
    for patch in k.get("patches", []):
        assert "path" in patch or "patch" in patch, f"{_rel(path)}: patch without path or patch"
        if "path" in patch:
            assert (path.parent / patch["path"]).is_file(), f"{_rel(path)}: patch {patch['path']} does not exist"
    for field in ("configMapGenerator", "secretGenerator"):
        for generator in k.get(field, []):
            for env_file in generator.get("envs", []):
                assert (path.parent / env_file).is_file(), f"{_rel(path)}: {env_file} does not exist"


def test_every_manifest_is_used_by_a_kustomization() -> None:
    used = set()
    for path in kustomization_files():
        k = kustomization(path.parent)
        used |= {(path.parent / e).resolve() for e in k.get("resources", [])}
        used |= {(path.parent / p["path"]).resolve() for p in k.get("patches", []) if "path" in p}
    orphans = [_rel(p) for p in yaml_files() if p not in kustomization_files() and p.resolve() not in used]
    assert not orphans, f"YAML files no kustomization refers to: {orphans}"


def test_there_are_dev_and_production_overlays() -> None:
    assert {"dev", "production"} <= set(OVERLAYS)


# == each component ==============================================================================

CASES = [(o, c) for o in OVERLAYS for c in COMPONENTS]


@pytest.mark.parametrize(("overlay", "component"), CASES)
def test_deployment_runs_the_component_with_grpc_probes(overlay: str, component: str) -> None:
    objs = render(overlay)
    dep = find(objs, "Deployment", component)
    assert selects(dep["spec"]["selector"], pod_labels(dep)), "the selector does not select the pod template"
    assert pod_labels(dep)[NAME_LABEL] == component
    assert (_package_dir(component) / "__main__.py").is_file()

    c = server(dep)
    module, port = _module(component), default_port(component)
    assert c["command"] == ["python", "-m", module] and not c.get("args"), c["command"]
    assert {"name": "grpc", "containerPort": port, "protocol": "TCP"} in c["ports"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert c[probe]["grpc"]["port"] == port, f"{probe} is not a gRPC probe on {port}"
        assert not c[probe]["grpc"].get("service"), "the overall health (service '') is what the servers set"
    assert container_env(objs, c)[f"{component.upper()}_GRPC_PORT"] == str(port)
    assert container_env(objs, c)[f"{component.upper()}_METRICS_PORT"] == str(port + 1000)

    (migrate,) = pod_spec(dep)["initContainers"]
    assert migrate["command"] == ["python", "-m", module, "migrate"]
    assert migrate["image"] == c["image"]


@pytest.mark.parametrize(("overlay", "component"), CASES)
def test_service_exposes_the_grpc_port(overlay: str, component: str) -> None:
    objs = render(overlay)
    dep, svc = find(objs, "Deployment", component), find(objs, "Service", component)
    assert svc["spec"].get("type", "ClusterIP") == "ClusterIP"
    assert svc["spec"]["selector"] and selects({"matchLabels": svc["spec"]["selector"]}, pod_labels(dep))
    others = [o["metadata"]["name"] for o in objs if "template" in o.get("spec", {}) and o is not dep
              and selects({"matchLabels": svc["spec"]["selector"]}, pod_labels(o))]
    assert not others, f"Service {component} also selects {others}"
    port = default_port(component)
    (sp,) = [p for p in svc["spec"]["ports"] if p["port"] == port]
    target = sp.get("targetPort", port)
    assert (container_ports(dep)[target] if isinstance(target, str) else target) == port


@pytest.mark.parametrize(("overlay", "component"), CASES)
def test_secret_settings_and_required_settings(overlay: str, component: str) -> None:
    objs = render(overlay)
    for container in all_containers(find(objs, "Deployment", component)):
        env = container_env(objs, container)
        for key in SECRET_KEYS:
            assert env.get(key) == ("secret", SECRET, key), f"{container['name']}: {key} must come from {SECRET}"
        missing = required_settings() - set(env)
        assert not missing, f"{container['name']}: required settings not set: {sorted(missing)}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_secret_is_provided(overlay: str) -> None:
    secrets = [o for o in render(overlay) if o["kind"] == "Secret" and o["metadata"]["name"] == SECRET]
    if overlay in EXTERNAL_SECRET_OVERLAYS:
        assert not secrets, f"{overlay} expects {SECRET} from outside; do not generate it"
        text = (K8S / "overlays" / overlay / "kustomization.yaml").read_text(encoding="utf-8")
        assert f"create secret generic {SECRET}" in text, "say how to create the Secret"
        assert all(f"{key}=" in text for key in SECRET_KEYS)
    else:
        assert secrets, f"{overlay} renders no {SECRET}"
        assert set(SECRET_KEYS) <= set(secret_data(secrets[0]))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_sms_provider_a_overlay_names_has_its_keys(overlay: str) -> None:
    """An overlay that sends SMS through Alibaba Cloud gives the alert service every setting that
    provider requires (read from services/alert/config.py), from a Secret whose creation it
    documents with every key; one that logs them needs none (production logged them, issue 20)."""
    objs = render(overlay)
    env = container_env(objs, server(find(objs, "Deployment", "alert")))
    text = (_package_dir("alert") / "config.py").read_text(encoding="utf-8")
    required = set(re.findall(r'required\("(ALERT_SMS_[A-Z_]+)"\)', text))
    assert required >= {"ALERT_SMS_ACCESS_KEY_ID", "ALERT_SMS_ACCESS_KEY_SECRET", "ALERT_SMS_TEMPLATES"}
    sources = [s["secretRef"]["name"] for s in server(find(objs, "Deployment", "alert")).get("envFrom", [])
               if "secretRef" in s]
    if env.get("ALERT_SMS_PROVIDER") != "aliyun":
        return
    assert overlay == "production" and sources == ["courtflow-sms"], sources
    howto = (K8S / "overlays" / overlay / "kustomization.yaml").read_text(encoding="utf-8")
    assert "create secret generic courtflow-sms" in howto
    assert all(f"{key}=" in howto for key in required), sorted(k for k in required if f"{k}=" not in howto)
    alert = pod_labels(find(objs, "Deployment", "alert"))
    assert egress_allowed(objs, alert, None, 443), "alert -> the SMS provider's HTTPS API"


@pytest.mark.parametrize(("overlay", "component"), CASES)
def test_termination_grace_outlasts_the_shutdown(overlay: str, component: str) -> None:
    objs = render(overlay)
    dep = find(objs, "Deployment", component)
    env = container_env(objs, server(dep))
    drain = float(env.get("COURTFLOW_SHUTDOWN_DRAIN", _settings_default("COURTFLOW_SHUTDOWN_DRAIN")))
    grace = float(env.get("COURTFLOW_SHUTDOWN_GRACE", _settings_default("COURTFLOW_SHUTDOWN_GRACE")))
    period = pod_spec(dep)["terminationGracePeriodSeconds"]
    assert period > drain + grace
    # services/common/server.py on SIGTERM: drain, server.stop(grace), then background tasks get
    # up to another `grace`, then the NATS drain up to 5 s. SIGKILL should not cut that short.
    assert period >= drain + 2 * grace + 5, f"{period}s < worst-case shutdown {drain + 2 * grace + 5}s"
    # the readiness probe must notice NOT_SERVING within the drain
    probe = server(dep)["readinessProbe"]
    assert probe.get("periodSeconds", 10) * probe.get("failureThreshold", 3) <= drain


@pytest.mark.parametrize(("overlay", "component"), CASES)
def test_pods_are_locked_down(overlay: str, component: str) -> None:
    dep = find(render(overlay), "Deployment", component)
    spec = pod_spec(dep)
    assert dep["spec"]["replicas"] >= 2, "every component is safe to replicate; run at least two"
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert isinstance(spec["securityContext"].get("runAsUser"), int), "runAsNonRoot needs a numeric user"
    assert spec.get("automountServiceAccountToken") is False
    assert spec.get("enableServiceLinks") is False, "service links would inject <NAME>_PORT variables"
    mounts_tmp = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
    for c in all_containers(dep):
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, c["name"]
        assert sc["capabilities"]["drop"] == ["ALL"], c["name"]
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(c["resources"][kind]), f"{c['name']}: resources.{kind}"
        assert any(m["mountPath"] == "/tmp" and m["name"] in mounts_tmp for m in c.get("volumeMounts", []))
    env = container_env(render(overlay), server(dep))
    for var in ("ALERT_SMS_LOG",):
        if var in env:  # a file the process writes must be on a mounted volume
            assert any(env[var].startswith(m["mountPath"] + "/") for m in server(dep)["volumeMounts"])


# == the network =================================================================================


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_default_deny(overlay: str) -> None:
    denies = [np for np in render(overlay) if np["kind"] == "NetworkPolicy"
              and np["spec"]["podSelector"] == {} and not np["spec"].get("ingress") and not np["spec"].get("egress")]
    assert any({"Ingress", "Egress"} <= set(np["spec"].get("policyTypes", [])) for np in denies)


@functools.cache
def callers(component: str) -> set[str]:
    """Who calls `component` over gRPC, from the code: the gateway calls every service, and a
    service whose config.py reads `<COMPONENT>_ADDR` calls that one (case → node, ValidateHearing)."""
    found = {"gateway"}
    for other in BACKENDS:
        text = (_package_dir(other) / "config.py").read_text(encoding="utf-8")
        if re.search(rf'["\']{component.upper()}_ADDR["\']', text):
            found.add(other)
    return found


@pytest.mark.parametrize(("overlay", "component"), [(o, c) for o in OVERLAYS for c in BACKENDS])
def test_services_accept_grpc_only_from_their_callers(overlay: str, component: str) -> None:
    objs = render(overlay)
    labels = pod_labels(find(objs, "Deployment", component))
    port = default_port(component)
    pods = {o["metadata"]["name"]: pod_labels(o) for o in objs if "template" in o.get("spec", {})}
    assert any(np["metadata"]["name"] == component for np in _policies(objs, labels, "Ingress")), \
        f"no NetworkPolicy of its own for {component}"
    # The metrics port's own rule (Prometheus, tests/contract/test_monitoring.py) aside.
    rules = [r for np in _policies(objs, labels, "Ingress") for r in np["spec"].get("ingress") or []
             if [p.get("port") for p in r.get("ports") or []] != ["metrics"]]
    assert rules, f"nothing may reach {component}"
    for rule in rules:
        assert rule.get("from"), f"{component}: an ingress rule without `from` admits every source"
        for peer in rule["from"]:
            assert set(peer) == {"podSelector"}, f"{component}: {peer} reaches beyond this namespace's pods"
            assert peer["podSelector"].get("matchLabels", {}).get(NAME_LABEL) in callers(component), peer
            assert [n for n, lb in pods.items() if selects(peer["podSelector"], lb)] in (
                [c] for c in callers(component)), peer
        assert rule.get("ports") and all(p.get("port") == port for p in rule["ports"]), rule
    for caller in callers(component):
        assert ingress_allowed(objs, pods[caller], labels, port), f"{caller} -> {component} refused by {component}"
        assert egress_allowed(objs, pods[caller], labels, port), f"{caller} -> {component} refused by {caller}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_gateway_reaches_every_service_and_accepts_the_namespace(overlay: str) -> None:
    objs = render(overlay)
    gateway = pod_labels(find(objs, "Deployment", "gateway"))
    assert any(np["metadata"]["name"] == "gateway" for np in _policies(objs, gateway, "Ingress"))
    assert ingress_allowed(objs, {"some": "client"}, gateway, default_port("gateway")), \
        "the gateway must accept gRPC from any pod of the namespace"
    # The calls between services, found in the code: case → node (hearing check), stats → case and
    # node (verifying the read model) and → case, node, alert and audit (VerifyIntegrity).
    assert callers("node") == {"gateway", "case", "stats"} and callers("case") == {"gateway", "stats"}
    assert callers("alert") == callers("audit") == {"gateway", "stats"}
    for component in BACKENDS:
        backend = pod_labels(find(objs, "Deployment", component))
        assert egress_allowed(objs, gateway, backend, default_port(component)), f"gateway -> {component}"
        for other in BACKENDS:
            if component not in callers(other):
                assert not ingress_allowed(objs, backend, pod_labels(find(objs, "Deployment", other)),
                                           default_port(other)), f"{component} -> {other} must be refused"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_what_lies_outside_the_cluster_is_reached_over_https(overlay: str) -> None:
    """The SMS provider's API (alert) and identity systems' JWKS (gateway) are HTTPS endpoints on
    addresses the cluster does not know; default-deny blocked both."""
    objs = render(overlay)
    for component in ("alert", "gateway"):
        assert egress_allowed(objs, pod_labels(find(objs, "Deployment", component)), None, 443), \
            f"{component} -> HTTPS outside"
    for component in ("case", "node", "stats", "audit"):
        assert not egress_allowed(objs, pod_labels(find(objs, "Deployment", component)), None, 443), component


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_gateway_serves_http_json_on_its_own_port(overlay: str) -> None:
    from gateway.config import HTTP_PORT_OFFSET

    objs = render(overlay)
    dep, svc = find(objs, "Deployment", "gateway"), find(objs, "Service", "gateway")
    port = default_port("gateway") + HTTP_PORT_OFFSET
    c = server(dep)
    assert {"name": "http", "containerPort": port, "protocol": "TCP"} in c["ports"]
    assert container_env(objs, c)["GATEWAY_HTTP_PORT"] == str(port)
    (sp,) = [p for p in svc["spec"]["ports"] if p["port"] == port]
    assert container_ports(dep)[sp["targetPort"]] == port
    assert ingress_allowed(objs, {"some": "client"}, pod_labels(dep), port), \
        "the gateway must accept HTTP-JSON from any pod of the namespace"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_reaches_postgres_nats_and_dns(overlay: str) -> None:
    objs = render(overlay)
    database = urlsplit(container_env_from_secret(objs, "DATABASE_URL") or "postgresql://external:5432")
    nats = urlsplit(container_env_from_secret(objs, "NATS_URL") or "nats://external:4222")
    in_cluster = {o["metadata"]["name"]: o for o in objs if o["kind"] in ("StatefulSet", "Deployment")}
    for component in COMPONENTS:
        labels = pod_labels(find(objs, "Deployment", component))
        assert egress_allowed(objs, labels, None, 53, "UDP"), f"{component}: DNS"
        for url in (database, nats):
            port = url.port
            dst = in_cluster.get(url.hostname)
            assert egress_allowed(objs, labels, pod_labels(dst) if dst else None, port), f"{component} -> {url.hostname}"
            if dst:
                assert ingress_allowed(objs, labels, pod_labels(dst), port, container_ports(dst)), \
                    f"{url.hostname} refuses {component}"


def container_env_from_secret(objs, key: str) -> str | None:
    secrets = [o for o in objs if o["kind"] == "Secret" and o["metadata"]["name"] == SECRET]
    return secret_data(secrets[0]).get(key) if secrets else None


# == configuration against the code ==============================================================


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_env_var_is_read_by_the_code(overlay: str) -> None:
    objs = render(overlay)
    names = set()
    for _, container in courtflow_containers(objs):
        names |= set(container_env(objs, container))
    assert names, "no CourtFlow containers rendered"
    unknown = sorted(n for n in names if not n.startswith(THIRD_PARTY_ENV_PREFIXES) and not read_by_code(n))
    assert not unknown, f"set in the manifests but read nowhere in services/ or gateway/: {unknown}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_gateway_backend_addresses_name_the_services(overlay: str) -> None:
    objs = render(overlay)
    env = container_env(objs, server(find(objs, "Deployment", "gateway")))
    for var, component in gateway_backend_vars().items():
        assert component in BACKENDS, f"gateway/config.py names an unknown backend {var}"
        host, _, port = env[var].rpartition(":")
        svc = find(objs, "Service", host)
        assert selects({"matchLabels": svc["spec"]["selector"]}, pod_labels(find(objs, "Deployment", component)))
        assert int(port) == default_port(component) and int(port) in [p["port"] for p in svc["spec"]["ports"]]


# == overlays ====================================================================================


def test_production_has_three_replicas_pdbs_and_otlp() -> None:
    objs = render("production")
    pdbs = [o for o in objs if o["kind"] == "PodDisruptionBudget"]
    for component in COMPONENTS:
        dep = find(objs, "Deployment", component)
        assert dep["spec"]["replicas"] == 3, component
        mine = [p for p in pdbs if selects(p["spec"]["selector"], pod_labels(dep))]
        assert len(mine) == 1, f"{component}: {len(mine)} PodDisruptionBudgets"
        spec = mine[0]["spec"]
        assert spec.get("maxUnavailable") == 1 or spec.get("minAvailable") == 2, spec
        env = container_env(objs, server(dep))
        assert env["COURTFLOW_SPAN_EXPORT"] == "otlp" and env["OTEL_EXPORTER_OTLP_ENDPOINT"]
        assert env["COURTFLOW_CLOCK"] == "system"
        endpoint = urlsplit(env["OTEL_EXPORTER_OTLP_ENDPOINT"])
        assert egress_allowed(objs, pod_labels(dep), None, endpoint.port), f"{component} -> OTLP collector"
    assert not [o for o in objs if o["kind"] == "StatefulSet"], "production uses external PostgreSQL and NATS"


def test_dev_embedded_postgres_and_nats_agree_with_the_secret() -> None:
    objs = render("dev")
    database = urlsplit(container_env_from_secret(objs, "DATABASE_URL"))
    postgres = find(objs, "StatefulSet", "postgres")
    pg_env = container_env(objs, pod_spec(postgres)["containers"][0])
    pg_secret = secret_data(find(objs, "Secret", pg_env["POSTGRES_PASSWORD"][1]))
    assert (database.username, database.password, database.path.lstrip("/")) == (
        pg_secret["POSTGRES_USER"], pg_secret["POSTGRES_PASSWORD"], pg_secret["POSTGRES_DB"])
    assert database.hostname == find(objs, "Service", "postgres")["metadata"]["name"]
    assert database.port == container_ports(postgres)["postgres"]

    nats = urlsplit(container_env_from_secret(objs, "NATS_URL"))
    nats_set = find(objs, "StatefulSet", "nats")
    assert nats.hostname == find(objs, "Service", "nats")["metadata"]["name"]
    assert nats.port == container_ports(nats_set)["client"]
    conf = find(objs, "ConfigMap", "nats-config")["data"]["nats.conf"]
    assert re.search(r"jetstream\s*\{[^}]*sync_interval:\s*always", conf), "JetStream must fsync every write"
    for workload in (postgres, nats_set):
        assert pod_spec(workload)["securityContext"]["runAsNonRoot"] is True


# == optional cross-checks =======================================================================


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_renderer_agrees_with_kubectl_kustomize(overlay: str) -> None:
    """The in-test renderer against the real kustomize, where kubectl is installed."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl not installed")
    out = subprocess.run([kubectl, "kustomize", str(K8S / "overlays" / overlay)], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    generated = {o["metadata"]["name"] for o in render(overlay) if o["kind"] in ("ConfigMap", "Secret")}
    # drop the content hashes kustomize appends to generated names (and to references to them)
    for name in generated:
        out = re.sub(rf"\b{re.escape(name)}-[a-z0-9]{{10}}\b", name, out)
    real = {}
    for obj in yaml.safe_load_all(out):
        if obj["kind"] == "Secret" and "data" in obj:
            obj["stringData"] = {k: base64.b64decode(v).decode() for k, v in obj.pop("data").items()}
        real[(obj["kind"], obj["metadata"]["name"])] = obj
    ours = {(o["kind"], o["metadata"]["name"]): o for o in render(overlay)}
    assert sorted(ours) == sorted(real)
    for key, obj in ours.items():
        assert obj == real[key], f"{key} differs from kubectl kustomize"


def _supported_kubernetes_versions() -> list[str]:
    """From the minimum deploy/k8s/README.md names ("Needs Kubernetes 1.27+") to the newest
    release whose schemas kubernetes-validate (a locked dev dependency) carries."""
    import kubernetes_validate.utils

    match = re.search(r"Needs Kubernetes (\d+)\.(\d+)\+", (K8S / "README.md").read_text(encoding="utf-8"))
    assert match, "deploy/k8s/README.md must name the oldest Kubernetes it supports (\"Needs Kubernetes 1.N+\")"
    oldest = (int(match.group(1)), int(match.group(2)))
    carried = {tuple(int(x) for x in v.split(".")[:2]) for v in kubernetes_validate.utils.all_versions()}
    assert oldest in carried, f"kubernetes-validate carries no schemas for Kubernetes {oldest}"
    return [f"{major}.{minor}" for major, minor in sorted(carried) if (major, minor) >= oldest]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_objects_match_the_kubernetes_schemas(overlay: str) -> None:
    # kubernetes-validate is in the locked dev group: a missing one is a broken setup, not a skip.
    import kubernetes_validate

    errors = []
    for version in _supported_kubernetes_versions():
        for obj in render(overlay):
            if obj["apiVersion"].startswith(KUSTOMIZE_API):
                continue
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                errors.append(f"Kubernetes {version}: {obj['kind']}/{obj['metadata']['name']}: {e.message}")
    assert not errors, "\n".join(errors)
