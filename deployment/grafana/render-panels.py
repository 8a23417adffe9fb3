#!/usr/bin/env python3
"""Draws the dashboard's main panels as PNG plots from a Prometheus check run (Grafana cannot run here).

PrometheusCheckIT writes the range-query data of every panel query to app/target/prometheus-check/dashboard-data.json;
this script draws the panels listed in MAIN from it, with the run's phases shaded, into docs/dashboard/:

    ./mvnw -B -pl app -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \\
        -Dit.test=PrometheusCheckIT -Dfailsafe.failIfNoSpecifiedTests=false
    /usr/bin/python3 deployment/grafana/render-panels.py   # needs python3-matplotlib (apt)

Plotting is not part of the check: ./test.sh never runs this.
"""
import json
import math
import os
import re
import sys
from datetime import datetime, timezone

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA = os.path.join(ROOT, "app", "target", "prometheus-check", "dashboard-data.json")
OUT = os.path.join(ROOT, "docs", "dashboard")

# (file name, panel title): the panels an operator looks at first.
MAIN = [
    ("http-requests", "Requests/s by status"),
    ("orders-by-outcome", "Orders completed by outcome"),
    ("saga-compensations", "Saga compensations by saga and step"),
    ("provisioning-duration", "Order provisioning duration"),
    ("panel-errors", "Panel 429 / 5xx"),
    ("panel-calls", "Panel calls/s by endpoint and status"),
    ("workflow-schedule-to-start", "Workflow task schedule-to-start latency by task queue (mean)"),
    ("activity-schedule-to-start", "Activity schedule-to-start latency by task queue (mean)"),
    ("failures", "Workflow / activity failures"),
    ("payment-webhooks", "Payment webhooks by result"),
    ("servers-memory", "Servers over 80% memory (usage / limit)"),
    ("pollers", "Pollers by task queue"),
]
PHASE_COLORS = {"planted saga failure": "#f4a261", "panel outage": "#e76f51"}


def legend(fmt, labels):
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt or "")
    return text.strip() or "{" + ", ".join(f'{k}="{v}"' for k, v in labels.items() if k != "__name__") + "}"


def formatter(unit):
    def fmt(v, _pos):
        if unit == "percentunit":
            return f"{v * 100:.0f}%"
        if unit == "s":
            return f"{v * 1000:.0f} ms" if abs(v) < 1 and v != 0 else f"{v:g} s"
        if unit == "bytes":
            return f"{v / 2**20:.0f} MiB"
        if unit == "reqps":
            return f"{v:g}/s"
        return f"{v:g}"
    return FuncFormatter(fmt)


def main():
    data_file = sys.argv[1] if len(sys.argv) > 1 else DATA
    out_dir = sys.argv[2] if len(sys.argv) > 2 else OUT
    run = json.load(open(data_file))
    start = datetime.fromisoformat(run["from"].replace("Z", "+00:00")).timestamp()
    os.makedirs(out_dir, exist_ok=True)
    by_title = {}
    for query in run["panels"]:
        by_title.setdefault(query["panel"], []).append(query)
    missing = [title for _, title in MAIN if title not in by_title]
    if missing:
        sys.exit(f"panels not in the dashboard data: {missing}")
    for name, title in MAIN:
        fig, ax = plt.subplots(figsize=(9, 3.6), dpi=100)
        for label, (t0, t1) in run.get("phases", {}).items():
            ax.axvspan(t0 - start, t1 - start, color=PHASE_COLORS.get(label, "#dddddd"), alpha=0.18, lw=0)
            ax.text((t0 + t1) / 2 - start, 1.0, label, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                    fontsize=7, color="#7a3b1d")
        unit = by_title[title][0]["unit"]
        lines = 0
        for query in by_title[title]:
            for series in query["result"]:
                xs, ys = [], []
                for ts, value in series["values"]:
                    v = float(value)
                    xs.append(float(ts) - start)
                    ys.append(v if math.isfinite(v) else float("nan"))
                ax.plot(xs, ys, lw=1.3, label=legend(query["legend"], series["metric"]))
                lines += 1
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_xlabel("seconds into the check run", fontsize=8)
        ax.yaxis.set_major_formatter(formatter(unit))
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, datetime.fromisoformat(run["to"].replace("Z", "+00:00")).timestamp() - start)
        if lines:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                      ncol=1 if lines <= 14 else 2)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, name + ".png"))
        plt.close(fig)
        print(f"{name}.png  {title} ({lines} series)")
    stamp = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"run of {stamp}; alerts firing at its end: {', '.join(run.get('firing', []))}")


if __name__ == "__main__":
    main()
