#!/usr/bin/env bash
# Starts the whole system on the embedded local stack (see README): Temporal test server, MongoDB
# (mongo-java-server, data under ./data), Redis, the panel simulator and the app in role dev.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -B -q -DskipTests package
exec java -jar deployment/localstack/target/localstack.jar
