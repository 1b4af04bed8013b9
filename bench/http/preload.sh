#!/usr/bin/env bash
# Bulk-loads N closed conversations (preload.sql) into a stopped service's embedded database.
#   bench/http/preload.sh JAR DATA_DIR N
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=$1 DATA=$2 N=$3
t0=$(date +%s)
sed "s/\${N}/$N/" bench/http/preload.sql > "$DATA/preload.sql"
java -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$DATA/router;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
  -script "$DATA/preload.sql"
echo "preloaded $N stored conversations into $DATA in $(( $(date +%s) - t0 )) s"
