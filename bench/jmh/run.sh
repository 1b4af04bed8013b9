#!/usr/bin/env bash
# In-process routing benchmark (JMH): the DRL rule set against a hand-written Java baseline.
# Extra arguments go to JMH, e.g.:  bench/jmh/run.sh -p candidates=100 -p kind=chat
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B install -DskipTests
mvn -q -B -f bench/jmh/pom.xml clean package # clean: the shade step otherwise keeps stale classes of the service
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar bench/jmh/target/benchmarks.jar RoutingBenchmark \
  -jvmArgs "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Drules=$(pwd)/rules" "$@"
