# Sourced by the example tests: starts the reference server program ($1)
# on an ephemeral loopback port and sets $url; stops it on exit.
server_out=$(mktemp)
# shellcheck disable=SC2086
"$1" --port 0 ${SERVER_ARGS:-} >"$server_out" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$server_out"' EXIT
i=0
while [ ! -s "$server_out" ]; do
  i=$((i + 1))
  [ "$i" -lt 100 ] || { echo "reference server did not start"; exit 1; }
  sleep 0.1
done
url=$(head -n 1 "$server_out")
