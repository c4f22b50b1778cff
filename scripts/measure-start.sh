#!/usr/bin/env bash
# Usage: scripts/measure-start.sh DATA_DIR PORT — run it twice on the same DATA_DIR for the first and second start.
# Time from `npm start` to the "ready" line, and to Ctrl-C finishing.
dir=$1; port=$2
start=$(date +%s%N)
PATRON_DATA_DIR=$dir PORT=$port setsid npm start --silent > /tmp/start-$port.log 2>&1 &
pid=$!
until grep -q "Patron is ready" /tmp/start-$port.log 2>/dev/null; do sleep 0.05; if ! kill -0 $pid 2>/dev/null; then cat /tmp/start-$port.log; exit 1; fi; done
ready=$(date +%s%N)
echo "ready after $(( (ready-start)/1000000 )) ms  ($(grep -o 'ready on .*' /tmp/start-$port.log))"
kill -INT -- -$pid; wait $pid 2>/dev/null
while pgrep -f "postgres -D $dir" >/dev/null; do sleep 0.05; done
echo "stopped after $(( ($(date +%s%N)-ready)/1000000 )) ms"
