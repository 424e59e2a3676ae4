#!/usr/bin/env bash
# Runs every benchmark (docs/benchmarks.md says what and how) and writes docs/benchmarks.md and
# docs/benchmarks/*.json. Started by the Maven profile:
#
#   ./mvnw -Pbench -DskipTests -pl integration-tests -am verify [-Dbench.args=quick]
#
# which compiles the benchmarks and passes, in the environment, the Java to use (BENCH_JAVA), the class path
# (BENCH_CLASSPATH + the file BENCH_CLASSPATH_FILE) and where to write (BENCH_DOCS, BENCH_WORK). Arguments go
# to BenchSuite: quick (tiny counts, to check the machinery), only=jmh,heap,http (any of them),
# report-only (rewrite the Markdown from the JSON already there).
set -euo pipefail

: "${BENCH_JAVA:?run through Maven: ./mvnw -Pbench -DskipTests -pl integration-tests -am verify}"
: "${BENCH_CLASSPATH:?}" "${BENCH_CLASSPATH_FILE:?}" "${BENCH_DOCS:?}" "${BENCH_WORK:?}"

# wrk from Debian's packages, for the HTTP runs (root is assumed, as on the project's machines)
if ! command -v wrk >/dev/null 2>&1; then
  echo "run-benchmarks: installing wrk (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
fi
command -v taskset >/dev/null || { echo "run-benchmarks: taskset (util-linux) is missing" >&2; exit 1; }
if [ "$(nproc)" -lt 2 ]; then
  echo "run-benchmarks: needs 2 cores (server and load generator are pinned to cores 0 and 1)" >&2
  exit 1
fi

# Timings on a shared machine: say so, the report records it too
others=$(ps aux | grep -E 'jboss-modules|glassfish|payara|surefire|failsafe' | grep -v -e grep -e com.nimbusos.auth.bench -e org.openjdk.jmh.runner.ForkedMain || true)
if [ -n "$others" ]; then
  echo "run-benchmarks: WARNING: other heavy Java processes are running; timings will be disturbed:"
  echo "$others" | cut -c1-160
fi

mkdir -p "$BENCH_WORK" "$BENCH_DOCS/benchmarks"
exec "$BENCH_JAVA" -Xms512m -Xmx1g \
  -cp "$BENCH_CLASSPATH:$(cat "$BENCH_CLASSPATH_FILE")" \
  com.nimbusos.auth.bench.BenchSuite --docs "$BENCH_DOCS" --work "$BENCH_WORK" "$@"
