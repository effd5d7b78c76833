#!/usr/bin/env bash
# The fault suite's own RabbitMQ node, redis-server and PostgreSQL, so that restarting them disturbs no other test.
# usage: chaos-infra.sh rabbit-start|rabbit-stop|redis-start|redis-stop|postgres-start|postgres-stop
# Each run brings its own ports, node name and folder (CHAOS_* variables set by ChaosStack), so two runs
# on one machine, or a run beside ./bb up, never meet.
set -euo pipefail
action="$1"
: "${CHAOS_DIR:?}" "${CHAOS_NODE:?}" "${CHAOS_RABBIT_PORT:?}" "${CHAOS_RABBIT_UI_PORT:?}" "${CHAOS_RABBIT_DIST_PORT:?}" "${CHAOS_REDIS_PORT:?}"
: "${CHAOS_POSTGRES_PORT:?}"
dir="$CHAOS_DIR"
rabbit_lib=/usr/lib/rabbitmq/bin
postgres_bin=/usr/lib/postgresql/15/bin
mkdir -p "$dir/rabbitmq/mnesia" "$dir/rabbitmq/log" "$dir/redis" "$dir/logs"

rabbit_env() {
  export HOME="$dir/rabbitmq"
  export RABBITMQ_NODENAME="$CHAOS_NODE"
  export RABBITMQ_NODE_PORT="$CHAOS_RABBIT_PORT"
  export RABBITMQ_DIST_PORT="$CHAOS_RABBIT_DIST_PORT"
  export RABBITMQ_MNESIA_BASE="$dir/rabbitmq/mnesia"
  export RABBITMQ_LOG_BASE="$dir/rabbitmq/log"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/rabbitmq/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq/rabbitmq.conf"
}
# initdb and the server refuse root: they run as the postgres user, in a folder it owns.
pg_ctl_chaos() { runuser -u postgres -- "$postgres_bin/pg_ctl" -D "$dir/postgres" "$@"; }
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" >/dev/null 2>&1; }

case "$action" in
  rabbit-start)
    port_open "$CHAOS_RABBIT_PORT" && exit 0
    rabbit_env
    printf 'listeners.tcp.default = %s\nmanagement.tcp.port = %s\nloopback_users = none\n' \
      "$CHAOS_RABBIT_PORT" "$CHAOS_RABBIT_UI_PORT" >"$RABBITMQ_CONFIG_FILE"
    if [[ ! -f "$HOME/.erlang.cookie" ]]; then
      head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"
    fi
    grep -q rabbitmq_management "$RABBITMQ_ENABLED_PLUGINS_FILE" 2>/dev/null ||
      "$rabbit_lib/rabbitmq-plugins" enable --offline rabbitmq_management >>"$dir/logs/rabbitmq.out" 2>&1
    (cd "$HOME"; setsid "$rabbit_lib/rabbitmq-server" >>"$dir/logs/rabbitmq.out" 2>&1 </dev/null &)
    for _ in $(seq 1 240); do port_open "$CHAOS_RABBIT_PORT" && port_open "$CHAOS_RABBIT_UI_PORT" && exit 0; sleep 0.5; done
    tail -n 30 "$dir/logs/rabbitmq.out" >&2; exit 1 ;;
  rabbit-stop)
    rabbit_env
    # SIGTERM stops the node gracefully at once; rabbitmqctl first boots an Erlang VM, seconds on a busy machine,
    # long enough for a batch to finish before the "mid-batch" fault.
    pid="$(cat "$RABBITMQ_PID_FILE" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; then
      for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.5; done
      exit 1
    fi
    "$rabbit_lib/rabbitmqctl" stop >/dev/null 2>&1 || true
    for _ in $(seq 1 60); do port_open "$CHAOS_RABBIT_PORT" || exit 0; sleep 0.5; done
    exit 1 ;;
  redis-start)
    redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 && exit 0
    redis-server --port "$CHAOS_REDIS_PORT" --bind 127.0.0.1 --appendonly yes --appendfsync everysec --save "" \
      --auto-aof-rewrite-percentage 400 --auto-aof-rewrite-min-size 256mb --dir "$dir/redis" \
      --maxmemory 512mb --maxmemory-policy allkeys-lru \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/logs/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 && exit 0; sleep 0.2; done
    exit 1 ;;
  redis-stop)
    redis-cli -p "$CHAOS_REDIS_PORT" shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do redis-cli -p "$CHAOS_REDIS_PORT" ping >/dev/null 2>&1 || exit 0; sleep 0.2; done
    exit 1 ;;
  postgres-start)
    port_open "$CHAOS_POSTGRES_PORT" && exit 0
    if [[ ! -f "$dir/postgres/PG_VERSION" ]]; then
      mkdir -p "$dir/postgres"; chown postgres: "$dir/postgres"; chmod 700 "$dir/postgres"
      runuser -u postgres -- "$postgres_bin/initdb" -D "$dir/postgres" -A trust -U postgres >>"$dir/logs/postgres.out" 2>&1 \
        || { tail -n 20 "$dir/logs/postgres.out" >&2; exit 1; }
    fi
    touch "$dir/logs/postgres.log"; chown postgres: "$dir/logs/postgres.log"
    pg_ctl_chaos -o "-p $CHAOS_POSTGRES_PORT -k $dir/postgres -c listen_addresses=127.0.0.1" -l "$dir/logs/postgres.log" -w -t 60 start \
      >>"$dir/logs/postgres.out" 2>&1 || { tail -n 20 "$dir/logs/postgres.log" >&2; exit 1; }
    exit 0 ;;
  postgres-stop)
    [[ -f "$dir/postgres/postmaster.pid" ]] || exit 0
    pg_ctl_chaos -m fast -w -t 60 stop >>"$dir/logs/postgres.out" 2>&1 || { tail -n 20 "$dir/logs/postgres.log" >&2; exit 1; }
    exit 0 ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
