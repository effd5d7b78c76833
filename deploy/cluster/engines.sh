#!/usr/bin/env bash
# The clustered engines of `./bb up --cluster`, on this one machine, beside the single-node RabbitMQ and Redis:
#   RabbitMQ  rabbit1..3@localhost, AMQP 5701-5703, management 15701-15703, Erlang distribution 25701-25703, one cookie;
#             virtual host 'bb' created with --default-queue-type quorum (every durable queue the services declare is
#             a quorum queue, senders and receivers alike), one user per service (deploy/rabbitmq/permissions).
#   Redis     a Redis Cluster of 6 nodes, 3 masters + 3 replicas, ports 7000-7005, AOF on, cluster-node-timeout 2000.
# State under $BB_DATA/cluster (default .data/cluster). Every command is idempotent. The fault suite can drive one node
# at a time with the node commands below.
#
#   usage: deploy/cluster/engines.sh up | down | status | addresses
#          deploy/cluster/engines.sh rabbit-start N | rabbit-stop N | rabbit-kill N      (N = 1..3)
#          deploy/cluster/engines.sh redis-start PORT | redis-kill PORT                    (PORT = 7000..7005)
# Ports: BB_CLUSTER_RABBITMQ_PORT (first AMQP port, 5701), BB_CLUSTER_REDIS_PORT (first Redis port, 7000); node names
# BB_CLUSTER_RABBITMQ_NAME (rabbit: rabbit1..3@localhost), distinct for a second cluster, since epmd refuses a name twice.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${BB_DATA:-$ROOT/.data}"
CLUSTER="$DATA/cluster"
RUN="$CLUSTER/run"
LOGS="$CLUSTER/logs"
RABBIT_HOME="$CLUSTER/rabbitmq"
RABBIT_LIB=/usr/lib/rabbitmq/bin
RABBIT_BASE="${BB_CLUSTER_RABBITMQ_PORT:-5701}"
REDIS_BASE="${BB_CLUSTER_REDIS_PORT:-7000}"
RABBIT_NAME="${BB_CLUSTER_RABBITMQ_NAME:-rabbit}"
VHOST="${BB_CLUSTER_VHOST:-bb}"
# The services' development passwords, as ./bb sets them (it exports the same defaults).
export RABBITMQ_API_PASSWORD="${RABBITMQ_API_PASSWORD:-bb-dev-api}"
export RABBITMQ_ORCHESTRATOR_PASSWORD="${RABBITMQ_ORCHESTRATOR_PASSWORD:-bb-dev-orchestrator}"
export RABBITMQ_AGENTS_PASSWORD="${RABBITMQ_AGENTS_PASSWORD:-bb-dev-agents}"
RABBIT_NODES=(1 2 3)
REDIS_PORTS=($(seq "$REDIS_BASE" $((REDIS_BASE + 5))))

log()  { printf 'bb: cluster: %s\n' "$*"; }
die()  { printf 'bb: cluster: error: %s\n' "$*" >&2; exit 1; }
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" >/dev/null 2>&1; }
pid_of() { local f="$RUN/$1.pid"; [[ -f "$f" ]] && kill -0 "$(tr -dc '0-9' <"$f")" 2>/dev/null && tr -dc '0-9' <"$f"; }

rabbit_port() { echo $((RABBIT_BASE + $1 - 1)); }
rabbit_name() { echo "$RABBIT_NAME$1@localhost"; }

# -------------------------------------------------------------------- RabbitMQ ---

# A node's environment, as bb's single node but everything per node; one HOME, so one Erlang cookie for all three
# nodes and for rabbitmqctl.
rabbit_env() {
  local n="$1" port; port="$(rabbit_port "$n")"
  export HOME="$RABBIT_HOME"
  export RABBITMQ_NODENAME; RABBITMQ_NODENAME="$(rabbit_name "$n")"
  export RABBITMQ_MNESIA_BASE="$RABBIT_HOME/rabbit$n/mnesia"
  export RABBITMQ_LOG_BASE="$RABBIT_HOME/rabbit$n/log"
  export RABBITMQ_PID_FILE="$RUN/rabbit$n.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_HOME/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$RABBIT_HOME/rabbit$n/rabbitmq.conf"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT=$((port + 20000))
}
ctl() { (rabbit_env 1; "$RABBIT_LIB/rabbitmqctl" -n "$(rabbit_name 1)" "$@"); }

