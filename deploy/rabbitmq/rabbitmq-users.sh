#!/bin/sh
# Creates or updates the user of each BusinessBrief service with the permissions listed in ./permissions, in one
# virtual host. Idempotent. Passwords come from RABBITMQ_API_PASSWORD, RABBITMQ_ORCHESTRATOR_PASSWORD and
# RABBITMQ_AGENTS_PASSWORD. Used by ./bb (on its own node) and by docker-compose.yml (inside the rabbitmq container).
#   usage: rabbitmq-users.sh VHOST [RABBITMQCTL COMMAND...]     (default: rabbitmqctl)
set -eu
permissions="$(dirname "$0")/permissions"
vhost="$1"; shift
[ $# -gt 0 ] || set -- rabbitmqctl
grep -v '^#' "$permissions" | while read -r service configure write read; do
  [ -n "$service" ] || continue
  variable="RABBITMQ_$(echo "$service" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  eval "password=\${$variable:?set $variable}"
  user="businessbrief-$service"
  "$@" -q add_user "$user" "$password" </dev/null >/dev/null 2>&1 || "$@" -q change_password "$user" "$password" </dev/null
  "$@" -q set_permissions -p "$vhost" "$user" "$configure" "$write" "$read" </dev/null
done
