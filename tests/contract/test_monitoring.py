"""deploy/k8s/monitoring (issue 20, item 9) against the code and the rendered manifests, offline.

PodMonitor and PrometheusRule are the Prometheus Operator's custom resources, which
kubernetes-validate has no schema for, so they are checked here: the PodMonitor scrapes every
component's `metrics` port (the one the process binds, and the one NetworkPolicy
allow-metrics-scrape opens to the labelled Prometheus namespace only); every metric an alert rule
or a dashboard panel names is one services/common/metrics.py defines, with the labels it has, so
renaming a metric without its rules and panels fails here; and every expression is PromQL that
Prometheus would load (parsed with promql-parser, since promtool cannot be installed from the lock).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from test_k8s_manifests import (COMPONENTS, K8S, all_containers, container_env, container_ports, default_port,
                                find, ingress_allowed, pod_labels, render, selects, server)

MONITORING = K8S / "monitoring"
OVERLAY = "production"
# Labels Prometheus adds at the scrape (the PodMonitor's relabelling adds `component`).
TARGET_LABELS = {"namespace", "pod", "instance", "job", "container", "endpoint", "component"}
EXTERNAL = {"up": set()}   # Prometheus's own
SCRAPER_LABEL = {"courtflow.io/metrics-scraper": "true"}


def docs(name: str) -> list[dict]:
    return [d for d in yaml.safe_load_all((MONITORING / name).read_text(encoding="utf-8")) if d]


def defined_metrics() -> dict[str, set[str]]:
    """Every series name the code exports → its labels (counters' _total, histograms' parts)."""
    from prometheus_client.metrics import MetricWrapperBase

    from services.common import metrics

    found = {}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            name, labels = value._name, set(value._labelnames)
            if value._type == "counter":
                found[f"{name}_total"] = labels
            elif value._type == "histogram":
                found.update({f"{name}_bucket": labels | {"le"}, f"{name}_count": labels, f"{name}_sum": labels})
            else:
                found[name] = labels
    return found


def rules() -> list[dict]:
    (rule,) = docs("prometheusrule.yaml")
    return [r for group in rule["spec"]["groups"] for r in group["rules"]]


def dashboard_exprs() -> list[str]:
    board = json.loads((MONITORING / "courtflow-dashboard.json").read_text(encoding="utf-8"))
    return [t["expr"] for p in board["panels"] for t in p.get("targets", [])]


SELECTOR = re.compile(r"\b([a-z_:][a-z0-9_:]*)\s*(\{[^}]*\})?")
FUNCTIONS = {"sum", "max", "min", "count", "avg", "rate", "delta", "increase", "histogram_quantile", "topk", "by",
             "and", "or", "unless", "time", "label_values", "offset", "without", "on", "ignoring", "bool"}


def named_series(expr: str) -> list[tuple[str, set[str]]]:
    """(metric, labels matched) for each series an expression selects."""
    found = []
    for name, matchers in SELECTOR.findall(re.sub(r'"[^"]*"', '""', expr)):
        if name in FUNCTIONS or not (name.startswith("courtflow_") or name in EXTERNAL):
            continue
        found.append((name, set(re.findall(r"([a-z_]+)\s*(?:=~|!=|!~|=)", matchers))))
    return found


@pytest.mark.parametrize("source", ["alert rules", "dashboard"])
def test_every_metric_named_exists_with_its_labels(source: str) -> None:
    exprs = [r["expr"] for r in rules()] if source == "alert rules" else dashboard_exprs()
    known = defined_metrics()
    seen, problems = set(), []
    for expr in exprs:
        series = named_series(expr)
        assert series, f"{source}: no metric in {expr!r}"
        for name, labels in series:
            seen.add(name)
            have = EXTERNAL[name] if name in EXTERNAL else known.get(name)
            if have is None:
                problems.append(f"{name} is not defined in services/common/metrics.py")
            elif labels - have - TARGET_LABELS:
                problems.append(f"{name} has no label {sorted(labels - have - TARGET_LABELS)}")
    assert not problems, f"{source}: {problems}"
    if source == "dashboard":   # item 9's gauges each have a panel
        wanted = {"courtflow_outbox_unpublished_events", "courtflow_outbox_oldest_unpublished_age_seconds",
                  "courtflow_consumer_pending_messages", "courtflow_dead_letters", "courtflow_due_timers_late",
                  "courtflow_due_timers_pending", "courtflow_sms_deliveries", "courtflow_gateway_requests_total",
                  "courtflow_gateway_request_duration_seconds_bucket", "courtflow_build_info"}
        assert wanted <= seen, sorted(wanted - seen)


# Grafana's variables outside a string (`[$__rate_interval]`) are not PromQL: a value of their kind
# stands in for each before parsing; inside a label matcher's string they are text already.
GRAFANA_VARIABLES = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h"}


def promql(expr: str):
    """The expression's syntax tree as Prometheus reads it; ValueError naming what is wrong.

    promtool (`promtool check rules`) is not on PyPI or in the lock, and CI reaches only the
    registries; promql-parser (dev group) is the Rust promql-parser crate's grammar, with
    Prometheus's function signatures and argument types (`rate(x)` without a range is refused)."""
    import promql_parser

    text = re.sub(r"\$\{?(\w+)\}?", lambda m: GRAFANA_VARIABLES.get(m[1], m[0]), expr)
    return promql_parser.parse(text)