rabbit_start() {
  local n="$1" port; port="$(rabbit_port "$n")"
  if pid_of "rabbit$n" >/dev/null && port_open "$port"; then log "rabbit$n: already running"; return 0; fi
  port_open "$port" && die "port $port is taken by a process this script did not start"
  mkdir -p "$RABBIT_HOME/rabbit$n/mnesia" "$RABBIT_HOME/rabbit$n/log" "$RUN" "$LOGS"
  {
    echo "# Written by deploy/cluster/engines.sh on every start."
    echo "listeners.tcp.default = 127.0.0.1:$port"
    echo "management.tcp.ip = 127.0.0.1"
    echo "management.tcp.port = $((port + 10000))"
    echo "distribution.listener.interface = 127.0.0.1"
    cat "$ROOT/deploy/rabbitmq/rabbitmq.conf"
  } >"$RABBIT_HOME/rabbit$n/rabbitmq.conf"
  log "rabbit$n: starting (amqp :$port, log .data/cluster/logs/rabbit$n.out)"
  (rabbit_env "$n"; cd "$RABBIT_HOME"; setsid "$RABBIT_LIB/rabbitmq-server" >>"$LOGS/rabbit$n.out" 2>&1 </dev/null &)
}

rabbit_wait() {
  local n="$1" deadline=$((SECONDS + 120))
  until port_open "$(rabbit_port "$n")"; do
    ((SECONDS < deadline)) || { tail -n 30 "$LOGS/rabbit$n.out" >&2; die "rabbit$n did not open :$(rabbit_port "$n") within 120 s"; }
    sleep 1
  done
  (rabbit_env "$n"; "$RABBIT_LIB/rabbitmqctl" -n "$(rabbit_name "$n")" -q await_startup --timeout 120 >/dev/null)
}

# Joins node N to rabbit1 unless it already belongs to the cluster (a restarted node rejoins by itself).
rabbit_join() {
  local n="$1" name; name="$(rabbit_name "$n")"
  ctl -q cluster_status --formatter json 2>/dev/null | grep -q "\"$name\"" && return 0
  log "rabbit$n: joining $(rabbit_name 1)"
  (rabbit_env "$n"
   "$RABBIT_LIB/rabbitmqctl" -n "$name" -q stop_app
   "$RABBIT_LIB/rabbitmqctl" -n "$name" -q join_cluster "$(rabbit_name 1)"
   "$RABBIT_LIB/rabbitmqctl" -n "$name" -q start_app) >>"$LOGS/rabbit$n.out" 2>&1 || die "rabbit$n could not join the cluster"
}

rabbit_up() {
  [[ -x "$RABBIT_LIB/rabbitmq-server" ]] || die "rabbitmq-server is not installed (./bb infra installs it)"
  mkdir -p "$RABBIT_HOME" "$RUN" "$LOGS"
  if [[ ! -f "$RABBIT_HOME/.erlang.cookie" ]]; then
    head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$RABBIT_HOME/.erlang.cookie"
    chmod 400 "$RABBIT_HOME/.erlang.cookie"
  fi
  grep -q rabbitmq_management "$RABBIT_HOME/enabled_plugins" 2>/dev/null \
    || (rabbit_env 1; "$RABBIT_LIB/rabbitmq-plugins" enable --offline rabbitmq_management >>"$LOGS/rabbit1.out" 2>&1)
  # Restarts one after the other: two nodes of 3.10.8 restarting together crashed syncing feature flags (incompatible_feature_flags,
  # badmap). 'down' stops rabbit1 last, and the node stopped last is the one that boots without waiting for the others.
  # New nodes know nothing of each other until they join: they boot together, which halves a first 'up'.
  local n fresh=1
  for n in "${RABBIT_NODES[@]}"; do [[ -d "$RABBIT_HOME/rabbit$n/mnesia/$(rabbit_name "$n")" ]] && fresh=0; done
  if ((fresh)); then
    for n in "${RABBIT_NODES[@]}"; do rabbit_start "$n"; done
    for n in "${RABBIT_NODES[@]}"; do rabbit_wait "$n"; done
  else
    for n in "${RABBIT_NODES[@]}"; do rabbit_start "$n"; rabbit_wait "$n"; done
  fi
  for n in "${RABBIT_NODES[@]:1}"; do rabbit_join "$n"; done
  ctl -q list_vhosts name | grep -qx "$VHOST" || ctl -q add_vhost "$VHOST" --default-queue-type quorum
  ctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*'
  (rabbit_env 1; "$ROOT/deploy/rabbitmq/rabbitmq-users.sh" "$VHOST" "$RABBIT_LIB/rabbitmqctl" -n "$(rabbit_name 1)") \
    >>"$LOGS/rabbit1.out" 2>&1 || die "could not set up the services' users (see .data/cluster/logs/rabbit1.out)"
  log "rabbitmq: $(ctl -q cluster_status --formatter json | grep -o '"running_nodes":\[[^]]*\]')," \
    "virtual host '$VHOST' (default queue type quorum)"
}

rabbit_stop() {
  local n="$1" pid
  if pid="$(pid_of "rabbit$n")"; then
    log "rabbit$n: stopping (pid $pid)"
    # SIGTERM stops the node gracefully at once; rabbitmqctl would first boot an Erlang VM, seconds on a busy machine.
    kill -TERM "$pid" 2>/dev/null || true
    local i; for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/rabbit$n.pid"
}

rabbit_kill() {
  local pid; pid="$(pid_of "rabbit$1")" || die "rabbit$1 is not running"
  log "rabbit$1: SIGKILL (pid $pid)"; kill -KILL "$pid"
}

