#!/usr/bin/env bash
# JMH benchmarks of route lookup (the index vs the linear scan it replaced, at 10, 1,000 and 10,000
# routes) and of compiling a route table. See bench/README.md.
#
#   bench/route-lookup.sh                                  # JMH's defaults (long)
#   bench/route-lookup.sh -f 1 -wi 3 -i 5 -w 1s -r 1s      # a short run
#   bench/route-lookup.sh -f 1 -wi 3 -i 5 RouteLookup      # only the lookup benchmark
#
# Arguments go to org.openjdk.jmh.Main as they are. MVN_OPTS_EXTRA (e.g. -o) is added to the build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET=gateway-node/target
CLASSPATH_FILE=$TARGET/bench-classpath.txt

printf '==> compiling the benchmarks (mvn -Pbench test-compile)\n' >&2
# shellcheck disable=SC2086 # MVN_OPTS_EXTRA is a list of options
mvn -B -q ${MVN_OPTS_EXTRA:-} -Pbench -pl gateway-node test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CLASSPATH_FILE" >&2

CP=$TARGET/bench-classes:$TARGET/test-classes:$TARGET/classes:$(cat "$CLASSPATH_FILE")
exec java -cp "$CP" org.openjdk.jmh.Main "$@"
