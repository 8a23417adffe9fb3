#!/usr/bin/env bash
# The README's test command: builds every module and runs every test (unit, workflow, end-to-end against the
# embedded stack and the panel simulator). Needs only Java 17; the Maven wrapper fetches Maven 3.9.11.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B verify "$@"
# Offline checks of the production deployment files (compose, k8s, nginx, Prometheus, Grafana); see deployment/README.md.
deployment/check.sh
