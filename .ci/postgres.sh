#!/usr/bin/env bash
# Installs Debian's PostgreSQL, starts a cluster and creates a role and a database for quid's
# PostgreSQL storage tests. Prints the connection URL (and only it) on standard output; every
# other message goes to standard error. CI calls it as:
#
#   export QUID_TEST_POSTGRES="$(bash .ci/postgres.sh)"
#   cargo test -p quid-server        # the storage tests then run on SQLite and PostgreSQL
#
# Idempotent: an installed package, a running cluster, an existing role or database are kept.
set -euo pipefail

QUID_PG_USER="${QUID_PG_USER:-quid}"
QUID_PG_PASSWORD="${QUID_PG_PASSWORD:-quid-test}"
QUID_PG_DB="${QUID_PG_DB:-quid_test}"

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

ver="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^${ver} main$"; then
    pg_createcluster "$ver" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
    pg_ctlcluster "$ver" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')"

# Wait for the server to accept connections (at most 30 s).
for _ in $(seq 1 30); do
    if su postgres -c "psql -p $port -qAtc 'SELECT 1'" >/dev/null 2>&1; then break; fi
    sleep 1
done

psql_su() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qAt $*"; }
if [ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$QUID_PG_USER'\"")" != "1" ]; then
    psql_su "-c \"CREATE ROLE $QUID_PG_USER LOGIN PASSWORD '$QUID_PG_PASSWORD'\"" >&2
fi
if [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname = '$QUID_PG_DB'\"")" != "1" ]; then
    psql_su "-c \"CREATE DATABASE $QUID_PG_DB OWNER $QUID_PG_USER\"" >&2
fi

echo "postgres://${QUID_PG_USER}:${QUID_PG_PASSWORD}@127.0.0.1:${port}/${QUID_PG_DB}"
