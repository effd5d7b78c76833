#!/usr/bin/env bash
# bb — BusinessBrief developer command line (see README.md and `./bb help`).
#
# Every command is idempotent. All state, logs and pid files live under the
# git-ignored .data/ folder at the repository root:
#   .data/rabbitmq/   RabbitMQ node data (mnesia), its own logs, cookie, enabled_plugins
#   .data/redis/      Redis data (AOF)
#   .data/postgres/   PostgreSQL cluster (the long-term archive of briefs), owned by the 'postgres' user
#   .data/logs/       service logs (api.log, orchestrator.log, agents.log, rabbitmq.out, redis.log, postgres.log)
#   .data/run/        pid files: api.pid orchestrator.pid agents.pid rabbitmq.pid redis.pid (PostgreSQL: .data/postgres/postmaster.pid)
#   .data/docs/       what the last ./bb test wrote for docs/ (screenshots, reliability table); ./bb docs copies it
#   .data/cluster/    ./bb up --cluster: its RabbitMQ nodes, Redis Cluster nodes, logs/ and run/ (deploy/cluster/engines.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

DATA="${BB_DATA:-$ROOT/.data}"
RUN_DIR="$DATA/run"
LOG_DIR="$DATA/logs"
RABBIT_DIR="$DATA/rabbitmq"
REDIS_DIR="$DATA/redis"
POSTGRES_DIR="$DATA/postgres"
TEST_RESULTS="$DATA/test-results"
DOCS_ARTEFACTS="$DATA/docs"

SOLUTION="BusinessBrief.sln"
SERVICES=(api orchestrator agents)
SERVICE_BASE_PORT=8080
CLUSTER=0
CLUSTER_ENGINES="$ROOT/deploy/cluster/engines.sh"

# Overridable only to try a second broker beside the usual one (e.g. BB_DATA=.data/second BB_RABBITMQ_PORT=5682 ./bb infra).
RABBIT_PORT="${BB_RABBITMQ_PORT:-5672}"
RABBIT_UI_PORT="${BB_RABBITMQ_UI_PORT:-15672}"
REDIS_PORT="${BB_REDIS_PORT:-6379}"
POSTGRES_PORT="${BB_POSTGRES_PORT:-5433}"
POSTGRES_BIN=/usr/lib/postgresql/15/bin
RABBIT_NODE="${BB_RABBITMQ_NODE:-rabbit@localhost}"
RABBIT_LIB=/usr/lib/rabbitmq/bin

API_URL="${BB_API_URL:-http://127.0.0.1:8080}"
HEALTH_TIMEOUT="${BB_HEALTH_TIMEOUT:-120}"
DEMO_TIMEOUT="${BB_DEMO_TIMEOUT:-60}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Each service connects as its own RabbitMQ user (deploy/rabbitmq/permissions) unless ConnectionStrings__rabbitmq is set;
# these development passwords only open a broker that listens on 127.0.0.1. The tests and the benchmark use guest.
RABBITMQ_SERVICE_URIS=$([[ -n "${ConnectionStrings__rabbitmq:-}" ]] && echo 0 || echo 1)
export RABBITMQ_API_PASSWORD="${RABBITMQ_API_PASSWORD:-bb-dev-api}"
export RABBITMQ_ORCHESTRATOR_PASSWORD="${RABBITMQ_ORCHESTRATOR_PASSWORD:-bb-dev-orchestrator}"
export RABBITMQ_AGENTS_PASSWORD="${RABBITMQ_AGENTS_PASSWORD:-bb-dev-agents}"
export ConnectionStrings__rabbitmq="${ConnectionStrings__rabbitmq:-amqp://guest:guest@localhost:$RABBIT_PORT/}"
export ConnectionStrings__redis="${ConnectionStrings__redis:-localhost:$REDIS_PORT}"
export ConnectionStrings__postgres="${ConnectionStrings__postgres:-Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Database=postgres}"
for d in "$HOME/.dotnet" /usr/share/dotnet; do
  if [[ -x "$d/dotnet" && ":$PATH:" != *":$d:"* ]]; then PATH="$PATH:$d"; fi
done
export PATH

# ---------------------------------------------------------------- helpers ---

log()  { printf 'bb: %s\n' "$*"; }
warn() { printf 'bb: warning: %s\n' "$*" >&2; }
die()  { printf 'bb: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

ensure_dirs() { mkdir -p "$RUN_DIR" "$LOG_DIR" "$RABBIT_DIR" "$REDIS_DIR"; }

# A service's port: the base port plus its place in SERVICES (api 8080, orchestrator 8081, agents 8082; cluster: 8090-8094).
svc_port() {
  local i
  for i in "${!SERVICES[@]}"; do [[ "${SERVICES[$i]}" == "$1" ]] && { echo $((SERVICE_BASE_PORT + i)); return 0; }; done
  die "unknown service '$1'"
}
# orchestrator-2 is a second copy of the orchestrator: same program, same RabbitMQ user.
svc_kind() { echo "${1%-[0-9]}"; }
svc_dll() {
  case "$(svc_kind "$1")" in
    api)          echo "src/Api/bin/Release/net10.0/BusinessBrief.Api.dll" ;;
    orchestrator) echo "src/Orchestrator.Worker/bin/Release/net10.0/BusinessBrief.Orchestrator.Worker.dll" ;;
    agents)       echo "src/Agents.Worker/bin/Release/net10.0/BusinessBrief.Agents.Worker.dll" ;;
    *) die "unknown service '$1'" ;;
  esac
}
svc_url() { echo "http://127.0.0.1:$(svc_port "$1")"; }

# last lines a service logged since bb last started it
log_tail() {
  local f="$LOG_DIR/$1.log"
  [[ -f "$f" ]] || return 0
  tac "$f" | sed '/^===== .* bb: starting /q' | tac | tail -n "${2:-40}" >&2
}

