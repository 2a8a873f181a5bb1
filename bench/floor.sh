#!/usr/bin/env bash
# The floor each HTTP stack sets: how fast a reverse proxy that does nothing but forward goes on
# Jetty (arranged as tokengate's data plane is) and on Netty, next to nginx and tokengate, on
# loopback, in one run.
#
#   bench/floor.sh [--rounds N] [--seconds S] [--warm-up N] [--paced-rounds N] [--syscalls]
#                  [--no-install] [--no-build] [--out DIR]
#
# Configurations, all in front of the same nginx upstream serving the benchmark's JSON:
#   direct        nginx serving it
#   baseline      nginx proxy_pass with auth_basic and an access log (as bench/gateway.sh)
#   jetty-floor   Jetty's ProxyHandler with tokengate's thread pool, connector and upstream client,
#                 comparing the Authorization header with one string; no audit, no rules
#                 (tokengate-bench: io.tokengate.bench.floor.JettyFloor)
#   netty-floor   the same comparison and forwarding on Netty's epoll event loops, each client
#                 connection paired with an upstream connection on its own loop (NettyFloor)
#   netty-nio-floor  netty-floor on the JDK's selector instead of epoll, the one Jetty uses: what
#                 the selector costs, apart from the HTTP stack above it
#   netty-work    netty-floor doing tokengate's own work on each request instead of the comparison:
#                 the token from the cache, the 20 rules, an audit record through the real H2 audit
#                 writer (TokengateWork): what a port of the data plane to Netty would start from;
#                 at the end its database must hold one REQUEST row per record it submitted
#   tokengate-h2  tokengate as bench/gateway.sh runs it: token, 20 rules, audit on embedded H2
#
# Each JVM is warmed up with N alternated 10 s runs at 64 connections (default 6), then every
# configuration is measured in interleaved rounds (default 3 of 20 s) with wrk, 2 threads and 64
# connections: req/s, p99, the ratio to the baseline and each JVM's CPU time per request (user +
# system, from /proc). Then every configuration is measured at 1 connection, paced as in
# bench/gateway.sh (1 ms between a response and the next request), in interleaved rounds of 10 s
# (--paced-rounds, default 3; 0 leaves them out): p50, p99 and the p99 each adds over direct in
# the same round, the unloaded latency each stack sets. Prints and writes bench/results/floor.md,
# floor-runs.tsv and floor-paced.tsv. Any non-2xx answer fails the run, except netty-work's 503s
# for want of audit room, which are counted as refused and left out of its req/s. --syscalls adds
# each JVM's system calls per request (perf stat on the syscall tracepoints during 10 s of load;
# Debian: linux-perf). About 17 minutes plus the build; loopback only; everything started is
# stopped.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
# shellcheck source=upstream.sh
. "$bench/upstream.sh"
rounds=3; seconds=20; warmups=6; paced_rounds=3; pause_ms=1; syscalls=false; install=true; build=true; out="$bench/results"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warm-up) warmups=$2; shift ;;
    --paced-rounds) paced_rounds=$2; shift ;;
    --syscalls) syscalls=true ;;
    --no-install) install=false ;;
    --no-build) build=false ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,36p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "floor: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done
log() { printf '[floor %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

$install && install_missing nginx=nginx wrk=wrk curl=curl openssl=openssl
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in "$nginx_bin" wrk curl openssl java; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (run without --no-install, or install it)"
done
jar="$root/tokengate-server/target/tokengate.jar"
bench_jar="$root/tokengate-bench/target/benchmarks.jar"
if $build; then
  log "building tokengate.jar and benchmarks.jar (./mvnw package, tests skipped)"
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl tokengate-bench -am package >&2)
fi
for j in "$jar" "$bench_jar"; do [ -f "$j" ] || die "$j not found (run without --no-build)"; done

port_base="${BENCH_PORT_BASE:-18590}"
up_port=$((port_base + 1))
declare -A port=([baseline]=$((port_base + 2)) [jetty-floor]=$((port_base + 3)) [netty-floor]=$((port_base + 4))
  [netty-work]=$((port_base + 5)) [tokengate-h2]=$((port_base + 6)) [netty-nio-floor]=$((port_base + 8)))
admin_port=$((port_base + 7))
for p in $up_port "${port[@]}" $admin_port; do
  ! ss -Hltn "sport = :$p" | grep -q . || die "port $p is in use (another benchmark running? set BENCH_PORT_BASE)"
done
start_work floor

bench_user=bench
htpasswd_secret="$(openssl rand -hex 12)"
write_baseline_conf "$work/nginx" "$up_port" "${port[baseline]}" "$bench_user" "$htpasswd_secret"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

