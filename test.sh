#!/usr/bin/env bash
# The README's test command: builds every module and runs every test (unit, workflow, end-to-end against the
# embedded stack and the panel simulator, the dashboard and alerts on a real Prometheus). Needs Java 17 and, for the
# deployment checks, a few Debian packages that check.sh installs with apt when run as root; the Maven wrapper
# fetches Maven 3.9.11.
set -euo pipefail
cd "$(dirname "$0")"
# Debian's prometheus, which PrometheusCheckIT runs against the local stack (installed with apt when root).
deployment/check.sh --install-tools
./mvnw -B verify "$@"
# The short soak-and-chaos run (issue 14, README "Reliability: soak and chaos"): 5 minutes of mixed load over 2 api and
# 2 worker processes with kills, Redis/MongoDB restarts and panel faults, then the invariant checker. Any violation or
# an invalid run fails the command; the hard limit keeps a hung run inside CI's budget.
SOAK_NO_BUILD=1 timeout --kill-after=30s 25m reliability/run.sh --duration PT5M --settle PT12M --out reliability/target/soak.json
# Offline checks of the production deployment files (compose, k8s, nginx, Prometheus, Grafana); see deployment/README.md.
deployment/check.sh
