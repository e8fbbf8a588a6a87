#!/usr/bin/env bash
# Load benchmark: giayto against nginx serving the same procedure page as a static file.
#
#   bench/load.sh            # about six minutes; prints a Markdown table
#   DURATION=5s bench/load.sh
#
# Installs wrk and Debian's nginx-light if missing, builds the release binary, serves the bundled
# procedures on loopback and measures with wrk (2 threads) at 1, 16 and 128 connections: home, a
# procedure page, its print page, a packet, /api/search and the results page over a mix of the
# relevance set's queries; the same procedure page from nginx is the ceiling. Then 512
# connections on the procedure page and on search (errors and non-2xx counted), resident memory
# after start and under load, and time to ready for the bundled procedures and for 10,000
# generated ones (bench/generate.py). Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8s}
GEN_COUNT=${GEN_COUNT:-10000}
PORT=${PORT:-18480}
NGINX_PORT=${NGINX_PORT:-18481}
work=$(mktemp -d)
chmod 755 "$work"   # nginx's workers read the static copy from it
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light
fi
cargo build --release --quiet
bin=target/release/giayto

# Milliseconds until /healthz answers, for a server just started with pid $1 on port $2.
wait_ready() {
  local start=$3
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:$2/healthz" >/dev/null 2>&1; then
      echo $(( ($(date +%s%N) - start) / 1000000 ))
      return
    fi
    kill -0 "$1" 2>/dev/null || { echo "giayto exited" >&2; exit 2; }
    sleep 0.02
  done
  echo "giayto did not become ready" >&2; exit 2
}
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# The search mix: every query of the relevance set, URL-encoded, in a Lua table.
python3 - "$work/queries.lua" <<'PY'
import sys, urllib.parse
queries = []
for line in open("tests/relevance/queries.txt", encoding="utf-8"):
    parts = line.split(" | ")
    if line.startswith("#") or len(parts) < 2:
        continue
    queries.append(urllib.parse.quote_plus(parts[1].strip()))
with open(sys.argv[1], "w") as f:
    f.write("queries = {" + ",".join('"%s"' % q for q in queries) + "}\n")
PY
cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
LUA
for prefix in /api/search /tim-kiem; do
  name=$(basename "$prefix")
  { cat "$work/queries.lua"; cat <<LUA
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "$prefix?q=" .. queries[i])
end
LUA
    cat "$work/report.lua"; } > "$work/mix-$name.lua"
done

# measure URL CONNECTIONS [SCRIPT] -> "rps p50 p99 errors non2xx"
measure() {
  local threads=2
  [ "$2" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$2" -d"$DURATION" --timeout 5s -s "${3:-$work/report.lua}" "$1" \
    | awk '/^RESULT/ {print $2, $3, $4, $5, $6}'
}

start=$(date +%s%N)
RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
pid=$!; pids+=("$pid")
ready_bundled=$(wait_ready "$pid" "$PORT" "$start")
rss_start=$(rss_mb "$pid")
base="http://127.0.0.1:$PORT"
procedure=/thu-tuc/dang-ky-khai-sinh

# nginx serves the very bytes giayto sends for the procedure page.
mkdir -p "$work/www/thu-tuc" "$work/nginx"
curl -fsS "$base$procedure" -o "$work/www/thu-tuc/dang-ky-khai-sinh"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work/nginx"
sleep 0.5
cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT$procedure") "$work/www/thu-tuc/dang-ky-khai-sinh" \
  || { echo "nginx does not serve the static copy" >&2; exit 2; }

declare -A label=(
  [/]="home" [$procedure]="procedure page" [$procedure/in]="print page"
  ["/in?ids=dang-ky-khai-sinh,dang-ky-thuong-tru,cap-the-can-cuoc"]="packet of 3"
)
echo "wrk $DURATION per cell, 2 threads, loopback; $(nproc) cores, $(date -u +%Y-%m-%d), load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | conns | req/s | p50 ms | p99 ms | errors | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A rps
row() { # label conns "rps p50 p99 errors non2xx"
  read -r r p50 p99 e s <<<"$3"
  rps["$1 $2"]=$r
  echo "| $1 | $2 | $r | $p50 | $p99 | $e | $s |"
}
for conns in 1 16 128; do
  row "nginx static (same bytes)" "$conns" "$(measure "http://127.0.0.1:$NGINX_PORT$procedure" "$conns")"
  for path in / "$procedure" "$procedure/in" "/in?ids=dang-ky-khai-sinh,dang-ky-thuong-tru,cap-the-can-cuoc"; do
    row "${label[$path]}" "$conns" "$(measure "$base$path" "$conns")"
  done
  row "/api/search (query mix)" "$conns" "$(measure "$base/" "$conns" "$work/mix-search.lua")"
  row "results page (query mix)" "$conns" "$(measure "$base/" "$conns" "$work/mix-tim-kiem.lua")"
done
row "procedure page" 512 "$(measure "$base$procedure" 512)"
row "/api/search (query mix)" 512 "$(measure "$base/" 512 "$work/mix-search.lua")"
rss_load=$(hwm_mb "$pid")
echo
for conns in 1 16 128; do
  awk -v g="${rps["procedure page $conns"]}" -v n="${rps["nginx static (same bytes) $conns"]}" -v c="$conns" \
    'BEGIN { printf "procedure page / nginx at %s connections: %.2f×\n", c, g / n }'
done
kill "$pid"; wait "$pid" 2>/dev/null || true

# The same server on GEN_COUNT generated procedures.
python3 bench/generate.py "$GEN_COUNT" "$work/generated"
generated_files=("$work"/generated/ho-tich/*-s0*.md)
gen_id=$(basename "${generated_files[0]}" .md)
start=$(date +%s%N)
RUST_LOG=warn "$bin" serve --procedures "$work/generated" --addr "127.0.0.1:$PORT" >"$work/serve-gen.log" 2>&1 &
pid=$!; pids+=("$pid")
ready_gen=$(wait_ready "$pid" "$PORT" "$start")
served=$(curl -fsS "$base/healthz" | awk '{print $2}')
rss_gen_start=$(rss_mb "$pid")
measure "$base/" 16 "$work/mix-search.lua" >/dev/null
measure "$base/thu-tuc/$gen_id" 16 >/dev/null
rss_gen_load=$(hwm_mb "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true
echo
echo "| procedures | time to ready | RSS after start | peak RSS under load |"
echo "| --- | ---: | ---: | ---: |"
echo "| bundled | ${ready_bundled} ms | ${rss_start} MB | ${rss_load} MB |"
echo "| $served served of $GEN_COUNT generated + bundled | ${ready_gen} ms | ${rss_gen_start} MB | ${rss_gen_load} MB |"
