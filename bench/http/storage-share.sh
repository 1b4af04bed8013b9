#!/usr/bin/env bash
# What the durable write costs of HTTP routing: runs load.sh once per kind of storage on a throw-away
# build of the checkout's HEAD commit (uncommitted changes are left out) with storage-share.patch
# applied (a bench-only switch in the group-commit writer, never in the product):
#   database   the product as it is: the rows committed in H2, then the journal record forced to disk
#   journal    the journal record forced to disk (group commit, fdatasync), no rows written
#   queue      through the writer's and the journal's threads and answered from there, nothing written
#   none       every write answered at once on the request's thread, nothing stored
#   coalesced  the product without the closes' status updates: the most that folding a close into its
#              conversation's insert (a write-behind store) could save; not in the default list
#   nodecision the product without the decisions' rows; not in the default list either
# STORAGES ["database journal queue none"] picks them. Each run prints its own ratio against the
# trivial endpoint measured in the same run, so the ratios compare even if the machine's speed
# changes between runs. WARMUP [60] and ROUNDS [3] are passed to load.sh (with its other knobs);
# expect about 3 minutes per kind. If the patch no longer applies (GroupCommitWriter changed), make
# the same edits again and save them with git diff.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(mktemp -d /tmp/router-storage-share.XXXXXX)
cleanup() { git worktree remove --force "$BUILD" 2>/dev/null || { rm -rf "$BUILD"; git worktree prune; }; }
trap cleanup EXIT
git worktree add --detach --force "$BUILD" HEAD > /dev/null
git -C "$BUILD" apply "$PWD/bench/http/storage-share.patch"
(cd "$BUILD" && mvn -q -B package -DskipTests)
export WARMUP=${WARMUP:-60} ROUNDS=${ROUNDS:-3}
for storage in ${STORAGES:-database journal queue none}; do
  echo "== storage: $storage"
  JAVA_OPTS="${JAVA_OPTS:-} -Dbench.storage=$storage" "$BUILD/bench/http/load.sh" | grep -E '^(ratio|round .* routing)'
done
