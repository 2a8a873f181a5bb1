#!/usr/bin/env bash
# A/B comparison of two tokengate builds or JVM settings, side by side in one run.
#
#   bench/ab.sh [--rounds N] [--seconds S] [--warm-up N] [--syscalls] A.jar B.jar
#
# Both servers run at once (embedded H2, the 20 rules of bench/limits-20.txt, audit on) in front
# of one nginx upstream serving the benchmark's JSON. Each is warmed up with N alternated 10 s
# runs at 64 connections (default 6), then measured in alternated rounds of S seconds (default
# 20; 4 rounds), then at 1 connection back to back, then at 1 connection paced (1 ms between a
# response and the next request, as gateway.sh). Alternating matters more than the duration: the machines
# this is run on change speed by a factor of two within the hour, so only rounds minutes apart
# compare. Every run prints req/s, p50, p99 and the server's CPU time per request (user + system,
# from /proc, JIT compilation included: it falls as the servers warm up), and the local
# PostgreSQL server's CPU time per request when it used any (a side with PROPERTIES_X setting
# db.url to it); any non-2xx answer fails the run. --syscalls adds system calls per request for
# each server (perf stat on the syscall tracepoints during 10 s of load).
#
# JAVA_OPTS_A / JAVA_OPTS_B replace the launcher's JVM options for one side (the same jar twice
# compares settings); PROPERTIES_A / PROPERTIES_B are lines added to that side's
# tokengate.properties, with @HOME@ standing for its home directory. Needs nginx, wrk and curl (bench/gateway.sh installs them); perf for
# --syscalls. Loopback only; everything started here is stopped on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=upstream.sh
. "$root/bench/upstream.sh"
rounds=4; seconds=20; warmups=6; syscalls=false
while [ $# -gt 2 ]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warm-up) warmups=$2; shift ;;
    --syscalls) syscalls=true ;;
    *) echo "ab: unknown option $1 (see the header of $0)" >&2; exit 64 ;;
  esac
  shift
done
[ $# -eq 2 ] || { echo "usage: $0 [--rounds N] [--seconds S] [--warm-up N] [--syscalls] A.jar B.jar" >&2; exit 64; }
for j in "$1" "$2"; do [ -f "$j" ] || { echo "ab: $j: no such jar" >&2; exit 64; }; done
declare -A jar=([A]="$(realpath "$1")" [B]="$(realpath "$2")")
default_opts="-XX:+UseParallelGC -Xmx128m" # as the launcher
declare -A opts=([A]="${JAVA_OPTS_A:-$default_opts}" [B]="${JAVA_OPTS_B:-$default_opts}")
for tool in nginx wrk curl java; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "ab: $tool is missing" >&2; exit 1; }
done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

port_base="${BENCH_PORT_BASE:-18290}"
up_port=$((port_base + 1))
declare -A port=([A]=$((port_base + 2)) [B]=$((port_base + 4)))
start_work ab

write_nginx_conf "$work/nginx" "$up_port"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

declare -A secret pid
for side in A B; do
  home="$work/$side"
  mkdir -p "$home"
  printf 'gateway.host=127.0.0.1\ngateway.port=%s\ngateway.public.url=http://127.0.0.1:%s\nadmin.port=%s\nupstream.url=http://127.0.0.1:%s\n' \
    "${port[$side]}" "${port[$side]}" $((port[$side] + 1)) "$up_port" >"$home/tokengate.properties"
  extra="PROPERTIES_$side"
  [ -z "${!extra:-}" ] || printf '%s\n' "${!extra//@HOME@/$home}" >>"$home/tokengate.properties"
  secret[$side]="$(bench_token "$home" java -jar "${jar[$side]}")"
  [ -n "${secret[$side]}" ] || { echo "ab: $side: token creation printed no secret" >&2; exit 1; }
  # shellcheck disable=SC2086 # the options are a list
  java ${opts[$side]} -jar "${jar[$side]}" serve --home "$home" >"$home/out" 2>&1 &
  pid[$side]=$!
  pids+=("${pid[$side]}")
done
for side in A B; do
  await_ready "${pid[$side]}" $((port[$side] + 1)) ||
    { cat "$work/$side/out" >&2; echo "ab: $side exited at start-up or was not ready after 60 s" >&2; exit 1; }
  got="$(curl -sS -u "bench:${secret[$side]}" "http://127.0.0.1:${port[$side]}$bench_path")"
  [ "$got" = "$bench_body" ] || { echo "ab: $side does not answer with the upstream's body: $got" >&2; exit 1; }