home="$work/tokengate-h2"
mkdir -p "$home"
printf 'gateway.host=127.0.0.1\ngateway.port=%s\ngateway.public.url=http://127.0.0.1:%s\nadmin.port=%s\nupstream.url=http://127.0.0.1:%s\n' \
  "${port[tokengate-h2]}" "${port[tokengate-h2]}" "$admin_port" "$up_port" >"$home/tokengate.properties"
secret="$(bench_token "$home" "$root/tokengate")"
[ -n "$secret" ] || die "token creation printed no secret"
token_auth="$(basic "$bench_user" "$secret")"
# netty-work's own home: H2 holds its file open, so it cannot share tokengate's.
work_home="$work/netty-work"
mkdir -p "$work_home"
work_secret="$(bench_token "$work_home" "$root/tokengate")"
[ -n "$work_secret" ] || die "token creation printed no secret (netty-work)"

# The launcher execs java, so $! is the JVM; the floors run with the launcher's JVM options.
declare -A pid
"$root/tokengate" serve --home "$home" >"$work/tokengate-h2.out" 2>&1 &
pid[tokengate-h2]=$!
pids+=("${pid[tokengate-h2]}")
await_ready "${pid[tokengate-h2]}" "$admin_port" ||
  { cat "$work/tokengate-h2.out" >&2; die "tokengate exited at start-up or was not ready after 60 s"; }
java_opts="$(jvm_options "${pid[tokengate-h2]}")"
for stack in jetty netty netty-nio; do
  # shellcheck disable=SC2086 # the options are a list
  FLOOR_AUTHORIZATION="$token_auth" java $java_opts -cp "$bench_jar" io.tokengate.bench.floor.FloorProxy \
    "$stack" "${port[$stack-floor]}" "http://127.0.0.1:$up_port" >"$work/$stack-floor.out" 2>&1 &
  pid[$stack-floor]=$!
  pids+=("${pid[$stack-floor]}")
done
# shellcheck disable=SC2086 # the options are a list
java $java_opts -cp "$bench_jar" io.tokengate.bench.floor.FloorProxy netty-work "${port[netty-work]}" \
  "http://127.0.0.1:$up_port" "$work_home" >"$work/netty-work.out" 2>&1 &
pid[netty-work]=$!
pids+=("${pid[netty-work]}")

floors=(jetty-floor netty-floor netty-nio-floor netty-work tokengate-h2)
configs=(direct baseline "${floors[@]}")
declare -A url auth
url[direct]="http://127.0.0.1:$up_port$bench_path"
for c in "${configs[@]:1}"; do url[$c]="http://127.0.0.1:${port[$c]}$bench_path"; done
auth[direct]="$(basic "$bench_user" "$htpasswd_secret")"
auth[baseline]="${auth[direct]}"
for c in jetty-floor netty-floor netty-nio-floor tokengate-h2; do auth[$c]="$token_auth"; done
auth[netty-work]="$(basic "$bench_user" "$work_secret")"
for c in "${configs[@]}"; do
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null -H "Authorization: ${auth[$c]}" "${url[$c]}" 2>/dev/null && break
    [ -z "${pid[$c]:-}" ] || kill -0 "${pid[$c]}" 2>/dev/null || { cat "$work/$c.out" >&2; die "$c exited at start-up"; }
    sleep 0.25
  done
  got="$(curl -sS -H "Authorization: ${auth[$c]}" "${url[$c]}")"
  [ "$got" = "$bench_body" ] || die "$c does not answer with the upstream's body: $got"
  if [ "$c" != direct ]; then
    code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: $(basic "$bench_user" wrong)" "${url[$c]}")"
    [ "$code" = 401 ] || die "$c answers $code to a wrong password"
  fi
done
log "every configuration answers; JVM options: $java_opts"

cpu_ticks() { if [ -n "${pid[$1]:-}" ]; then awk '{ print $14 + $15 }' "/proc/${pid[$1]}/stat"; else echo 0; fi; }
runs="$work/runs.tsv"
printf 'config\tround\treq_per_s\tp99_us\tcpu_us_per_req\trss_mib\trefused\n' >"$runs"
# run CONFIG SECONDS ROUND(0 = warm-up, not recorded)
# wrk_result CONFIG THREADS CONNECTIONS SECONDS PAUSE_MS: wrk's RESULT line (report.lua) for one run.
wrk_result() {
  BENCH_PAUSE_MS=$5 wrk -t"$2" -c"$3" -d"$4s" --timeout 10s -s "$bench/report.lua" -H "Authorization: ${auth[$1]}" \
    "${url[$1]}" | grep '^RESULT' || die "wrk printed no result on $1"
}

