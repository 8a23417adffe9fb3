#!/usr/bin/env python3
"""Writes dashboards/orchestrator.json (the committed file). Edit the panels here, then run:
    python3 deployment/grafana/generate-dashboard.py
deployment/check.sh verifies the committed JSON is valid and up to date with this script."""
import json
import os
import sys

DS = {"type": "prometheus", "uid": "prometheus"}
panels = []
_next_id = [1]
_y = [0]


def row(title):
    panels.append({"id": _next_id[0], "type": "row", "title": title, "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": _y[0]}, "panels": []})
    _next_id[0] += 1
    _y[0] += 1


def target(ref_id, expr, legend, event_only=None):
    """event_only: why this query may rightly show nothing in a healthy run. The Prometheus check
    (PrometheusCheckIT) asks every other query for data from a real run; Grafana ignores the key."""
    t = {"datasource": DS, "refId": ref_id, "expr": expr, "legendFormat": legend}
    if event_only:
        t["eventOnly"] = event_only
    return t


def ts(title, targets, unit="short", x=0, w=12, h=8, stack=False, description=""):
    panel = {
        "id": _next_id[0], "type": "timeseries", "title": title, "description": description, "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": x, "y": _y[0]},
        "fieldConfig": {"defaults": {"unit": unit, "custom": {
            "drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
            "stacking": {"mode": "normal" if stack else "none", "group": "A"}}}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["mean", "max", "lastNotNull"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "targets": [target(chr(ord("A") + i), *t) for i, t in enumerate(targets)],
    }
    _next_id[0] += 1
    panels.append(panel)
    if x + w >= 24:
        _y[0] += h


def stat(title, expr, unit="short", x=0, w=6, h=4, thresholds=None):
    steps = [{"color": "green", "value": None}] + [{"color": c, "value": v} for v, c in (thresholds or [])]
    panels.append({
        "id": _next_id[0], "type": "stat", "title": title, "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": x, "y": _y[0]},
        "fieldConfig": {"defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}}, "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "background", "graphMode": "area", "textMode": "auto"},
        "targets": [{"datasource": DS, "refId": "A", "expr": expr}],
    })
    _next_id[0] += 1
    if x + w >= 24:
        _y[0] += h


I = 'instance=~"$instance"'

row("Overview")
stat("Orders ACTIVE (24h)", 'sum(increase(orders_completed_total{outcome="ACTIVE"}[24h]))', x=0)
stat("Orders failed/refunded (24h)", 'sum(increase(orders_completed_total{outcome=~"FAILED.*|REFUNDED"}[24h]))', x=6,
     thresholds=[(1, "orange"), (10, "red")])
stat("Workers up", 'sum(up{job="worker"})', x=12, thresholds=None)
stat("API 5xx ratio (5m)",
     'sum(rate(http_server_requests_seconds_count{job="api",status=~"5.."}[5m])) / sum(rate(http_server_requests_seconds_count{job="api"}[5m]))',
     unit="percentunit", x=18, thresholds=[(0.01, "orange"), (0.05, "red")])

row("HTTP API")
ts("Requests/s by status", [('sum by (status) (rate(http_server_requests_seconds_count{job="api",' + I + '}[$__rate_interval]))', "{{status}}")],
   unit="reqps", x=0, stack=True)
ts("Latency by route (mean) and slowest request", [
    ('sum by (uri) (rate(http_server_requests_seconds_sum{job="api",' + I + ',uri!~".*/ws"}[$__rate_interval])) / sum by (uri) (rate(http_server_requests_seconds_count{job="api",' + I + ',uri!~".*/ws"}[$__rate_interval]))', "mean {{uri}}"),
    # The app publishes no http_server_requests buckets (no histogram): the slowest request of the last minute instead.
    ('max(http_server_requests_seconds_max{job="api",' + I + ',uri!~".*/ws"})', "slowest"),
], unit="s", x=12)
ts("5xx by route", [('sum by (method, uri) (rate(http_server_requests_seconds_count{job="api",status=~"5..",' + I + '}[$__rate_interval]))', "{{method}} {{uri}}")],
   unit="reqps", x=0)
ts("4xx by status", [('sum by (status) (rate(http_server_requests_seconds_count{job="api",status=~"4..",' + I + '}[$__rate_interval]))', "{{status}}")],
   unit="reqps", x=12)

row("Orders and sagas")
ts("Orders completed by outcome", [('sum by (outcome) (increase(orders_completed_total[$__rate_interval]))', "{{outcome}}")],
   x=0, stack=True)
ts("Saga compensations by saga and step", [('sum by (saga, step) (increase(saga_compensations_total[$__rate_interval]))', "{{saga}} / {{step}}")],
   x=12, stack=True)
ts("Order provisioning duration", [
    ('histogram_quantile(0.50, sum by (le) (rate(order_provisioning_duration_seconds_bucket[$__rate_interval])))', "p50"),
    ('histogram_quantile(0.95, sum by (le) (rate(order_provisioning_duration_seconds_bucket[$__rate_interval])))', "p95"),
], unit="s", x=0)
ts("Payment webhooks by result", [('sum by (result) (rate(payment_webhooks_total[$__rate_interval]))', "{{result}}")],
   unit="reqps", x=12, stack=True)

row("Pterodactyl panel")
ts("Panel calls/s by endpoint and status", [('sum by (api, method, endpoint, status) (rate(panel_requests_seconds_count[$__rate_interval]))', "{{status}} {{method}} {{endpoint}}")],
   unit="reqps", x=0, stack=True)
