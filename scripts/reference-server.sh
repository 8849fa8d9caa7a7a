# Sourced by demo.sh and screenshot.sh from the repository root: starts the
# built reference server on a free loopback port, sets $url to its base URL,
# and stops it when the script exits.
url_file=$(mktemp)
build/tests/server/clarifai-reference-server --port 0 >"$url_file" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$url_file"' EXIT INT TERM
i=0
while [ ! -s "$url_file" ]; do
  i=$((i + 1))
  [ "$i" -lt 100 ] || { echo "the reference server did not start" >&2; exit 1; }
  sleep 0.1
done
url=$(head -n 1 "$url_file")
