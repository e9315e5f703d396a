#!/usr/bin/env bash
# Sourced by scripts/test.sh (and bench/load/run.sh): starts a throwaway PostgreSQL cluster on a free loopback port unless
# DINGGEN_POSTGRES already names a server, and exports DINGGEN_POSTGRES for the tests. dinggen_pg_stop removes the cluster.
# Run alone to get a server for a shell session: eval "$(bash scripts/postgres.sh --print)" (stop it with the printed command).

dinggen_pg_bin() {
  local dir
  for dir in "${DINGGEN_PG_BIN:-}" /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

dinggen_pg_start() {
  if [ -n "${DINGGEN_POSTGRES:-}" ]; then
    echo "postgres: using DINGGEN_POSTGRES" >&2
    return 0
  fi

  local bin
  if ! bin=$(dinggen_pg_bin); then
    echo "postgres: no PostgreSQL binaries found; installing postgresql-15 (Debian)" >&2
    if [ "$(id -u)" -eq 0 ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15) >&2
    else
      (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15) >&2
    fi
    bin=$(dinggen_pg_bin) || { echo "postgres: could not install PostgreSQL; set DINGGEN_POSTGRES to a server's connection string" >&2; return 1; }
  fi

  DINGGEN_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dinggen-pg.XXXXXX")
  local run=()
  local user
  user=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$DINGGEN_PG_DIR"
    chmod 700 "$DINGGEN_PG_DIR"
    run=(runuser -u postgres --)
    user=postgres
  fi

  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
  "${run[@]}" "$bin/initdb" -D "$DINGGEN_PG_DIR/data" -U "$user" -A trust -E UTF8 --no-locale >"$DINGGEN_PG_DIR/initdb.log" 2>&1 \
    || { cat "$DINGGEN_PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$DINGGEN_PG_DIR/data" -l "$DINGGEN_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$DINGGEN_PG_DIR -c max_connections=400 -c fsync=on" start >/dev/null \
    || { cat "$DINGGEN_PG_DIR/server.log" >&2; return 1; }
  "${run[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qAt -c "CREATE DATABASE dinggen_test" >/dev/null \
    || { echo "postgres: could not create the test database" >&2; return 1; }
  DINGGEN_PG_CTL=("${run[@]}" "$bin/pg_ctl")
  export DINGGEN_POSTGRES="Host=127.0.0.1;Port=$port;Username=$user;Database=dinggen_test"
  echo "postgres: throwaway cluster on 127.0.0.1:$port ($DINGGEN_PG_DIR)" >&2
}

dinggen_pg_stop() {
  if [ -n "${DINGGEN_PG_DIR:-}" ] && [ -d "$DINGGEN_PG_DIR" ]; then
    "${DINGGEN_PG_CTL[@]}" -D "$DINGGEN_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DINGGEN_PG_DIR"
    DINGGEN_PG_DIR=
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = "--print" ]; then
  unset DINGGEN_POSTGRES
  dinggen_pg_start || exit 1
  echo "export DINGGEN_POSTGRES='$DINGGEN_POSTGRES'"
  echo "# stop: ${DINGGEN_PG_CTL[*]} -D $DINGGEN_PG_DIR/data -m immediate stop && rm -rf $DINGGEN_PG_DIR"
fi
