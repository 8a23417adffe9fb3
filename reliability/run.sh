#!/usr/bin/env bash
# The soak-and-chaos run of issue 14 (README "Reliability: soak and chaos"): the local stack in this JVM, 2 api and 2
# worker processes of the app jar under a mixed load, with worker/api SIGKILLs, Redis and MongoDB restarts, panel
# outages and random panel faults; then the invariant checker. Prints a table, writes JSON (--out, default
# reliability/target/soak.json), exits 1 on a violation and 2 when the run was invalid.
# Options: --duration PT5M --settle PT8M --rates checkout=0.35,card=0.12,… --faults 0.15 --out file.
# Builds what it needs unless SOAK_NO_BUILD=1 and the jars are there (test.sh builds them first). MVN_OFFLINE=-o builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SOAK_NO_BUILD:-0}" != 1 ] || [ ! -f app/target/orchestrator.jar ]; then
  ./mvnw -B -q ${MVN_OFFLINE:-} -pl app -am package -DskipTests
fi
./mvnw -B -q ${MVN_OFFLINE:-} -pl reliability -am compile \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
deps="$(cat reliability/target/classpath.txt)"

exec java -Xmx1g -XX:TieredStopAtLevel=1 -cp "reliability/target/classes:$deps" \
  com.admintk.orchestrator.reliability.Soak --app-jar app/target/orchestrator.jar "$@"