@pytest.mark.parametrize("source", ["alert rules", "dashboard"])
def test_every_expression_is_promql_prometheus_accepts(source: str) -> None:
    import promql_parser

    exprs = {r["alert"]: r["expr"] for r in rules()} if source == "alert rules" else {
        f"panel {i}": e for i, e in enumerate(dashboard_exprs())}
    problems = []
    for where, expr in exprs.items():
        try:
            tree = promql(expr)
        except ValueError as exc:
            problems.append(f"{where}: {exc} in {expr!r}")
            continue
        # An alert (and a panel's time series) is an instant vector or a scalar, never a range.
        if isinstance(tree, (promql_parser.MatrixSelector, promql_parser.SubqueryExpr, promql_parser.StringLiteral)):
            problems.append(f"{where}: {type(tree).__name__} is not an instant vector in {expr!r}")
    assert not problems, f"{source}: {problems}"


@pytest.mark.parametrize("expr, wrong", [
    ("sum by (service (courtflow_dead_letters)", "unclosed left parenthesis"),
    ("rate(courtflow_gateway_requests_total) > 0", "expected type matrix"),
    ("ratee(courtflow_gateway_requests_total[5m])", "unknown function"),
    ('courtflow_dead_letters{service="node"', "unexpected end of input"),
    ("histogram_quantile(courtflow_gateway_request_duration_seconds_bucket)", "expected 2 argument(s)"),
    ("courtflow_dead_letters and 1", "set operator 'and' not allowed"),
])
def test_the_promql_check_itself_refuses_what_prometheus_would(expr: str, wrong: str) -> None:
    with pytest.raises(ValueError, match=re.escape(wrong)):
        promql(expr)
    assert promql('max by (service) (courtflow_dead_letters{namespace="$namespace"}) > 0')
    assert promql("sum(rate(courtflow_gateway_requests_total[$__rate_interval]))")


def test_the_check_itself_catches_a_renamed_metric() -> None:
    (name, labels), = named_series('max by (service) (courtflow_outbox_unpublished{service="x"})')
    assert name not in defined_metrics() and labels == {"service"}


def test_durations_are_in_seconds() -> None:
    for name in defined_metrics():
        if re.search(r"latency|duration|seconds|_time(_|$)", name):
            assert re.search(r"_seconds(_bucket|_count|_sum|_total)?$", name), name
        if name.removesuffix("_bucket").removesuffix("_count").removesuffix("_sum") != name:
            assert "_duration_seconds_" in name, f"{name}: a histogram of durations is named *_duration_seconds"