run() {
  local c=$1 secs=$2 round=$3 t0 t1 result
  t0="$(cpu_ticks "$c")"
  result="$(wrk_result "$c" 2 64 "$secs" 0)"
  t1="$(cpu_ticks "$c")"
  local rss=""
  [ -n "${pid[$c]:-}" ] && rss="$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/${pid[$c]}/status")"
  # netty-work answers 503 when its audit queue has no room (it cannot wait on its event loop, as
  # the product waits on a worker): those are counted as refused, not served, and not as errors;
  # at the end it must have refused nothing else but the wrong password sent at start-up.
  awk -v c="$c" -v round="$round" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v jvm="${pid[$c]:-}" -v rss="$rss" \
    -v runs="$runs" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      refused = c == "netty-work" ? v["status"] : 0
      errors = v["connect"] + v["read"] + v["write"] + v["status"] - refused + v["timeout"]
      served = v["requests"] - refused
      rps = served / (v["duration_us"] / 1e6)
      cpu = jvm ? sprintf("%.1f", ticks * 1e6 / hz / v["requests"]) : ""
      printf "%-12s %s %8.0f req/s  p99 %6.2f ms%s%s%s\n", c, round ? "round " round : "warm-up", rps, v["p99"] / 1000,
        cpu ? "  CPU " cpu " us/req" : "", refused ? "  REFUSED " refused : "", errors ? "  ERRORS " errors : "" > "/dev/stderr"
      if (round) printf "%s\t%s\t%.0f\t%d\t%s\t%s\t%d\n", c, round, rps, v["p99"], cpu, rss, refused >> runs
      exit errors > 0
    }' <<<"$result" || die "$c answered with errors"
}

for _ in $(seq 1 "$warmups"); do for c in "${floors[@]}"; do run "$c" 10 0; done; done
for r in $(seq 1 "$rounds"); do for c in "${configs[@]}"; do run "$c" "$seconds" "$r"; done; done

paced="$work/paced.tsv"
printf 'config\tround\tp50_us\tp99_us\n' >"$paced"
# paced CONFIG ROUND: 10 s at 1 connection, $pause_ms ms between a response and the next request.
paced() {
  local c=$1 round=$2 result
  result="$(wrk_result "$c" 1 1 10 "$pause_ms")"
  awk -v c="$c" -v round="$round" -v paced="$paced" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      errors = v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"]
      printf "%-12s paced, round %s  p50 %5.2f ms  p99 %5.2f ms%s\n", c, round, v["p50"] / 1000, v["p99"] / 1000,
        errors ? "  ERRORS " errors : "" > "/dev/stderr"
      printf "%s\t%s\t%d\t%d\n", c, round, v["p50"], v["p99"] >> paced
      exit errors > 0
    }' <<<"$result" || die "$c answered with errors (paced)"
}
if [ "$paced_rounds" -gt 0 ]; then
  # 3 s of warm-up each at 1 connection first: the JVMs have only run at 64 connections so far.
  for c in "${configs[@]}"; do wrk_result "$c" 1 1 3 "$pause_ms" >/dev/null; done
  for r in $(seq 1 "$paced_rounds"); do for c in "${configs[@]}"; do paced "$c" "$r"; done; done
fi

calls=""
if $syscalls; then
  command -v perf >/dev/null 2>&1 || die "perf is missing (Debian: linux-perf)"
  calls="$work/syscalls.txt"
  names=writev,write,read,readv,epoll_ctl,epoll_wait,epoll_pwait,futex,sendto,recvfrom
  for c in "${floors[@]}"; do
    wrk -t2 -c64 -d12s -s "$bench/report.lua" -H "Authorization: ${auth[$c]}" "${url[$c]}" >"$work/wrk-$c" &
    load=$!
    sleep 1
    perf stat -x, -e "$(sed 's/\([a-z_]*\)/syscalls:sys_enter_\1/g' <<<"$names")" -p "${pid[$c]}" -- sleep 10 2>"$work/perf-$c"
    wait "$load"
    requests="$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$work/wrk-$c")"
    # The count covers 10 of wrk's 12 s.
    awk -F, -v c="$c" -v n="$requests" '$1 > 0 { sub("syscalls:sys_enter_", "", $3); t += $1; line = line sprintf(", %s %.2f", $3, $1 / (n * 10 / 12)) }
      END { printf "- %s: %.1f system calls per request (%s)\n", c, t / (n * 10 / 12), substr(line, 3) }' "$work/perf-$c" | tee -a "$calls" >&2
  done