done
declare -A auth
for side in A B; do auth[$side]="$(basic bench "${secret[$side]}")"; done
echo "A: ${jar[A]} (${opts[A]})"
echo "B: ${jar[B]} (${opts[B]})"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# CPU of the local PostgreSQL server, ended backends included (their time is added to the
# postmaster's children): what a side whose audit log is on PostgreSQL costs the shared cores.
db_ticks() {
  local p total=0
  for p in $(pgrep -u postgres 2>/dev/null); do
    total=$((total + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# run SIDE CONNECTIONS SECONDS LABEL [PAUSE_MS]
run() {
  local side=$1 conns=$2 secs=$3 label=$4 pause=${5:-0} t0 t1 result
  t0="$(cpu_ticks "${pid[$side]}")" d0="$(db_ticks)"
  result="$(BENCH_PAUSE_MS=$pause wrk -t"$([ "$conns" -lt 2 ] && echo 1 || echo 2)" -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$root/bench/report.lua" -H "Authorization: ${auth[$side]}" "http://127.0.0.1:${port[$side]}$bench_path" | grep '^RESULT')"
  t1="$(cpu_ticks "${pid[$side]}")" d1="$(db_ticks)"
  awk -v side="$side" -v c="$conns" -v label="$label" -v pause="$pause" -v ticks=$((t1 - t0)) -v db=$((d1 - d0)) \
    -v hz="$(getconf CLK_TCK)" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      errors = v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"]
      printf "%-8s %s %2d conn%s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  CPU %6.1f us/req%s%s\n", label, side, c,
        (pause > 0 ? ", paced" : ""), v["requests"] / (v["duration_us"] / 1e6), v["p50"] / 1000, v["p99"] / 1000,
        ticks * 1e6 / hz / v["requests"], (db > 0 ? sprintf("  PostgreSQL %5.1f us/req", db * 1e6 / hz / v["requests"]) : ""),
        errors ? "  ERRORS " errors : ""
      exit errors > 0
    }' <<<"$result" || { echo "ab: $side answered with errors" >&2; exit 1; }
}

for w in $(seq 1 "$warmups"); do run A 64 10 "warm-up"; run B 64 10 "warm-up"; done
for r in $(seq 1 "$rounds"); do run A 64 "$seconds" "round $r"; run B 64 "$seconds" "round $r"; done
for side in A B; do
  echo "$side RSS $(awk '/^VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/${pid[$side]}/status"), $(jstat -gc "${pid[$side]}" |
    awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } NR == 2 {
      printf "since start: %d young collections (%.2f s), %d full (%.2f s)", $col["YGC"], $col["YGCT"], $col["FGC"], $col["FGCT"] }')"
done
if $syscalls; then
  command -v perf >/dev/null 2>&1 || { echo "ab: perf is missing (Debian: linux-perf)" >&2; exit 1; }
  calls=writev,write,read,epoll_ctl,epoll_wait,futex,poll,sendto,recvfrom
  for side in A B; do
    wrk -t2 -c64 -d12s -s "$root/bench/report.lua" -H "Authorization: ${auth[$side]}" \
      "http://127.0.0.1:${port[$side]}$bench_path" >"$work/wrk-$side" &
    load=$!
    sleep 1
    perf stat -x, -e "$(sed 's/\([a-z_]*\)/syscalls:sys_enter_\1/g' <<<"$calls")" -p "${pid[$side]}" -- sleep 10 \
      2>"$work/perf-$side"
    wait "$load"
    requests="$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$work/wrk-$side")"
    # The count covers 10 of wrk's 12 s.
    awk -F, -v side="$side" -v n="$requests" '{ sub("syscalls:sys_enter_", "", $3); t += $1; line = line sprintf(" %s %.2f", $3, $1 / (n * 10 / 12)) }
      END { printf "%s system calls per request: %.1f (%s)\n", side, t / (n * 10 / 12), substr(line, 2) }' "$work/perf-$side"
  done
fi
run A 1 3 "warm-up"; run B 1 3 "warm-up"
for r in 1 2 3; do run A 1 5 "round $r"; run B 1 5 "round $r"; done
for r in 1 2 3; do run A 1 10 "round $r" 1; run B 1 10 "round $r" 1; done
