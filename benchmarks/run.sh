#!/usr/bin/env bash
# One command for every benchmark scenario (see BENCHMARKS.md): builds what it needs, runs the harness, and writes
# benchmarks/results/latest.json, latest.md and the charts. Exits non-zero when a scenario's run was invalid.
# Options: BENCH_SCALE (default 1.0; e.g. 0.2 for a quick check of the harness), MVN_OFFLINE=-o to build offline,
# BENCH_ONLY (scenario numbers, e.g. "6": run those only; the others' figures are kept from the previous latest.json).
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q ${MVN_OFFLINE:-} -Pbenchmarks -pl benchmarks -am compile \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
deps="$(cat benchmarks/target/classpath.txt)"
# The app's processes: its dependencies without the harness (whose bare Micronaut app would become one of its beans).
app_cp="$deps"
# The bare baseline: the same dependencies without the orchestrator's own modules, plus the harness classes.
bare_cp="$(tr ':' '\n' <<<"$deps" | grep -v -E '/(app|workflows|activities|localstack)/target/classes$|orchestrator-(app|workflows|activities)-' | paste -sd: -)"
bare_cp="benchmarks/target/classes:$bare_cp"

exec java -Xmx2g -Xlog:gc:file=benchmarks/target/gc-harness.log:utctime -Djava.awt.headless=true \
  -Dbench.appClasspath="$app_cp" -Dbench.bareClasspath="$bare_cp" -Dbench.scale="${BENCH_SCALE:-1.0}" -Dbench.only="${BENCH_ONLY:-}" \
  -cp "benchmarks/target/classes:$deps" com.admintk.orchestrator.benchmarks.Harness
