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
# Offline checks of the production deployment files (compose, k8s, nginx, Prometheus, Grafana); see deployment/README.md.
deployment/check.sh
