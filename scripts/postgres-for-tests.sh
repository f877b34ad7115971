#!/usr/bin/env bash
# Run a command (the test suite) with a private PostgreSQL server for the case-store tests.
#
#   scripts/postgres-for-tests.sh .venv/bin/python -m pytest
#
# When PostgreSQL can be had, the script starts a throw-away cluster in a temporary folder,
# listening on 127.0.0.1 only, on a free port, with a random password; creates the database
# "balancedue_test"; exports BALANCEDUE_TEST_POSTGRES_URL for the command; and stops the server
# and deletes the folder when the command ends, whatever its outcome.
#
# PostgreSQL is installed from Debian's packages when it is missing and the script runs as root
# on a system with apt-get (a one-time cost; later runs find it installed).  Otherwise the
# command still runs, with BALANCEDUE_TEST_POSTGRES_UNAVAILABLE saying why: the PostgreSQL tests
# then report "not run" - and fail when CI=true.
#
# The command's exit code is the script's exit code.
set -uo pipefail

note() { echo "postgres-for-tests: $*" >&2; }

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

PG_BIN=""
find_postgres() {
  local dir
  PG_BIN=""
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then PG_BIN="$dir"; fi
  done
  if [ -z "$PG_BIN" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    PG_BIN="$(dirname "$(command -v initdb)")"
  fi
  [ -n "$PG_BIN" ]
}

UNAVAILABLE=""
install_postgres() {
  if [ "$(id -u)" != "0" ]; then
    UNAVAILABLE="PostgreSQL is not installed, and installing it needs root"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    UNAVAILABLE="PostgreSQL is not installed, and this system has no apt-get (not Debian)"
    return 1
  fi
  note "installing postgresql from Debian's packages (one time)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; then
    UNAVAILABLE="apt-get could not install postgresql"
    return 1
  fi
}

PG_DIR=""
PG_AS=()
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$PG_DIR" ]; then rm -rf "$PG_DIR"; fi
}

start_postgres() {
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/balancedue-pg.XXXXXX")"
  if [ "$(id -u)" = "0" ]; then
    if ! id postgres >/dev/null 2>&1; then
      UNAVAILABLE="running as root but there is no 'postgres' user to run the server"
      return 1
    fi
    chown postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  else
    PG_AS=(env)
  fi
  local port password
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  (umask 077; printf '%s\n' "$password" >"$PG_DIR/password")
  if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DIR/password"; fi
  if ! "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U balancedue --pwfile="$PG_DIR/password" \
      -A scram-sha-256 -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    UNAVAILABLE="initdb failed: $(tail -n 1 "$PG_DIR/initdb.log")"
    return 1
  fi
  # A test server: durability off (fsync), loopback only, socket in the private folder.
  if ! "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
    UNAVAILABLE="the server did not start: $(tail -n 1 "$PG_DIR/server.log" 2>/dev/null)"
    return 1
  fi
  if ! PGPASSWORD="$password" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U balancedue balancedue_test; then
    UNAVAILABLE="createdb failed"
    return 1
  fi
  export BALANCEDUE_TEST_POSTGRES_URL="postgresql://balancedue:${password}@127.0.0.1:${port}/balancedue_test"
  note "PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port for this run"
}

trap stop_postgres EXIT
trap 'exit 130' INT TERM

if find_postgres || { install_postgres && find_postgres; }; then
  if ! start_postgres; then
    stop_postgres
    PG_DIR=""
  fi
elif [ -z "$UNAVAILABLE" ]; then
  UNAVAILABLE="PostgreSQL was installed but its programs were not found"
fi

if [ -n "$UNAVAILABLE" ]; then
  note "PostgreSQL tests will not run: $UNAVAILABLE"
  export BALANCEDUE_TEST_POSTGRES_UNAVAILABLE="$UNAVAILABLE"
  unset BALANCEDUE_TEST_POSTGRES_URL
fi

"$@"
exit $?