ts("Panel latency by endpoint (mean)", [('sum by (endpoint) (rate(panel_requests_seconds_sum[$__rate_interval])) / sum by (endpoint) (rate(panel_requests_seconds_count[$__rate_interval]))', "{{endpoint}}")],
   unit="s", x=12)
ts("Panel 429 / 5xx", [
    ('sum(rate(panel_requests_seconds_count{status="429"}[$__rate_interval]))', "429"),
    ('sum(rate(panel_requests_seconds_count{status=~"5.."}[$__rate_interval]))', "5xx"),
], unit="reqps", x=0)
ts("Rate-limit refusals: next-retry delay (global limiter and panel 429s)", [
    ('sum(rate(panel_ratelimit_wait_seconds_sum[$__rate_interval])) / sum(rate(panel_ratelimit_wait_seconds_count[$__rate_interval]))', "mean wait"),
    ('sum(rate(panel_ratelimit_wait_seconds_count[$__rate_interval]))', "refusals/s"),
], unit="s", x=12)

row("Temporal workers")
ts("Workflow task schedule-to-start latency by task queue (mean)", [
    ('sum by (task_queue) (rate(temporal_workflow_task_schedule_to_start_latency_seconds_sum[$__rate_interval])) / sum by (task_queue) (rate(temporal_workflow_task_schedule_to_start_latency_seconds_count[$__rate_interval]))', "{{task_queue}}"),
], unit="s", x=0)
ts("Activity schedule-to-start latency by task queue (mean)", [
    ('sum by (task_queue) (rate(temporal_activity_schedule_to_start_latency_seconds_sum[$__rate_interval])) / sum by (task_queue) (rate(temporal_activity_schedule_to_start_latency_seconds_count[$__rate_interval]))', "{{task_queue}}"),
], unit="s", x=12)
ts("Pollers by task queue", [('sum by (task_queue, poller_type) (temporal_num_pollers)', "{{task_queue}} {{poller_type}}")], x=0)
ts("Workflow / activity failures", [
    ('sum by (workflow_type) (increase(temporal_workflow_failed_total[$__rate_interval]))', "wf {{workflow_type}}"),
    ('sum by (activity_type) (increase(temporal_activity_execution_failed_total[$__rate_interval]))', "act {{activity_type}}"),
    ('sum by (activity_type) (increase(temporal_local_activity_execution_failed_total[$__rate_interval]))', "local {{activity_type}}",
     "only once a local activity (a store write, a reservation call) has failed; the SDK creates the series then"),
], x=12)
ts("Workers up by group", [('sum by (queue_group) (up{job="worker"})', "{{queue_group}}"),
                           ('sum(up{job="api"})', "api")], x=0)
ts("Worker starts", [('sum by (task_queue) (increase(temporal_worker_start_total[$__rate_interval]))', "{{task_queue}}")], x=12)

row("Game servers")
ts("Servers over 80% CPU (usage / limit)", [('server_cpu_ratio > 0.8', "{{server_id}}",
                                            "the panel simulator's servers use at most 55% of a core and every plan allows 200% or more")],
   unit="percentunit", x=0)
ts("Servers over 80% memory (usage / limit)", [('server_memory_ratio > 0.8', "{{server_id}}")], unit="percentunit", x=12)

row("JVM")
ts("Heap used", [('sum by (instance) (jvm_memory_used_bytes{area="heap",' + I + '})', "{{instance}}")], unit="bytes", x=0)
ts("CPU", [('process_cpu_usage{' + I + '}', "{{instance}}")], unit="percentunit", x=12)

row("Capacity")
# Gauges reported alike by every API process (computed from the panel, Redis and the store): max, not sum.
ts("Room: servers of each plan that still fit, per node", [
    ('max by (plan, node) (capacity_free_servers)', "{{plan}} @ {{node}}"),
], x=0, description="Panel room minus live reservations, as last computed for GET /api/v1/plans or a checkout")
ts("Reservations held, orders waiting for capacity, sold-out answers", [
    ('max(capacity_reservations_held)', "reservations held"),
    ('max(orders_waiting_for_capacity)', "orders waiting for capacity"),
    ('sum by (plan) (increase(orders_sold_out_total[$__rate_interval]))', "sold out: {{plan}}",
     "only when a checkout finds no room for its plan"),
], x=12, description="Orders waiting for capacity were charged and refused by the panel; POST "
                     "/api/v1/admin/capacity/added wakes them once room is added")

dashboard = {
    "uid": "admintk-orchestrator",
    "title": "Admin-TK Orchestrator",
    "tags": ["admintk", "orchestrator", "temporal"],
    "timezone": "utc",
    "editable": False,
    "graphTooltip": 1,
    "schemaVersion": 39,
    "version": 1,
    "refresh": "30s",
    "time": {"from": "now-6h", "to": "now"},
    "templating": {"list": [
        {"name": "instance", "label": "Instance", "type": "query", "datasource": DS,
         "query": {"query": 'label_values(up{job=~"api|worker"}, instance)', "refId": "instance"},
         "definition": 'label_values(up{job=~"api|worker"}, instance)',
         "includeAll": True, "multi": True, "allValue": ".*", "refresh": 2,
         "current": {"selected": True, "text": ["All"], "value": ["$__all"]}},
    ]},
    "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
                              "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}]},
    "panels": panels,
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards", "orchestrator.json")
text = json.dumps(dashboard, indent=2, sort_keys=False) + "\n"
if "--check" in sys.argv:
    with open(out) as f:
        if f.read() != text:
            sys.exit("deployment/grafana/dashboards/orchestrator.json is out of date: run python3 deployment/grafana/generate-dashboard.py")
else:
    with open(out, "w") as f:
        f.write(text)