def test_alert_rules_are_complete() -> None:
    (rule,) = docs("prometheusrule.yaml")
    assert rule["apiVersion"] == "monitoring.coreos.com/v1" and rule["kind"] == "PrometheusRule"
    names = [r["alert"] for r in rules()]
    assert len(names) == len(set(names))
    for r in rules():
        assert r["labels"]["severity"] in ("critical", "warning"), r["alert"]
        assert r["annotations"]["summary"] and r["annotations"]["description"], r["alert"]
        assert re.fullmatch(r"\d+[smh]", r.get("for", "0s")), r["alert"]
    covered = " ".join(r["expr"] for r in rules())
    for gauge in ("courtflow_outbox_oldest_unpublished_age_seconds", "courtflow_consumer_pending_messages",
                  "courtflow_dead_letters", "courtflow_due_timers_oldest_late_age_seconds", "courtflow_sms_deliveries",
                  "courtflow_gateway_requests_total", "courtflow_gateway_request_duration_seconds_bucket"):
        assert gauge in covered, f"no alert rule watches {gauge}"


def test_the_podmonitor_scrapes_every_component_on_the_port_it_binds() -> None:
    (monitor,) = docs("podmonitor.yaml")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1" and monitor["kind"] == "PodMonitor"
    (endpoint,) = monitor["spec"]["podMetricsEndpoints"]
    objs = render(OVERLAY)
    for component in COMPONENTS:
        dep = find(objs, "Deployment", component)
        assert selects(monitor["spec"]["selector"], pod_labels(dep)), f"the PodMonitor misses {component}"
        port = default_port(component) + 1000
        assert container_ports(dep)[endpoint["port"]] == port, component
        assert container_env(objs, server(dep))[f"{component.upper()}_METRICS_PORT"] == str(port)
        assert endpoint["path"] == "/metrics"
    others = [o["metadata"]["name"] for o in objs if "template" in o.get("spec", {})
              and o["metadata"]["name"] not in COMPONENTS and selects(monitor["spec"]["selector"], pod_labels(o))]
    assert not others, f"the PodMonitor also scrapes {others}"


def test_only_the_labelled_namespace_reaches_the_metrics_port() -> None:
    objs = render(OVERLAY)
    (policy,) = [o for o in objs if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "allow-metrics-scrape"]
    (rule,) = policy["spec"]["ingress"]
    assert rule["from"] == [{"namespaceSelector": {"matchLabels": SCRAPER_LABEL}}]
    assert rule["ports"] == [{"protocol": "TCP", "port": "metrics"}]
    for component in COMPONENTS:
        dep = find(objs, "Deployment", component)
        assert selects(policy["spec"]["podSelector"], pod_labels(dep)), component
        named = container_ports(dep)
        # A pod of the namespace (not Prometheus's) is refused on the metrics port.
        assert not ingress_allowed(objs, {"some": "client"}, pod_labels(dep), named["metrics"], named), component
        assert len([c for c in all_containers(dep) if any(p.get("name") == "metrics" for p in c.get("ports", []))]) == 1


def test_the_monitoring_kustomization_lists_its_files() -> None:
    (k,) = docs("kustomization.yaml")
    assert k["kind"] == "Kustomization"
    listed = set(k["resources"]) | {f for g in k["configMapGenerator"] for f in g["files"]}
    assert listed == {p.name for p in MONITORING.iterdir() if p.name != "kustomization.yaml"}
    board = json.loads((MONITORING / "courtflow-dashboard.json").read_text(encoding="utf-8"))
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)) and board["uid"]
    assert Path(MONITORING / "courtflow-dashboard.json").stat().st_size < 1_000_000   # a ConfigMap's limit


def test_kubectl_kustomize_renders_it() -> None:
    import shutil
    import subprocess

    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl not installed")
    out = subprocess.run([kubectl, "kustomize", str(MONITORING)], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    objs = {o["kind"]: o for o in yaml.safe_load_all(out)}
    assert sorted(objs) == ["ConfigMap", "PodMonitor", "PrometheusRule"]
    assert {o["metadata"]["namespace"] for o in objs.values()} == {"courtflow"}
    assert objs["ConfigMap"]["metadata"]["labels"]["grafana_dashboard"] == "1"
    json.loads(objs["ConfigMap"]["data"]["courtflow-dashboard.json"])


def test_the_runbook_links_of_the_rules_lead_somewhere() -> None:
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", readme, re.M)}
    for r in rules():
        link = r["annotations"].get("runbook")
        if link:
            assert link.split("#")[1] in anchors, f"{r['alert']}: no section {link}"
