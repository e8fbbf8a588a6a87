#!/usr/bin/env bash
# Soak test: minutes of mixed load on `giayto serve --watch` while procedure files are edited
# every few seconds, broken edits included.
#
#   bench/soak.sh                  # 5 minutes
#   SOAK_SECONDS=60 bench/soak.sh
#
# Serves a copy of procedures/ with --watch and runs wrk (2 threads, 32 connections) on a mix of
# procedure pages, print pages and searches from the relevance set. Every EDIT_EVERY seconds it
# edits one file in turn: a valid edit (a new summary, which the page must show within a second),
# then a broken one (a YAML syntax error, which /healthz must list), then the file restored. The
# pages under load are never the edited ones, so every request must succeed whatever the edits.
# Resident memory is sampled every 10 s. It fails (exit 1) on any failed or non-2xx request, an
# edit not seen within a second, or memory growing more than MAX_GROWTH_MB (default 40) between
# the first sample under load and the last.
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_SECONDS=${SOAK_SECONDS:-300}
EDIT_EVERY=${EDIT_EVERY:-3}
MAX_GROWTH_MB=${MAX_GROWTH_MB:-40}
PORT=${PORT:-18490}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
cargo build --release --quiet
bin=target/release/giayto
if ! "$bin" serve --help | grep -q -- '--watch'; then
  echo "soak: this giayto has no 'serve --watch'; nothing to soak" >&2
  exit 2
fi

cp -r procedures "$work/procedures"
RUST_LOG=warn "$bin" serve --watch --procedures "$work/procedures" --addr "127.0.0.1:$PORT" \
  >"$work/serve.log" 2>&1 &
pid=$!; pids+=("$pid")
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 200); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

# The edited files: every fifth procedure file; the pages under load: the others.
mapfile -t files < <(cd "$work/procedures" && ls */*.md | grep -v "^_situations/" | sort)
edited=(); loaded=()
for i in "${!files[@]}"; do
  if (( i % 5 == 0 )); then edited+=("${files[$i]}"); else loaded+=("${files[$i]}"); fi
done
python3 - "$work/mix.lua" "${loaded[@]}" <<'PY'
import sys, urllib.parse
out, files = sys.argv[1], sys.argv[2:]
paths = []
for f in files:
    pid = f.split("/")[1][:-3]
    paths += ["/thu-tuc/" + pid, "/thu-tuc/" + pid + "/in"]
for line in open("tests/relevance/queries.txt", encoding="utf-8"):
    parts = line.split(" | ")
    if not line.startswith("#") and len(parts) > 1:
        q = urllib.parse.quote_plus(parts[1].strip())
        paths += ["/api/search?q=" + q, "/tim-kiem?q=" + q]
with open(out, "w") as f:
    f.write("paths = {" + ",".join('"%s"' % p for p in paths) + "}\n")
    f.write("""
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.2f\\n", summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(99) / 1000))
end
""")
PY

wrk -t2 -c32 -d"${SOAK_SECONDS}s" --timeout 5s -s "$work/mix.lua" "$base/" >"$work/wrk.out" &
wrk_pid=$!; pids+=("$wrk_pid")
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }

failures=0
seen_within() { # seconds url pattern
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 ))
  while (( $(date +%s%N) < deadline )); do
    curl -fsS "$2" 2>/dev/null | grep -q -- "$3" && return 0
    sleep 0.05
  done
  return 1
}
started=$(date +%s); last_sample=0; samples=(); edits=0; n=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  now=$(date +%s)
  if (( now - last_sample >= 10 )); then samples+=("$(rss)"); last_sample=$now; fi
  file=${edited[$(( n % ${#edited[@]} ))]}
  path="$work/procedures/$file"; id=$(basename "$file" .md)
  cp "$path" "$work/original.md"
  marker="Soak edit $n"
  sed -i "0,/^summary: /s/^summary: .*/summary: $marker./" "$path"
  if ! seen_within 1 "$base/thu-tuc/$id" "$marker"; then
    echo "edit $n of $file not served within a second" >&2; failures=$((failures + 1))
  fi
  sleep "$EDIT_EVERY"
  printf 'title: [unclosed\n' | sed -i '2r /dev/stdin' "$path"
  if ! seen_within 1 "$base/healthz" "$id"; then
    echo "broken edit $n of $file not listed by /healthz within a second" >&2; failures=$((failures + 1))
  fi
  sleep "$EDIT_EVERY"
  cp "$work/original.md" "$path"
  edits=$((edits + 2)); n=$((n + 1))
  (( $(date +%s) - started >= SOAK_SECONDS )) && break
done
wait "$wrk_pid" || true
samples+=("$(rss)")
read -r requests errors non2xx p99 < <(awk '/^RESULT/ {print $2, $3, $4, $5}' "$work/wrk.out")
first=${samples[1]:-${samples[0]}}; last=${samples[-1]}
echo "soak: ${SOAK_SECONDS}s, $requests requests (p99 ${p99} ms), $errors failed, $non2xx non-2xx; $edits edits (half of them broken), $failures not seen in time"
echo "soak: RSS samples (MB, every 10 s): ${samples[*]}; growth after warm-up $((last - first)) MB (bound $MAX_GROWTH_MB)"
if (( errors > 0 || non2xx > 0 || failures > 0 || last - first > MAX_GROWTH_MB )); then
  echo "soak: FAILED" >&2; exit 1
fi
echo "soak: ok"