# true when something accepts TCP connections on 127.0.0.1:$1
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" >/dev/null 2>&1; }

# http_code URL -> prints the HTTP status code (000 when nothing answers)
http_code() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true; }

# pid_alive PIDFILE -> prints the pid and succeeds when the file names a live process
pid_alive() {
  local f="$1" pid
  [[ -f "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

docker_ok() { have docker && timeout 20 docker info >/dev/null 2>&1; }
compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"
  elif have docker-compose; then docker-compose "$@"
  else die "Docker is running but neither 'docker compose' nor 'docker-compose' is installed"
  fi
}

APT_UPDATED=0
apt_install() {
  have apt-get || die "apt-get not found: install $* by hand"
  export DEBIAN_FRONTEND=noninteractive
  if [[ $APT_UPDATED == 0 ]]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update -qq || warn "apt-get update failed; trying the install anyway"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" </dev/null
}

ensure_tools() {
  local missing=()
  have curl || missing+=(curl)
  have jq || missing+=(jq)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

# ----------------------------------------------------------- infrastructure ---

# Environment for a RabbitMQ node whose state lives entirely under .data/rabbitmq.
# The node runs as root straight from /usr/lib/rabbitmq/bin (the /usr/sbin wrappers
# would switch to the 'rabbitmq' user and use /var/lib/rabbitmq). HOME points into
# .data/rabbitmq so the Erlang cookie is the one stored there.
rabbit_env() {
  export HOME="$RABBIT_DIR"
  export RABBITMQ_NODENAME="$RABBIT_NODE"
  export RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
  export RABBITMQ_PID_FILE="$RUN_DIR/rabbitmq.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf"   # written by write_rabbit_config
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
  export ERL_EPMD_ADDRESS=127.0.0.1   # epmd, when this node is the one that starts it
  export RABBITMQ_NODE_PORT="$RABBIT_PORT" RABBITMQ_DIST_PORT=$((RABBIT_PORT + 20000))
}

# Loopback only: AMQP, the management UI and Erlang distribution (the node's own port, cookie-protected) are not
# reachable from the network. Then the settings shared with docker-compose (max_message_size).
write_rabbit_config() {
  {
    echo "# Written by ./bb on every start; edit deploy/rabbitmq/rabbitmq.conf or bb instead."
    echo "listeners.tcp.default = 127.0.0.1:$RABBIT_PORT"
    echo "management.tcp.ip = 127.0.0.1"
    echo "management.tcp.port = $RABBIT_UI_PORT"
    echo "distribution.listener.interface = 127.0.0.1"
    cat "$ROOT/deploy/rabbitmq/rabbitmq.conf"
  } >"$RABBIT_DIR/rabbitmq.conf"
}

# One user per service with only its permissions (idempotent; on a broker bb did not start, only if rabbitmqctl reaches it).
add_rabbit_users() {
  (rabbit_env; "$ROOT/deploy/rabbitmq/rabbitmq-users.sh" / "$RABBIT_LIB/rabbitmqctl") >>"$LOG_DIR/rabbitmq.out" 2>&1 \
    && log "rabbitmq: users businessbrief-api, -orchestrator, -agents ready" \
    || { RABBITMQ_SERVICE_URIS=0
         warn "rabbitmq: could not set up the services' users (see .data/logs/rabbitmq.out); they connect with $ConnectionStrings__rabbitmq"; }
}
rabbitmqctl_local() { (rabbit_env; "$RABBIT_LIB/rabbitmqctl" "$@"); }

install_infra() {
  local missing=()
  have rabbitmq-server || [[ -x "$RABBIT_LIB/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  have redis-server || missing+=(redis-server)
  have redis-cli || missing+=(redis-tools)
  [[ -x "$POSTGRES_BIN/pg_ctl" ]] || missing+=(postgresql)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

start_rabbitmq() {
  ensure_dirs
  local pid
  if pid="$(pid_alive "$RUN_DIR/rabbitmq.pid")" && port_open $RABBIT_PORT; then
    log "rabbitmq: already running (pid $pid)"; add_rabbit_users; return 0
  fi
  if port_open $RABBIT_PORT; then
    log "rabbitmq: already answering on :$RABBIT_PORT (not started by bb)"; add_rabbit_users; return 0
  fi
  [[ -x "$RABBIT_LIB/rabbitmq-server" ]] || die "rabbitmq-server is not installed"
  rm -f "$RUN_DIR/rabbitmq.pid"
  mkdir -p "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log"
  # Share the package's cookie (if any) so the system 'rabbitmqctl' wrapper works too.
  if [[ ! -f "$RABBIT_DIR/.erlang.cookie" && -f /var/lib/rabbitmq/.erlang.cookie ]]; then
    cp /var/lib/rabbitmq/.erlang.cookie "$RABBIT_DIR/.erlang.cookie"
    chmod 400 "$RABBIT_DIR/.erlang.cookie"
  fi
  if ! grep -q rabbitmq_management "$RABBIT_DIR/enabled_plugins" 2>/dev/null; then
    log "rabbitmq: enabling rabbitmq_management (offline)"
    (rabbit_env; "$RABBIT_LIB/rabbitmq-plugins" enable --offline rabbitmq_management) \
      >>"$LOG_DIR/rabbitmq.out" 2>&1 || { tail -n 20 "$LOG_DIR/rabbitmq.out" >&2; die "rabbitmq-plugins failed"; }
  fi
  write_rabbit_config
  log "rabbitmq: starting $RABBIT_NODE (log: .data/logs/rabbitmq.out, .data/rabbitmq/log/)"
  (rabbit_env; cd "$RABBIT_DIR"; setsid "$RABBIT_LIB/rabbitmq-server" >>"$LOG_DIR/rabbitmq.out" 2>&1 </dev/null &)
  local deadline=$((SECONDS + 120))
  until port_open $RABBIT_PORT; do
    if ((SECONDS > deadline)); then
      tail -n 30 "$LOG_DIR/rabbitmq.out" >&2 || true
      die "rabbitmq did not open :$RABBIT_PORT within 120 s"
    fi
    sleep 1
  done
  rabbitmqctl_local -q await_startup --timeout 60 >/dev/null 2>&1 || warn "rabbitmqctl await_startup failed (port is open; continuing)"
  add_rabbit_users
  log "rabbitmq: ready (amqp :$RABBIT_PORT, management http://localhost:$RABBIT_UI_PORT)"
}

start_redis() {
  ensure_dirs
  if redis-cli -p $REDIS_PORT ping 2>/dev/null | grep -q PONG; then
    local pid; pid="$(pid_alive "$RUN_DIR/redis.pid" || true)"
    log "redis: already running${pid:+ (pid $pid)}"; return 0
  fi
  log "redis: starting on :$REDIS_PORT (data: .data/redis, log: .data/logs/redis.log)"
  # The AOF is the durability; RDB snapshots beside it only fork again. Each AOF rewrite forks a dataset-sized
  # child, a latency stall: at the default 100 % growth that was every ~400 briefs of a benchmark while saga writes
  # stored the whole brief (docs/benchmarks.md, fourth and fifth rounds).
  # Loopback only and without a password: a laptop's Redis. docker-compose runs it with requirepass.
  redis-server --port $REDIS_PORT --bind 127.0.0.1 -::1 \
    --appendonly yes --save "" --auto-aof-rewrite-percentage 400 --auto-aof-rewrite-min-size 256mb --dir "$REDIS_DIR" \
    --maxmemory 512mb --maxmemory-policy allkeys-lru \
    --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$LOG_DIR/redis.log" >/dev/null
  local i
  for ((i = 0; i < 100; i++)); do
    redis-cli -p $REDIS_PORT ping 2>/dev/null | grep -q PONG && { log "redis: ready"; return 0; }
    sleep 0.2
  done
  tail -n 20 "$LOG_DIR/redis.log" >&2 || true
  die "redis did not answer PING within 20 s"
}

# PostgreSQL as the postgres user (initdb refuses root), its cluster in .data/postgres, on its own port and
# on 127.0.0.1 only, so it never meets the system's cluster. Trust authentication: nothing else can reach it.
pg_ctl_local() { runuser -u postgres -- "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR" "$@"; }

start_postgres() {
  ensure_dirs
  if [[ -f "$POSTGRES_DIR/PG_VERSION" ]] && pg_ctl_local status >/dev/null 2>&1; then
    log "postgres: already running (:$POSTGRES_PORT)"; return 0
  fi
  if port_open $POSTGRES_PORT; then
    log "postgres: already answering on :$POSTGRES_PORT (not started by bb)"; return 0
  fi
  [[ -x "$POSTGRES_BIN/pg_ctl" ]] || die "PostgreSQL 15 is not installed ($POSTGRES_BIN)"
  mkdir -p "$POSTGRES_DIR"
  chown postgres: "$POSTGRES_DIR"; chmod 700 "$POSTGRES_DIR"
  if [[ ! -f "$POSTGRES_DIR/PG_VERSION" ]]; then
    log "postgres: initdb .data/postgres"
    runuser -u postgres -- "$POSTGRES_BIN/initdb" -D "$POSTGRES_DIR" -A trust -U postgres >>"$LOG_DIR/postgres.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/postgres.log" >&2; die "initdb failed"; }
  fi
  touch "$LOG_DIR/postgres.log"; chown postgres: "$LOG_DIR/postgres.log"
  log "postgres: starting on 127.0.0.1:$POSTGRES_PORT (data: .data/postgres, log: .data/logs/postgres.log)"
  pg_ctl_local -o "-p $POSTGRES_PORT -k $POSTGRES_DIR -c listen_addresses=127.0.0.1" -l "$LOG_DIR/postgres.log" -w -t 60 start \
    >/dev/null || { tail -n 20 "$LOG_DIR/postgres.log" >&2; die "postgres did not start"; }
  log "postgres: ready"
}

stop_postgres() {
  if [[ -f "$POSTGRES_DIR/PG_VERSION" ]] && pg_ctl_local status >/dev/null 2>&1; then
    log "postgres: stopping"
    pg_ctl_local -m fast -w stop >/dev/null || warn "pg_ctl stop failed"
  else
    log "postgres: not started by bb (nothing to stop)"
  fi
}

infra_up() {
  ensure_dirs
  if docker_ok; then
    log "Docker engine found: docker compose up -d rabbitmq redis postgres"
    compose up -d rabbitmq redis postgres
    touch "$RUN_DIR/docker-infra"
    local deadline=$((SECONDS + 120))
    until port_open $RABBIT_PORT && port_open $REDIS_PORT && port_open $POSTGRES_PORT; do
      ((SECONDS < deadline)) || die "rabbitmq/redis/postgres containers not answering within 120 s (docker compose logs rabbitmq redis postgres)"
      sleep 1
    done
    log "rabbitmq + redis + postgres: ready (docker)"
    return 0
  fi
  install_infra
  start_rabbitmq
  start_redis
  start_postgres
}

infra_down() {
  if [[ -f "$RUN_DIR/docker-infra" ]]; then
    if docker_ok; then log "docker compose stop rabbitmq redis postgres"; compose stop rabbitmq redis postgres || true; fi
    rm -f "$RUN_DIR/docker-infra"
  fi
  local pid
  if pid="$(pid_alive "$RUN_DIR/redis.pid")"; then
    log "redis: shutting down (pid $pid)"
    redis-cli -p $REDIS_PORT shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 15 || kill -KILL "$pid" 2>/dev/null || true
  else
    log "redis: not started by bb (nothing to stop)"
  fi
  rm -f "$RUN_DIR/redis.pid"
  if pid="$(pid_alive "$RUN_DIR/rabbitmq.pid")"; then
    log "rabbitmq: stopping (pid $pid)"
    rabbitmqctl_local -q stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 30 || { warn "rabbitmq still running after 30 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
  else
    log "rabbitmq: not started by bb (nothing to stop)"
  fi
  rm -f "$RUN_DIR/rabbitmq.pid"
  stop_postgres
}

# wait_gone PID SECONDS -> succeeds once the process is gone
wait_gone() {
  local pid="$1" i
  for ((i = 0; i < $2 * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  ! kill -0 "$pid" 2>/dev/null
}

# ------------------------------------------------------------ .NET / build ---

ensure_dotnet() {
  have dotnet && return 0
  log ".NET SDK not found; trying apt (dotnet-sdk-10.0)"
  if have apt-get; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || true
    APT_UPDATED=1
    if apt-cache policy dotnet-sdk-10.0 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      apt_install dotnet-sdk-10.0
    fi
  fi
  have dotnet && return 0
  die ".NET 10 SDK is missing and not available from this machine's apt sources.
    Install it, then run this command again, e.g.:
      - add Microsoft's package feed (https://learn.microsoft.com/dotnet/core/install/linux-debian) and
        'apt-get install dotnet-sdk-10.0', or
      - 'curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0' (installs into ~/.dotnet)"
}

build() {
  ensure_dotnet
  [[ -f "$SOLUTION" ]] || die "$SOLUTION not found in $ROOT"
  log "building $SOLUTION (Release)"
  dotnet build "$SOLUTION" -c Release -nologo -v q -clp:ErrorsOnly </dev/null || die "build failed"
}

# ---------------------------------------------------------------- services ---

start_service() {
  local name="$1" port dll pid pidfile logfile
  port="$(svc_port "$name")"; dll="$(svc_dll "$name")"
  pidfile="$RUN_DIR/$name.pid"; logfile="$LOG_DIR/$name.log"
  if pid="$(pid_alive "$pidfile")"; then
    log "$name: already running (pid $pid)"; return 0
  fi
  rm -f "$pidfile"
  if port_open "$port"; then
    warn "$name: port $port is already in use by a process bb did not start; leaving it alone"
    return 0
  fi
  [[ -f "$dll" ]] || die "$name: $dll not found (did the build succeed?)"
  log "$name: starting on http://127.0.0.1:$port (log: ${LOG_DIR#"$ROOT/"}/$name.log, the previous run's in $name.log.1)"
  # This run's log and the one before it: appending to one file forever let a single verbose run leave 945 MB behind.
  [[ -f "$logfile" ]] && mv -f "$logfile" "$logfile.1"
  printf '===== %s bb: starting %s =====\n' "$(date -Is)" "$name" >"$logfile"
  # The child writes its own pid, then execs dotnet: the pid file names the real process.
  # It runs in the dll's folder so that the content root (appsettings*.json) is the build output.
  # shellcheck disable=SC2016  # $$ and "$@" are expanded by the child shell
  # Development: the committed signing key (./bb token) and limits for trying things out; docker-compose runs Production.
  local rabbitmq="$ConnectionStrings__rabbitmq" kind; kind="$(svc_kind "$name")"
  if ((RABBITMQ_SERVICE_URIS)); then
    local password="RABBITMQ_${kind^^}_PASSWORD"
    rabbitmq="amqp://businessbrief-$kind:${!password}@$(svc_rabbitmq_nodes "$name")"
  fi
  ConnectionStrings__rabbitmq="$rabbitmq" ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
    env ${CLUSTER_SERVICE_ENV[@]+"${CLUSTER_SERVICE_ENV[@]}"} setsid nohup bash -c 'echo $$ >"$1"; cd "$2"; shift 2; exec "$@"' _ "$pidfile" "$(dirname "$dll")" \
      dotnet "$(basename "$dll")" --urls "http://127.0.0.1:$port" >>"$logfile" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 50; i++)); do [[ -s "$pidfile" ]] && break; sleep 0.1; done
}

# host:port[,host:port...]/vhost of a service's broker: the single node, or the cluster's nodes starting at a different
# one for each copy, so that the services' connections spread over the nodes.
svc_rabbitmq_nodes() {
  ((CLUSTER)) || { echo "localhost:$RABBIT_PORT/"; return 0; }
  local nodes shift_by="${1##*-}"
  IFS=, read -ra nodes <<<"$CLUSTER_RABBITMQ_NODES"
  [[ "$shift_by" =~ ^[0-9]+$ ]] || shift_by=0
  shift_by=$((shift_by % ${#nodes[@]}))
  nodes=("${nodes[@]:shift_by}" "${nodes[@]:0:shift_by}")
  (IFS=,; echo "${nodes[*]}/$CLUSTER_RABBITMQ_VHOST")
}

stop_service() {
  local name="$1" pidfile pid
  pidfile="$RUN_DIR/$name.pid"
  if ! pid="$(pid_alive "$pidfile")"; then
    if [[ -f "$pidfile" ]]; then log "$name: not running (removing stale pid file)"; else log "$name: not running"; fi
    rm -f "$pidfile"; return 0
  fi
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" 15; then
    warn "$name: still running after 15 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 5 || true
  fi
  rm -f "$pidfile"
}

wait_healthy() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT)) pending name pid
  log "waiting for /health/ready (timeout ${HEALTH_TIMEOUT} s)"
  while :; do
    pending=()
    for name in "${SERVICES[@]}"; do
      [[ "$(http_code "$(svc_url "$name")/health/ready")" == 200 ]] && continue
      pending+=("$name")
      if [[ -f "$RUN_DIR/$name.pid" ]] && ! pid_alive "$RUN_DIR/$name.pid" >/dev/null; then
        log "$name: process exited; last lines of ${LOG_DIR#"$ROOT/"}/$name.log:"
        log_tail "$name"
        die "$name failed to start"
      fi
    done
    ((${#pending[@]} == 0)) && { log "all services healthy"; return 0; }
    if ((SECONDS >= deadline)); then
      for name in "${pending[@]}"; do
        log "$name: not ready after ${HEALTH_TIMEOUT} s (GET $(svc_url "$name")/health/ready -> $(http_code "$(svc_url "$name")/health/ready")); last lines of ${LOG_DIR#"$ROOT/"}/$name.log:"
        log_tail "$name"
      done
      die "services not healthy: ${pending[*]}"
    fi
    sleep 1
  done
}

# ----------------------------------------------------------------- cluster ---

# ./bb up|down|status|demo|bench --cluster: the same commands on the clustered stack, beside the single-node one. Its
# engines (deploy/cluster/engines.sh) use their own ports, so the single-node broker and Redis keep running; its
# services are the API (:8090), two orchestrators (:8091, :8092) and two agents workers (:8093, :8094). The archive stays
# the single PostgreSQL, in a schema of its own.
use_cluster() {
  CLUSTER=1
  RUN_DIR="$DATA/cluster/run"
  LOG_DIR="$DATA/cluster/logs"
  SERVICES=(api orchestrator-1 orchestrator-2 agents-1 agents-2)
  SERVICE_BASE_PORT="${BB_CLUSTER_SERVICE_PORT:-8090}"
  API_URL="${BB_CLUSTER_API_URL:-http://127.0.0.1:$SERVICE_BASE_PORT}"
  RABBITMQ_SERVICE_URIS=1
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
      rabbitmq_nodes) CLUSTER_RABBITMQ_NODES="$value" ;;
      rabbitmq_vhost) CLUSTER_RABBITMQ_VHOST="$value" ;;
      redis)          ConnectionStrings__redis="$value" ;;
    esac
  done < <("$CLUSTER_ENGINES" addresses)
  # What bb itself connects with (the benchmark): guest, on the first node.
  ConnectionStrings__rabbitmq="amqp://guest:guest@${CLUSTER_RABBITMQ_NODES%%,*}/$CLUSTER_RABBITMQ_VHOST"
  CLUSTER_SERVICE_ENV=("BriefArchive__Schema=${BB_CLUSTER_ARCHIVE_SCHEMA:-brief_archive_cluster}"
    "Redis__ReplicaAckTimeoutMs=${BB_CLUSTER_REPLICA_ACK_MS:-500}")
}

cluster_up() {
  install_infra
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  (LOG_DIR="$DATA/logs" RUN_DIR="$DATA/run"; start_postgres)
  "$CLUSTER_ENGINES" up
}

print_cluster_urls() {
  local first="${CLUSTER_RABBITMQ_NODES%%,*}"
  cat <<EOF

  API           $API_URL   (orchestrators :$((SERVICE_BASE_PORT + 1)) :$((SERVICE_BASE_PORT + 2)), agents :$((SERVICE_BASE_PORT + 3)) :$((SERVICE_BASE_PORT + 4)))
  RabbitMQ      $CLUSTER_RABBITMQ_NODES, virtual host '$CLUSTER_RABBITMQ_VHOST' (default queue type quorum)
  RabbitMQ UI   http://localhost:$((${first##*:} + 10000))   (guest / guest)
  Redis Cluster $ConnectionStrings__redis
  logs          .data/cluster/logs/      demo: ./bb demo --cluster      stop: ./bb down --cluster

EOF
}

# ------------------------------------------------------------------- token ---

BENCH_PROJECT="benchmarks/BusinessBrief.LoadBenchmark"
BENCH_DLL="$BENCH_PROJECT/bin/Release/net10.0/BusinessBrief.LoadBenchmark.dll"

# The load-benchmark tool also mints ./bb token's tokens (the tests use the same class): build it when a source
# it is made of is newer than its build, quietly, so that $(./bb token alice) holds only the token.
build_bench_tool() {
  ensure_dotnet
  if [[ -f "$BENCH_DLL" && -z "$(find "$BENCH_PROJECT" src/Contracts Directory.Build.props Directory.Packages.props \
      -path '*/bin' -prune -o -path '*/obj' -prune -o -type f -newer "$BENCH_DLL" -print -quit)" ]]; then
    return 0
  fi
  log "building the load benchmark (Release)" >&2
  dotnet build "$BENCH_PROJECT" -c Release -nologo -v q -clp:ErrorsOnly </dev/null >&2 || die "benchmark build failed"
}

# The API settings holding the development signing key: the tool's default unless BB_API_SETTINGS names another file.
settings_args() { [[ -z "${BB_API_SETTINGS:-}" ]] || printf '%s\n' --settings "$BB_API_SETTINGS"; }

cmd_token() {
  (($# == 1)) && [[ -n "$1" && "$1" != -* ]] || die "usage: ./bb token <user>"
  build_bench_tool
  local settings; mapfile -t settings < <(settings_args)
  dotnet "$BENCH_DLL" token "$1" "${settings[@]}" </dev/null
}

# The transport floor: the briefs' messages with handlers that do nothing, on the RabbitMQ that ./bb infra starts. Best
# run with the services stopped, which it does not need; all options go to the tool (./bb floor --help).
cmd_floor() {
  local project="benchmarks/BusinessBrief.TransportFloor"
  ensure_tools
  infra_up
  dotnet build "$project" -c Release -nologo -v q "-clp:ErrorsOnly;NoSummary" </dev/null >&2 || die "transport floor build failed"
  dotnet "$project/bin/Release/net10.0/BusinessBrief.TransportFloor.dll" --rabbitmq "$ConnectionStrings__rabbitmq" \
    --pid-dir "$RUN_DIR" "$@" </dev/null
}

# -------------------------------------------------------------------- demo ---

# One line of a brief's progress from its JSON on stdin: "status=<s>  <section>=<s> ...".
brief_progress() {
  jq -r '"status=\(.status // "?")  " + ((.sections // {}) | to_entries | map("\(.key)=\(.value.status)") | join(" "))'
}

pretty_json() {
  local in
  in="$(cat)"
  [[ -n "$in" ]] || return 0
  jq . <<<"$in" 2>/dev/null || printf '%s\n' "$in"
}

cmd_demo() {
  local file="${1:-examples/dakar-brief.json}"
  [[ -f "$file" ]] || die "brief file '$file' not found"
  ensure_tools
  [[ "$(http_code "$API_URL/health/live")" == 200 ]] || die "the API is not answering at $API_URL (run ./bb up first)"
  local token resp code body brief_id
  token="$(cmd_token demo-user)"
  log "POST /api/v1/business/brief/generate ($file)"
  resp="$(curl -sS -m 30 -w '\n%{http_code}' -X POST "$API_URL/api/v1/business/brief/generate" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H 'Accept: application/json' \
    --data-binary "@$file")" || die "POST failed"
  code="${resp##*$'\n'}"; body="${resp%$'\n'*}"
  if [[ "$code" != 2* ]]; then
    printf '%s\n' "$body" | pretty_json >&2
    die "POST /generate answered HTTP $code"
  fi
  brief_id="$(jq -r '.brief_id // empty' <<<"$body" 2>/dev/null || true)"
  [[ -n "$brief_id" ]] || die "no brief_id in the response: $body"
  log "brief $brief_id accepted (HTTP $code); following its progress"
  local start=$SECONDS last="" line status etag="" wait meta conditional
  while :; do
    # Long polling: with the tag of the last answer, the API holds the read until the brief changes (or answers 304 once
    # $wait s passed), so each line is printed as soon as it is true and an unchanged brief is never downloaded again.
    wait=$((DEMO_TIMEOUT - (SECONDS - start))); ((wait > 25)) && wait=25; ((wait < 1)) && wait=1
    conditional=()
    [[ -n "$etag" ]] && conditional=(-H "If-None-Match: $etag" -H "Prefer: wait=$wait")
    resp="$(curl -sS -m $((wait + 10)) -w '\n%{http_code} %header{etag}' "$API_URL/api/v1/business/brief/$brief_id" \
      -H "Authorization: Bearer $token" -H 'Accept: application/json' ${conditional[@]+"${conditional[@]}"} 2>/dev/null \
      || printf '\n000 ')"
    meta="${resp##*$'\n'}"; code="${meta%% *}"
    if [[ "$code" == 200 ]]; then
      body="${resp%$'\n'*}"
      # An older curl without %header{} prints the variable itself: poll every 0.5 s without a tag then.
      etag="${meta#* }"; [[ "$etag" == \"* ]] || etag=""
      status="$(jq -r '.status // empty' <<<"$body" 2>/dev/null || true)"
      line="$(brief_progress <<<"$body" 2>/dev/null || echo "unreadable answer: $body")"
    elif [[ "$code" != 304 ]]; then
      line="HTTP $code"; status=""; etag=""
    fi
    if [[ "$line" != "$last" ]]; then
      printf 'bb: [%3ds] %s\n' $((SECONDS - start)) "${line% }"
      last="$line"
    fi
    case "$status" in ready|incomplete|used|cancelled) break ;; esac
    if ((SECONDS - start >= DEMO_TIMEOUT)); then
      if [[ "$code" == 200 || "$code" == 304 ]]; then printf '%s\n' "$body" | pretty_json; fi
      die "brief $brief_id still '${status:-unknown}' after ${DEMO_TIMEOUT} s"
    fi
    [[ -n "$etag" ]] || sleep 0.5
  done
  printf '%s\n' "$body" | pretty_json
  if [[ "$status" == incomplete ]]; then
    log "brief $brief_id is INCOMPLETE: some sections failed (POST /api/v1/business/brief/$brief_id/regenerate re-runs them)"
  else
    log "brief $brief_id is $status (GET $API_URL/api/v1/business/brief/$brief_id with: Authorization: Bearer \$(./bb token demo-user))"
  fi
}

# ---------------------------------------------------------------- commands ---

print_urls() {
  cat <<EOF

  API           http://localhost:8080
  API docs      http://localhost:8080/scalar/v1
  RabbitMQ UI   http://localhost:15672   (guest / guest; each service connects as businessbrief-<service>)
  token         ./bb token <user>        (Authorization: Bearer ...)
  logs          .data/logs/              stop: ./bb down

EOF
}

cmd_up() {
  ensure_tools
  if ((CLUSTER)); then cluster_up; else infra_up; fi
  build
  local name
  for name in "${SERVICES[@]}"; do start_service "$name"; done
  wait_healthy
  cmd_demo
  if ((CLUSTER)); then print_cluster_urls; else print_urls; fi
}

# Sums one attribute of every <Counters .../> element in the given .trx files.
trx_sum() {
  local attr="$1"; shift
  local total=0 v
  for v in $(cat "$@" | tr -d '\r\n' | grep -o '<Counters [^>]*>' | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9][0-9]*'); do
    total=$((total + v))
  done
  echo "$total"
}

# What the operator-experience tests drive: docker-compose validates docker-compose.yml without a Docker engine,
# Debian's chromium renders the preview page for Playwright (which cannot download its own browser here).
# What the OpenAPI tests run: the Redocly linter and a mainstream client generator, pinned, in .data/tools (git-ignored).
NODE_TEST_TOOLS=(@redocly/cli@2.77.0 openapi-typescript@7.13.0 openapi-fetch@0.17.0 typescript@5.9.3 @types/node@20.19.43)

ensure_test_tools() {
  local missing=()
  have docker-compose || missing+=(docker-compose)
  have chromium || missing+=(chromium)
  have npm || missing+=(nodejs npm)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
  local tools="$DATA/tools" wanted="${NODE_TEST_TOOLS[*]}"
  if [[ "$(cat "$tools/.installed" 2>/dev/null)" != "$wanted" ]]; then
    log "npm install ${NODE_TEST_TOOLS[*]} (into .data/tools)"
    mkdir -p "$tools"
    [[ -f "$tools/package.json" ]] || echo '{"private": true}' >"$tools/package.json"
    (cd "$tools" && npm install --no-audit --no-fund --save-exact "${NODE_TEST_TOOLS[@]}" >/dev/null) || die "npm install failed in $tools"
    echo "$wanted" >"$tools/.installed"
  fi
}

cmd_test() {
  ensure_tools
  ensure_test_tools
  infra_up
  ensure_dotnet
  [[ -f "$SOLUTION" ]] || die "$SOLUTION not found in $ROOT"
  # .data/docs then holds only this run's files, so that ./bb docs never publishes an older run's.
  rm -rf "$TEST_RESULTS" "$DOCS_ARTEFACTS"; mkdir -p "$TEST_RESULTS"
  log "dotnet test $SOLUTION -c Release $*"
  local rc=0
  dotnet test "$SOLUTION" -c Release --logger "trx" --results-directory "$TEST_RESULTS" "$@" </dev/null || rc=$?
  local trx=()
  while IFS= read -r -d '' f; do trx+=("$f"); done < <(find "$TEST_RESULTS" -name '*.trx' -print0)
  local total=0 passed=0 failed=0 skipped=0
  if ((${#trx[@]})); then
    total=$(trx_sum total "${trx[@]}")
    passed=$(trx_sum passed "${trx[@]}")
    failed=$(( $(trx_sum failed "${trx[@]}") + $(trx_sum error "${trx[@]}") + $(trx_sum timeout "${trx[@]}") + $(trx_sum aborted "${trx[@]}") ))
    skipped=$(trx_sum notExecuted "${trx[@]}")
    if ((skipped == 0 && total > passed + failed)); then skipped=$((total - passed - failed)); fi
  fi
  log "${#trx[@]} result file(s) in .data/test-results; dotnet test exit code $rc"
  local verdict=0
  if ((failed > 0)); then verdict=1; fi
  if ((rc != 0)); then verdict=$rc; fi
  if ((passed + failed == 0)); then log "no test ran"; verdict=1; fi
  if ((skipped > 0)); then echo "$passed passed, $failed failed, $skipped skipped"
  else echo "$passed passed, $failed failed"; fi
  exit "$verdict"
}

# Tests leave the repository unchanged: what they produce for docs/ goes to .data/docs/, and only this copies it over.
cmd_docs() {
  (($# == 0)) || die "usage: ./bb docs"
  local files=() file target
  if [[ -d "$DOCS_ARTEFACTS" ]]; then
    while IFS= read -r -d '' file; do files+=("$file"); done < <(find "$DOCS_ARTEFACTS" -type f -print0 | sort -z)
  fi
  ((${#files[@]})) || die "nothing to copy: .data/docs/ is empty or missing. Run ./bb test first; it writes there
    docs/images/preview.png and docs/images/rabbitmq-queues.png (integration tests) and docs/reliability.md (fault suite)."
  for file in "${files[@]}"; do
    target="docs/${file#"$DOCS_ARTEFACTS"/}"
    mkdir -p "$(dirname "$target")"
    cp "$file" "$target"
    log "copied .data/${target} -> $target (written $(date -r "$file" '+%F %T'))"
  done
  log "${#files[@]} file(s) copied; review them with: git status docs/ && git diff --stat docs/"
}

services_status() {
  local name pid alive health url
  for name in "${SERVICES[@]}"; do
    url="$(svc_url "$name")"
    if pid="$(pid_alive "$RUN_DIR/$name.pid")"; then alive=yes
    else alive=no; pid="$(tr -dc '0-9' 2>/dev/null <"$RUN_DIR/$name.pid" || true)"; fi
    health="$(http_code "$url/health/ready")"
    case "$health" in 200) health=ready ;; 000) health=down ;; *) health="http-$health" ;; esac
    printf '%-15s %-8s %-6s %-8s %s\n' "$name" "${pid:--}" "$alive" "$health" "http://localhost:$(svc_port "$name")"
  done
}

# The single-node stack; then the cluster's, with --cluster or when any of its processes runs.
cmd_status() {
  (($# == 0)) || die "usage: ./bb status [--cluster]"
  printf '%-15s %-8s %-6s %-8s %s\n' SERVICE PID ALIVE HEALTH URL
  if ((!CLUSTER)); then
    single_status
    [[ -n "$(find "$DATA/cluster/run" -name '*.pid' 2>/dev/null)" ]] || return 0
    echo "cluster (./bb up --cluster):"
    use_cluster
  fi
  services_status
  "$CLUSTER_ENGINES" status
}

single_status() {
  local pid alive health
  services_status
  # RabbitMQ
  if pid="$(pid_alive "$RUN_DIR/rabbitmq.pid")"; then alive=yes; else alive=no; pid=""; fi
  if port_open $RABBIT_PORT; then
    health=up; [[ "$(http_code "http://127.0.0.1:$RABBIT_UI_PORT/")" == 200 ]] || health=up-noUI
  else health=down; fi
  [[ -z "$pid" && "$health" != down ]] && alive=ext
  printf '%-15s %-8s %-6s %-8s %s\n' rabbitmq "${pid:--}" "$alive" "$health" "amqp://localhost:$RABBIT_PORT  UI http://localhost:$RABBIT_UI_PORT"
  # Redis
  if pid="$(pid_alive "$RUN_DIR/redis.pid")"; then alive=yes; else alive=no; pid=""; fi
  if redis-cli -p $REDIS_PORT ping 2>/dev/null | grep -q PONG; then health=up; else health=down; fi
  [[ -z "$pid" && "$health" != down ]] && alive=ext
  printf '%-15s %-8s %-6s %-8s %s\n' redis "${pid:--}" "$alive" "$health" "redis://localhost:$REDIS_PORT"
  # PostgreSQL
  pid="$(head -n 1 "$POSTGRES_DIR/postmaster.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then alive=yes; else alive=no; pid=""; fi
  if port_open $POSTGRES_PORT; then health=up; else health=down; fi
  [[ -z "$pid" && "$health" != down ]] && alive=ext
  printf '%-15s %-8s %-6s %-8s %s\n' postgres "${pid:--}" "$alive" "$health" "postgresql://localhost:$POSTGRES_PORT"
  [[ -f "$RUN_DIR/docker-infra" ]] && echo "(rabbitmq, redis and postgres were started with docker compose)"
  return 0
}

cmd_down() {
  local purge=0 arg
  for arg in "$@"; do
    case "$arg" in
      --purge) purge=1 ;;
      *) die "usage: ./bb down [--cluster] [--purge]" ;;
    esac
  done
  ((CLUSTER && purge)) && die "./bb down --cluster --purge: remove .data/cluster/ yourself after ./bb down --cluster"
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[$i]}"; done
  if ((CLUSTER)); then "$CLUSTER_ENGINES" down; log "cluster down"; return 0; fi
  infra_down
  if ((purge)); then log "removing .data/"; rm -rf "$DATA"; fi
  log "down"
}

# Drives the stack that ./bb up started; all options go to the benchmark (./bb bench --help lists them).
cmd_bench() {
  build_bench_tool
  local arg
  for arg in "$@"; do
    if [[ "$arg" == -h || "$arg" == --help ]]; then dotnet "$BENCH_DLL" --help; return 0; fi
  done
  [[ "$(http_code "$API_URL/health/ready")" == 200 ]] \
    || die "the API is not ready at $API_URL/health/ready: start the stack with ./bb up first"
  local settings; mapfile -t settings < <(settings_args)
  # The cluster's counters are read on its first node's management API (the default is the single node's).
  if ((CLUSTER)); then
    local first="${CLUSTER_RABBITMQ_NODES%%,*}"
    settings+=(--management "http://guest:guest@127.0.0.1:$((${first##*:} + 10000))/api/")
  fi
  dotnet "$BENCH_DLL" --api "$API_URL" --rabbitmq "$ConnectionStrings__rabbitmq" --redis "$ConnectionStrings__redis" \
    "${settings[@]}" --pid-dir "$RUN_DIR" "$@" </dev/null
}

usage() {
  cat <<'EOF'
usage: ./bb <command> [args]

  up                    install + start RabbitMQ, Redis and PostgreSQL, build, start API (:8080),
                        Orchestrator (:8081) and Agents (:8082), wait until healthy,
                        run the Dakar demo, print the URLs. Idempotent.
  up --cluster          the same on a 3-node RabbitMQ cluster (AMQP :5701-5703, quorum queues) and a
                        6-node Redis Cluster (:7000-7005), with API (:8090), 2 orchestrators (:8091,
                        :8092) and 2 agents workers (:8093, :8094); beside the single-node stack.
                        down, status, demo and bench take --cluster too
  infra                 only install + start RabbitMQ, Redis and PostgreSQL (what tests need)
  test [dotnet args]    start RabbitMQ + Redis + PostgreSQL if needed, run every test
                        (dotnet test; e.g. ./bb test --filter Name~Saga), print "N passed, N failed"
  demo [file.json]      submit a brief (default examples/dakar-brief.json), follow it, print it
  token <user>          print a development bearer token (HS256, 12 h) for <user>
                        (minted by the load-benchmark tool's C# code, which the tests use too)
  docs                  copy what the last ./bb test wrote to .data/docs/ (preview and RabbitMQ
                        screenshots, reliability table) into docs/; tests never write docs/ themselves
  status [--cluster]    pid, liveness, health and URL of every process (the cluster's too when it runs)
  down [--purge]        stop what up started; --purge also deletes .data/ (all data)
  down --cluster        stop what up --cluster started, and only that
  bench [--briefs N] [--concurrency C] [--json FILE]
                        load benchmark against the stack ./bb up started (see docs/benchmarks.md)
  floor [--briefs N] [--small-sections] [--json FILE]
                        the same briefs' messages on MassTransit and RabbitMQ with handlers that do
                        nothing, in a virtual host of their own: what the transport alone costs
  help                  this text

State, logs and pid files live in .data/ (git-ignored).
EOF
}

main() {
  local cmd="${1:-help}" args=() arg
  (($#)) && shift
  # --cluster, anywhere after the command, runs it on the clustered stack (see use_cluster).
  for arg in "$@"; do
    if [[ "$arg" == --cluster && "$cmd" =~ ^(up|down|status|demo|bench)$ ]]; then use_cluster; else args+=("$arg"); fi
  done
  set -- ${args[@]+"${args[@]}"}
  case "$cmd" in
    up)     cmd_up "$@" ;;
    infra)  ensure_tools; infra_up ;;
    test)   cmd_test "$@" ;;
    docs)   cmd_docs "$@" ;;
    demo)   cmd_demo "$@" ;;
    token)  cmd_token "$@" ;;
    status) cmd_status "$@" ;;
    down)   cmd_down "$@" ;;
    bench)  cmd_bench "$@" ;;
    floor)  cmd_floor "$@" ;;
    help|-h|--help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