fi

# netty-work must have written every audit record it submitted: stopped gracefully (its shutdown
# hook drains the queue), its own count against the rows in its database.
kill -TERM "${pid[netty-work]}"
wait "${pid[netty-work]}" 2>/dev/null || true
submitted="$(sed -n 's/^netty-work: \([0-9]*\) audit records submitted$/\1/p' "$work/netty-work.out")"
rows="$(h2_request_rows "$jar" "$work_home")"
[ -n "$submitted" ] && [ "$submitted" = "$rows" ] ||
  die "netty-work lost audit records: ${submitted:-?} submitted, ${rows:-?} REQUEST rows in its database"
audit_check="netty-work: $rows REQUEST rows in its database for $submitted audit records submitted."
refusals="$(sed -n 's/^netty-work: \([0-9]*\) refused for want of audit room, \([0-9]*\) otherwise$/\1 \2/p' "$work/netty-work.out")"
# One refusal otherwise is this script's own: the wrong password it sends at start-up.
[ -n "$refusals" ] && [ "${refusals#* }" = 1 ] ||
  die "netty-work refused requests for reasons other than audit room (one, the wrong password sent at start-up, expected): ${refusals:-none printed}"
if [ "${refusals% *}" != 0 ]; then
  audit_check="$audit_check It refused ${refusals% *} requests with 503 for want of audit room (its audit writer fell behind;
the product would wait for room on a worker, then answer 503 too); its req/s counts only the requests it served."
fi
log "$audit_check"

mkdir -p "$out"
cp "$runs" "$out/floor-runs.tsv"
cp "$paced" "$out/floor-paced.tsv"
median() { # the median of a list of numbers on stdin
  sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
column() { # column $2 over the rounds of config $1, in $3 (default the loaded runs)
  awk -F'\t' -v c="$1" -v col="$2" '$1 == c && $col != "" { print $col }' "${3:-$runs}" | median
}
ms() { awk '{ printf "%.2f", $1 / 1000 }'; } # microseconds on stdin, as milliseconds
ratio() { # column $2 of config $1 divided by the baseline's in the same round: the machine's drift cancels
  awk -F'\t' -v c="$1" -v col="$2" '$1 == "baseline" { b[$2] = $col } $1 == c { v[$2] = $col }
    END { for (r in v) printf "%.2f\n", v[r] / b[r] }' "$runs" | median
}
paced_added() { # config $1's paced p99 less direct's in the same round, in ms
  awk -F'\t' -v c="$1" '$1 == "direct" { d[$2] = $4 } $1 == c { v[$2] = $4 }
    END { for (r in v) print v[r] - d[r] }' "$paced" | median | ms
}
{
  echo "# Floor of each HTTP stack, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Commit $(git -C "$root" rev-parse --short HEAD), $(nproc) CPUs ($(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n1))," \
    "wrk 2 threads, 64 connections, $rounds interleaved rounds of $seconds s after $warmups × 10 s of warm-up per JVM;" \
    "JVM options: $java_opts. Medians over the rounds; the ratios are medians of each round's ratio to that round's" \
    "baseline. Runs: floor-runs.tsv."
  echo
  echo "| configuration | req/s | p99 ms | req/s ÷ baseline | p99 ÷ baseline | CPU µs per request | RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for c in "${configs[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$c" "$(column "$c" 3)" "$(column "$c" 4 | ms)" \
      "$(ratio "$c" 3)" "$(ratio "$c" 4)" "$(column "$c" 5)" "$(column "$c" 6)"
  done
  if [ "$paced_rounds" -gt 0 ]; then
    echo
    echo "At 1 connection, paced ($pause_ms ms between a response and the next request), $paced_rounds interleaved rounds of 10 s;"
    echo "medians over the rounds, the added p99 the median of each round's p99 less direct's in that round (floor-paced.tsv):"
    echo
    echo "| configuration | p50 ms | p99 ms | added p99 over direct, ms |"
    echo "|---|---:|---:|---:|"
    for c in "${configs[@]}"; do
      printf '| %s | %s | %s | %s |\n' "$c" "$(column "$c" 3 "$paced" | ms)" "$(column "$c" 4 "$paced" | ms)" \
        "$([ "$c" = direct ] && echo "—" || paced_added "$c")"
    done
  fi
  echo
  echo "$audit_check"
  if [ -n "$calls" ]; then
    echo
    echo "System calls per request at 64 connections (perf stat, 10 s):"
    echo
    cat "$calls"
  fi
} >"$out/floor.md"
cat "$out/floor.md"