# ----------------------------------------------------------------------- Redis ---

redis_start() {
  local port="$1" dir="$CLUSTER/redis/$1"
  redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return 0
  mkdir -p "$dir" "$RUN" "$LOGS"
  # As bb's single Redis (AOF, no RDB snapshots, rare rewrites, loopback), plus the cluster settings. A master without
  # a replica refuses writes (NOREPLICAS, retried by the services) rather than keep them on one copy.
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" \
    --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout 2000 \
    --min-replicas-to-write 1 --min-replicas-max-lag 10 \
    --appendonly yes --save "" --auto-aof-rewrite-percentage 400 --auto-aof-rewrite-min-size 256mb \
    --maxmemory 512mb --maxmemory-policy allkeys-lru \
    --daemonize yes --pidfile "$RUN/redis-$port.pid" --logfile "$LOGS/redis-$port.log" >/dev/null
}

redis_up() {
  local port i
  for port in "${REDIS_PORTS[@]}"; do
    port_open "$port" && ! pid_of "redis-$port" >/dev/null && die "port $port is taken by a process this script did not start"
    redis_start "$port"
  done
  for port in "${REDIS_PORTS[@]}"; do
    for ((i = 0; i < 100; i++)); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  done
  if [[ "$(redis-cli -p "$REDIS_BASE" cluster info | tr -d '\r' | grep cluster_known_nodes)" != "cluster_known_nodes:6" ]]; then
    log "redis: creating the cluster (3 masters, 3 replicas)"
    redis-cli --cluster create $(printf '127.0.0.1:%s ' "${REDIS_PORTS[@]}") --cluster-replicas 1 --cluster-yes \
      >>"$LOGS/redis-cluster-create.log" 2>&1 || { tail -n 20 "$LOGS/redis-cluster-create.log" >&2; die "redis-cli --cluster create failed"; }
  fi
  for ((i = 0; i < 150; i++)); do
    redis-cli -p "$REDIS_BASE" cluster info | grep -q 'cluster_state:ok' && { log "redis: cluster_state:ok (:${REDIS_PORTS[0]}-${REDIS_PORTS[5]})"; return 0; }
    sleep 0.2
  done
  die "the Redis Cluster is not ok after 30 s (redis-cli -p $REDIS_BASE cluster info)"
}

redis_kill() {
  local pid; pid="$(pid_of "redis-$1")" || die "redis :$1 is not running"
  log "redis :$1: SIGKILL (pid $pid)"; kill -KILL "$pid"
}

redis_stop() {
  local port="$1" pid
  if pid="$(pid_of "redis-$port")"; then
    log "redis :$port: stopping (pid $pid)"
    redis-cli -p "$port" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    local i; for ((i = 0; i < 75; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/redis-$port.pid"
}

# ---------------------------------------------------------------------- common ---

# What the services are given: the three AMQP nodes (host:port, comma-separated) and the Redis seeds.
addresses() {
  local n
  echo "rabbitmq_nodes=$(for n in "${RABBIT_NODES[@]}"; do printf '127.0.0.1:%s,' "$(rabbit_port "$n")"; done | sed 's/,$//')"
  echo "rabbitmq_vhost=$VHOST"
  echo "redis=$(printf '127.0.0.1:%s,' "${REDIS_PORTS[@]}" | sed 's/,$//')"
}

status() {
  local n port pid state
  for n in "${RABBIT_NODES[@]}"; do
    port="$(rabbit_port "$n")"; pid="$(pid_of "rabbit$n" || true)"
    port_open "$port" && state=up || state=down
    printf '%-15s %-8s %-6s %-8s %s\n' "rabbit$n" "${pid:--}" "$([[ -n "$pid" ]] && echo yes || echo no)" "$state" \
      "amqp://localhost:$port  UI http://localhost:$((port + 10000))"
  done
  for port in "${REDIS_PORTS[@]}"; do
    pid="$(pid_of "redis-$port" || true)"
    state="$(redis-cli -p "$port" role 2>/dev/null | head -n 1 || true)"
    printf '%-15s %-8s %-6s %-8s %s\n' "redis-$port" "${pid:--}" "$([[ -n "$pid" ]] && echo yes || echo no)" "${state:-down}" \
      "redis://localhost:$port"
  done
}

case "${1:-}" in
  up)           rabbit_up; redis_up ;;
  down)         for port in "${REDIS_PORTS[@]}"; do redis_stop "$port"; done
                for n in 3 2 1; do rabbit_stop "$n"; done; log "engines stopped" ;;
  status)       status ;;
  addresses)    addresses ;;
  rabbit-start) rabbit_start "${2:?node 1..3}"; rabbit_wait "$2" ;;
  rabbit-stop)  rabbit_stop "${2:?node 1..3}" ;;
  rabbit-kill)  rabbit_kill "${2:?node 1..3}" ;;
  redis-start)  redis_start "${2:?port}" ;;
  redis-kill)   redis_kill "${2:?port}" ;;
  *)            sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
