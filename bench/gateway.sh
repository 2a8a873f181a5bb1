#!/usr/bin/env bash
# Load benchmark of the data plane: tokengate against nginx, on loopback, in one run.
#
#   bench/gateway.sh [--quick] [--profile] [--no-install] [--no-build] [--keep] [--out DIR]
#
# Configurations, all serving the same ~250-byte Jira-like JSON:
#   direct        nginx serving it (the upstream of every other configuration)
#   baseline      nginx proxy_pass to the upstream: upstream keepalive, auth_basic with a {SHA}
#                 htpasswd, access log -- what a sysadmin builds by hand
#   tokengate-h2  tokengate (./tokengate serve, i.e. java -jar tokengate.jar serve with the
#                 launcher's JVM options; TOKENGATE_JAVA_OPTS replaces them): Basic token auth, the 20 rules of
#                 bench/limits-20.txt (the request is allowed by the last), audit log on embedded H2
#   tokengate-pg  the same with the store and audit log on PostgreSQL (127.0.0.1:5432, trust,
#                 a fresh database created from `test` and dropped afterwards)
#
# wrk with 2 threads and 64 connections for a fixed duration after a warm-up (each tokengate
# keeps warming up until its JIT compilers settle: about a minute on two cores), repetitions
# interleaved across configurations (so that other load on the machine hits them alike), then
# runs with 1 connection for added latency: back to back (as fast as one connection goes), and
# paced (1 ms between a response and the next request: a client that calls now and then; see
# report.lua for why the two differ so). After every tokengate run, the audit records
# written (the writer's count) must equal the requests the server answered, and lie between what
# wrk counted and that plus one per connection; at the end, with the servers stopped, the
# REQUEST rows in each database must equal every request answered (no loss). Writes gateway.md,
# gateway.png and gateway-runs.tsv to bench/results/ (bench/results/quick/ with --quick).
#
# Full mode takes about 11 minutes plus the build; --quick about 3. Only loopback addresses are
# used; every process started here is stopped on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
jar="$root/tokengate-server/target/tokengate.jar"
# shellcheck source=upstream.sh
. "$bench/upstream.sh"

quick=false
profile=false
install=true
build=true
keep=false
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --profile) profile=true ;;
    --no-install) install=false ;;
    --no-build) build=false ;;
    --keep) keep=true ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

if $quick; then
  warmup=2; duration=5; reps=1; unloaded_warmup=1; unloaded_duration=3; unloaded_reps=1; paced_duration=5; jit_warmup_cap=30
  out="${out:-$bench/results/quick}"
else
  warmup=5; duration=20; reps=3; unloaded_warmup=2; unloaded_duration=5; unloaded_reps=3; paced_duration=10; jit_warmup_cap=180
  out="${out:-$bench/results}"
fi
connections=64
threads=2
pause_ms=1 # between a response and the next request in the paced runs
port_base="${BENCH_PORT_BASE:-18190}"
pg_admin_url="${BENCH_PG:-postgresql://postgres@127.0.0.1:5432/test}"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# What it needs: Debian packages, installed when missing.
$install && install_missing nginx=nginx wrk=wrk gnuplot=gnuplot-nox psql=postgresql-client curl=curl openssl=openssl
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
for tool in "$nginx_bin" wrk gnuplot psql curl openssl java; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (run without --no-install, or install it)"
done

if $build; then
  log "building tokengate.jar (./mvnw package, tests skipped)"
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl tokengate-server -am package >&2)
fi
[ -f "$jar" ] || die "$jar not found (run without --no-build)"

# ---------------------------------------------------------------------------------------------
# Ports, work directory, and the clean-up that runs however the script ends.
up_port=$((port_base + 1))
baseline_port=$((port_base + 2))
h2_port=$((port_base + 3)); h2_admin=$((port_base + 4))
pg_port=$((port_base + 5)); pg_admin=$((port_base + 6))
for p in $up_port $baseline_port $h2_port $h2_admin $pg_port $pg_admin; do
  if ss -Hltn "sport = :$p" | grep -q .; then
    die "port $p is in use (another benchmark running? set BENCH_PORT_BASE)"
  fi
done

work="$(mktemp -d /tmp/tokengate-bench.XXXXXX)"
pids=()
pg_db=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$pg_db" ]; then
    psql "$pg_admin_url" -qAt -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 ||
      log "could not drop database $pg_db"
  fi
  if $keep; then log "kept $work"; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$out"
started_at="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# The code measured: uncommitted changes outside bench/results (which this run rewrites) count.
dirty=""
[ -n "$(git -C "$root" status --porcelain --untracked-files=no -- . ':!bench/results' 2>/dev/null)" ] &&
  dirty=" (uncommitted changes)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "work directory $work; results to $out"

# ---------------------------------------------------------------------------------------------
# nginx: the upstream and the hand-built baseline, one instance.
bench_user=bench
htpasswd_secret="$(openssl rand -hex 12)"
write_baseline_conf "$work/nginx" "$up_port" "$baseline_port" "$bench_user" "$htpasswd_secret"
"$nginx_bin" -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' || die "nginx configuration rejected"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

# ---------------------------------------------------------------------------------------------
# tokengate: two homes (H2, PostgreSQL), an admin user and the benchmark token in each, made
# with the command line as an operator would.
tg() { "$root/tokengate" "$@"; }
admin_user=benchadmin
admin_password="$(openssl rand -hex 16)"
pg_db="tg_bench_$(date +%s)_$$"
psql "$pg_admin_url" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_db" >/dev/null ||
  { pg_db=""; die "cannot create a database on $pg_admin_url (is PostgreSQL running with trust auth?)"; }
pg_jdbc="jdbc:postgresql://127.0.0.1:5432/$pg_db?user=postgres"

declare -A tg_port tg_admin tg_secret tg_pid
tg_port[tokengate-h2]=$h2_port; tg_admin[tokengate-h2]=$h2_admin
tg_port[tokengate-pg]=$pg_port; tg_admin[tokengate-pg]=$pg_admin
for name in tokengate-h2 tokengate-pg; do
  home="$work/$name"
  mkdir -p "$home"
  {
    echo "gateway.host=127.0.0.1"
    echo "gateway.port=${tg_port[$name]}"
    echo "gateway.public.url=http://127.0.0.1:${tg_port[$name]}"
    echo "admin.port=${tg_admin[$name]}"
    echo "upstream.url=http://127.0.0.1:$up_port"
    echo "node.id=$name"
    [ "$name" = tokengate-pg ] && echo "db.url=$pg_jdbc"
  } >"$home/tokengate.properties"
  log "$name: creating the admin user and the benchmark token"
  printf '%s\n' "$admin_password" | tg user add "$admin_user" --admin --password-stdin --home "$home" >/dev/null
  tg_secret[$name]="$(bench_token "$home" "$root/tokengate")"
  [ -n "${tg_secret[$name]}" ] || die "$name: token creation printed no secret"
done

for name in tokengate-h2 tokengate-pg; do
  # The launcher execs java, so $! is the JVM. --profile adds a flight recording through
  # JDK_JAVA_OPTIONS, which leaves the launcher's own options as they are.
  jfr_opts=""
  $profile && jfr_opts="-XX:StartFlightRecording=filename=$out/$name.jfr,settings=profile,dumponexit=true"
  JDK_JAVA_OPTIONS="$jfr_opts" "$root/tokengate" serve --home "$work/$name" >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  pids+=("$pid")
  tg_pid[$name]=$pid
done
for name in tokengate-h2 tokengate-pg; do
  await_ready "${tg_pid[$name]}" "${tg_admin[$name]}" ||
    { cat "$work/$name.err" >&2; die "$name exited at start-up or was not ready after 60 s"; }
done
# The JVM options in effect, as the process was started (everything before -jar).
java_opts="$(jvm_options "${tg_pid[tokengate-h2]}")"

# ---------------------------------------------------------------------------------------------
# Every configuration answers the benchmark request with the upstream's body before any load.
configs=(direct baseline tokengate-h2 tokengate-pg)
declare -A url auth
url[direct]="http://127.0.0.1:$up_port$bench_path"
auth[direct]="$(basic "$bench_user" "$htpasswd_secret")"
url[baseline]="http://127.0.0.1:$baseline_port$bench_path"
auth[baseline]="$(basic "$bench_user" "$htpasswd_secret")"
for name in tokengate-h2 tokengate-pg; do
  url[$name]="http://127.0.0.1:${tg_port[$name]}$bench_path"
  auth[$name]="$(basic "$bench_user" "${tg_secret[$name]}")"
done
for c in "${configs[@]}"; do
  got="$(curl -sS -H "Authorization: ${auth[$c]}" -w '\n%{http_code}' "${url[$c]}")"
  [ "$(tail -n1 <<<"$got")" = 200 ] && [ "$(head -n1 <<<"$got")" = "$bench_body" ] ||
    die "$c does not answer 200 with the upstream's body: $got"
  # A wrong password must be refused, so that the benchmark measures the real checks.
  if [ "$c" != direct ]; then
    code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: $(basic "$bench_user" wrong)" "${url[$c]}")"
    [ "$code" = 401 ] || die "$c answers $code to a wrong password"
  fi
done
log "every configuration answers; measuring"

# ---------------------------------------------------------------------------------------------
# Runs.
runs="$out/gateway-runs.tsv"
printf 'config\tphase\trep\tconnections\tseconds\trequests\treq_per_s\tp50_us\tp90_us\tp99_us\tmax_us\terrors\trss_peak_mib\tserved\taudited\taudit_ok\tjit_s\tyoung_gcs\tfull_gcs\n' >"$runs"
declare -A rss_peak
failures=0
jit_unsettled=()

metric_requests() { # data-plane responses the server counted (all decisions and statuses)
  curl -fsS "http://127.0.0.1:$1/metrics" | awk '/^tokengate_requests_total\{/ { s += $NF } END { printf "%d\n", s }'
}
audit_written() { # audit records the writer has committed to the database
  curl -fsS "http://127.0.0.1:$1/metrics" | awk '/^tokengate_audit_written_total/ { s += $NF } END { printf "%d\n", s }'
}

# run CONFIG PHASE REP CONNECTIONS SECONDS RECORD(yes|no) [PAUSE_MS]
run() {
  local c=$1 phase=$2 rep=$3 conns=$4 secs=$5 record=$6 pause=${7:-0}
  local t=$threads; [ "$conns" -lt "$threads" ] && t=$conns
  local admin="" m0=0 a0=0 j0="" jit="" g0="" gcs="" sampler=""
  if [[ $c == tokengate-* ]]; then
    admin=${tg_admin[$c]}
    m0="$(metric_requests "$admin")"
    a0="$(audit_written "$admin")"
    j0="$(jit_seconds "${tg_pid[$c]}")"
    g0="$(gc_counts "${tg_pid[$c]}")"
    if [ "$conns" -gt 1 ]; then
      local pid=${tg_pid[$c]}
      (while kill -0 "$pid" 2>/dev/null; do awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; sleep 0.5; done) \
        >"$work/rss-$c-$phase-$rep" 2>/dev/null &
      sampler=$!
    fi
  fi
  BENCH_PAUSE_MS=$pause wrk -t"$t" -c"$conns" -d"${secs}s" --timeout 10s -s "$bench/report.lua" \
    -H "Authorization: ${auth[$c]}" "${url[$c]}" >"$work/wrk.out" 2>&1 || { cat "$work/wrk.out" >&2; die "wrk failed on $c"; }
  local result
  result="$(grep '^RESULT' "$work/wrk.out")" || { cat "$work/wrk.out" >&2; die "wrk printed no result on $c"; }
  local kv requests duration_us connect read write status timeout p50 p90 p99 max
  for kv in ${result#RESULT }; do local "$kv"; done
  local errors=$((connect + read + write + status + timeout))
  local rss="" served="" audited="" ok=""
  [ -n "$j0" ] && jit="$(awk -v a="$j0" -v b="$(jit_seconds "${tg_pid[$c]}")" 'BEGIN { printf "%.2f", b - a }')"
  # Collections during the run, young and full: "young<TAB>full".
  [ -n "$g0" ] && gcs="$(printf '%s %s\n' "$g0" "$(gc_counts "${tg_pid[$c]}")" | awk '{ printf "%d\t%d", $3 - $1, $4 - $2 }')"
  if [ -n "$sampler" ]; then
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    rss="$(sort -n "$work/rss-$c-$phase-$rep" | tail -n1 | awk '{ printf "%.0f", $1 / 1024 }')"
    if [ "$record" = yes ] && [ "${rss:-0}" -gt "${rss_peak[$c]:-0}" ]; then rss_peak[$c]=$rss; fi
  fi
  if [ -n "$admin" ]; then
    # Every answered request must reach the audit log: wait for the batch writer, then compare.
    local deadline=$((SECONDS + 30))
    while :; do
      served=$(( $(metric_requests "$admin") - m0 ))
      audited=$(( $(audit_written "$admin") - a0 ))
      [ "$audited" -eq "$served" ] && break
      [ $SECONDS -ge $deadline ] && break
      sleep 0.2
    done
    # The server may have answered up to one request per connection that wrk no longer counted.
    if [ "$audited" -eq "$served" ] && [ "$served" -ge "$requests" ] && [ "$served" -le $((requests + conns)) ]; then
      ok=yes
    else
      ok=NO; failures=$((failures + 1))
      log "AUDIT MISMATCH on $c: wrk completed $requests, server answered $served, audit records $audited"
    fi
  fi
  if [ "$errors" -gt 0 ]; then
    failures=$((failures + 1))
    log "ERRORS on $c: $result"
  fi
  local rps
  rps="$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')"
  log "$(printf '%-13s %-9s %s  %8s req/s  p50 %6.2f ms  p99 %6.2f ms%s%s' "$c" "$phase" "$rep" "$rps" \
    "$(awk -v v="$p50" 'BEGIN { print v / 1000 }')" "$(awk -v v="$p99" 'BEGIN { print v / 1000 }')" \
    "${rss:+  RSS ${rss} MiB}" "${ok:+  audit $audited/$served $ok}")${jit:+  JIT ${jit} s}${gcs:+  GC $(tr '\t' / <<<"$gcs") young/full}"
  if [ "$record" = yes ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$phase" "$rep" "$conns" "$secs" \
      "$requests" "$rps" "$p50" "$p90" "$p99" "$max" "$errors" "$rss" "$served" "$audited" "$ok" "$jit" "${gcs:-$'\t'}" >>"$runs"
  fi
}

gc_counts() { # young and full collections of a JVM so far: "YOUNG FULL"
  jstat -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } NR == 2 { print $col["YGC"], $col["FGC"] }'
}
jit_seconds() { # seconds the JVM's JIT compilers have spent so far
  jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'
}
for c in "${configs[@]}"; do run "$c" warm-up 0 $connections $warmup no; done
# The JVM compiles for about a minute under this load on two cores before its code settles;
# measuring before then measures the compiler. Each tokengate keeps warming up, 10 s at a time,
# until the JIT spends less than a tenth of a core on it (or the cap is reached, which is said).
for c in tokengate-h2 tokengate-pg; do
  started=$SECONDS
  while :; do
    j0="$(jit_seconds "${tg_pid[$c]}")"
    run "$c" warm-up 0 $connections 10 no
    jit="$(awk -v a="$j0" -v b="$(jit_seconds "${tg_pid[$c]}")" 'BEGIN { printf "%.2f", b - a }')"
    if awk -v j="$jit" 'BEGIN { exit !(j < 1.0) }'; then
      log "$c: JIT settled after $((SECONDS - started + warmup)) s of load ($jit s compiling in the last 10 s)"
      break
    fi
    if [ $((SECONDS - started)) -ge "$jit_warmup_cap" ]; then
      log "$c: JIT still compiling after ${jit_warmup_cap} s ($jit s in the last 10 s); measuring anyway"
      jit_unsettled+=("$c")
      break
    fi
  done
done
for rep in $(seq 1 $reps); do
  for c in "${configs[@]}"; do run "$c" loaded "$rep" $connections $duration yes; done
done
for c in "${configs[@]}"; do run "$c" warm-up 0 1 $unloaded_warmup no; done
for rep in $(seq 1 $unloaded_reps); do
  for c in "${configs[@]}"; do run "$c" unloaded "$rep" 1 $unloaded_duration yes; done
done
for rep in $(seq 1 $unloaded_reps); do
  for c in "${configs[@]}"; do run "$c" paced "$rep" 1 $paced_duration yes $pause_ms; done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# The audit log itself: stop the servers (a graceful stop drains the queue), then count the
# REQUEST rows in each database against every request the server answered.
declare -A answered rows
for name in tokengate-h2 tokengate-pg; do
  answered[$name]="$(metric_requests "${tg_admin[$name]}")"
  kill -TERM "${tg_pid[$name]}"
done
for name in tokengate-h2 tokengate-pg; do
  wait "${tg_pid[$name]}" 2>/dev/null || true
done
rows[tokengate-h2]="$(h2_request_rows "$jar" "$work/tokengate-h2")"
rows[tokengate-pg]="$(psql "${pg_admin_url%/*}/$pg_db" -qAt -c "select count(*) from audit_events where kind = 'REQUEST'")"
for name in tokengate-h2 tokengate-pg; do
  if [ "${rows[$name]:-x}" = "${answered[$name]}" ]; then
    log "$name: ${rows[$name]} REQUEST rows in the database for ${answered[$name]} requests answered"
  else
    failures=$((failures + 1))
    log "AUDIT MISMATCH in the $name database: ${rows[$name]:-?} REQUEST rows for ${answered[$name]} requests answered"
  fi
done

# ---------------------------------------------------------------------------------------------
# Results: medians over repetitions, ratios to the baseline, Markdown and PNG.
median() { # median of column $3 for config $1 and phase $2
  awk -F'\t' -v c="$1" -v p="$2" -v col="$3" \
    'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) k = i; next } $1 == c && $2 == p { print $k }' "$runs" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A rps p50 p99 up50 up99 pp50 pp99
for c in "${configs[@]}"; do
  rps[$c]=$(median "$c" loaded req_per_s)
  p50[$c]=$(median "$c" loaded p50_us)
  p99[$c]=$(median "$c" loaded p99_us)
  up50[$c]=$(median "$c" unloaded p50_us)
  up99[$c]=$(median "$c" unloaded p99_us)
  pp50[$c]=$(median "$c" paced p50_us)
  pp99[$c]=$(median "$c" paced p99_us)
done
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
spread() { # "MIN MAX PCT" of config $1's loaded req/s over the repetitions; PCT: half the range, % of the median
  awk -F'\t' -v c="$1" -v m="${rps[$1]}" '$1 == c && $2 == "loaded" {
      if (n++ == 0 || $7 < lo) lo = $7; if ($7 > hi) hi = $7 }
    END { printf "%d %d %.0f\n", lo, hi, (m > 0 ? 50 * (hi - lo) / m : 0) }' "$runs"
}
steadiness() { # the nginx configurations' spread; flagged when the machine changed speed during the run
  local dlo dhi dpct blo bhi bpct
  read -r dlo dhi dpct <<<"$(spread direct)"
  read -r blo bhi bpct <<<"$(spread baseline)"
  printf 'Machine steadiness over the repetitions: direct %s-%s req/s (±%s %%), baseline %s-%s req/s (±%s %%)' \
    "$dlo" "$dhi" "$dpct" "$blo" "$bhi" "$bpct"
  if [ "$dpct" -gt 10 ] || [ "$bpct" -gt 10 ]; then
    printf ' (**the machine changed speed during the run: compare ratios only, and with care**)'
  fi
  echo .
}
ms() { calc '%.2f' "$1 / 1000"; }
audit_summary() {
  awk -F'\t' -v c="$1" '$1 == c { n++; if ($16 == "yes") ok++; s += $14 }
    END { printf "%d/%d runs", ok, n }' "$runs"
  if [ "${rows[$1]:-x}" = "${answered[$1]}" ]; then printf '; database: %s rows = answered' "${rows[$1]}"
  else printf '; database: **%s rows for %s answered**' "${rows[$1]:-?}" "${answered[$1]}"; fi
}

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
jdk="$(java -version 2>&1 | head -n1)"
nginx_version="$("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
mode="full: ${warmup} s warm-up (tokengate: until its JIT settles, at most ${jit_warmup_cap} s more), ${reps}×${duration} s per configuration"
$quick && mode="quick: ${warmup} s warm-up (tokengate: at most ${jit_warmup_cap} s more for its JIT), ${reps}×${duration} s per configuration (development only)"
gc_note() { # collections during config $1's measured runs, per phase: "loaded 310 young, 4 full; ..."
  awk -F'\t' -v c="$1" '$1 == c && $2 != "warm-up" { y[$2] += $18; f[$2] += $19 }
    END { printf "loaded %d young, %d full; back to back %d young, %d full; paced %d young, %d full",
      y["loaded"], f["loaded"], y["unloaded"], f["unloaded"], y["paced"], f["paced"] }' "$runs"
}
jit_note() { # JIT seconds spent during the measured loaded runs of config $1, as "a / b / c"
  awk -F'\t' -v c="$1" '$1 == c && $2 == "loaded" { printf "%s%s", (n++ ? " / " : ""), $17 }' "$runs"
}

verdict() { # measured, comparison, target
  if awk "BEGIN { exit !($1 $2 $3) }"; then echo "met"; else echo "**not met**"; fi
}
best_rps_ratio=$(calc '%.2f' "${rps[tokengate-h2]} / ${rps[baseline]}")
pg_rps_ratio=$(calc '%.2f' "${rps[tokengate-pg]} / ${rps[baseline]}")
h2_p99_ratio=$(calc '%.2f' "${p99[tokengate-h2]} / ${p99[baseline]}")
pg_p99_ratio=$(calc '%.2f' "${p99[tokengate-pg]} / ${p99[baseline]}")
# added COLUMN CONFIG: CONFIG's 1-connection p99 less direct's, in ms; COLUMN is up99 (back to
# back) or pp99 (paced).
added() { local -n column=$1; calc '%.2f' "(${column[$2]} - ${column[direct]}) / 1000"; }
h2_added=$(added up99 tokengate-h2)
pg_added=$(added up99 tokengate-pg)
h2_paced_added=$(added pp99 tokengate-h2)
pg_paced_added=$(added pp99 tokengate-pg)

md="$out/gateway.md"
{
  echo "# Gateway benchmark: tokengate against nginx"
  echo
  echo "Run $started_at, commit $commit$dirty, $mode, 1-connection runs ${unloaded_reps}×${unloaded_duration} s back to back"
  echo "and ${unloaded_reps}×${paced_duration} s paced (${pause_ms} ms between a response and the next request)."
  echo "wrk $threads threads, $connections connections; all on loopback. Figures are medians over"
  echo "repetitions; only the ratios to the baseline mean anything on another machine."
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
  echo "load average ${load_before} before, ${load_after} after. $jdk; nginx $nginx_version."
  echo "tokengate JVM options: \`${java_opts:-(none)}\`$($profile && echo " plus a flight recording")."
  steadiness
  echo "JIT compile time during the measured loaded runs, seconds per run: tokengate-h2 $(jit_note tokengate-h2);"
  echo "tokengate-pg $(jit_note tokengate-pg)$([ ${#jit_unsettled[@]} -gt 0 ] && echo " (**still compiling when measured: ${jit_unsettled[*]}**)")."
  echo "Garbage collections during the measured runs (all repetitions): tokengate-h2 $(gc_note tokengate-h2);"
  echo "tokengate-pg $(gc_note tokengate-pg). A full collection stops the server for tens of milliseconds."
  echo
  echo "| configuration | req/s | p50 ms | p99 ms | req/s ÷ baseline | p99 ÷ baseline | 1-conn p50 ms | 1-conn p99 ms | added p99 over direct, ms | paced p50 ms | paced p99 ms | added paced p99, ms | peak RSS MiB | audit = served |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for c in "${configs[@]}"; do
    back_to_back_added="$(added up99 "$c")"
    paced_added="$(added pp99 "$c")"
    [ "$c" = direct ] && back_to_back_added="—" && paced_added="—"
    audit="—"; rss="—"
    if [[ $c == tokengate-* ]]; then audit="$(audit_summary "$c")"; rss="${rss_peak[$c]:-?}"; fi
    echo "| $c | ${rps[$c]} | $(ms "${p50[$c]}") | $(ms "${p99[$c]}") | $(calc '%.2f' "${rps[$c]} / ${rps[baseline]}") | $(calc '%.2f' "${p99[$c]} / ${p99[baseline]}") | $(ms "${up50[$c]}") | $(ms "${up99[$c]}") | $back_to_back_added | $(ms "${pp50[$c]}") | $(ms "${pp99[$c]}") | $paced_added | $rss | $audit |"
  done
  echo
  echo "| target | tokengate-h2 | tokengate-pg |"
  echo "|---|---|---|"
  echo "| throughput ≥ 0.8 × baseline | $best_rps_ratio × ($(verdict "$best_rps_ratio" '>=' 0.8)) | $pg_rps_ratio × ($(verdict "$pg_rps_ratio" '>=' 0.8)) |"
  echo "| p99 ≤ 1.5 × baseline | $h2_p99_ratio × ($(verdict "$h2_p99_ratio" '<=' 1.5)) | $pg_p99_ratio × ($(verdict "$pg_p99_ratio" '<=' 1.5)) |"
  echo "| unloaded added p99 ≤ 0.3 ms: 1 connection, paced | $h2_paced_added ms ($(verdict "$h2_paced_added" '<=' 0.3)) | $pg_paced_added ms ($(verdict "$pg_paced_added" '<=' 0.3)) |"
  echo "| the same, back to back (wrk-corrected: pauses weigh by the requests they hold up at full rate) | $h2_added ms ($(verdict "$h2_added" '<=' 0.3)) | $pg_added ms ($(verdict "$pg_added" '<=' 0.3)) |"
  echo "| RSS < 300 MiB at $connections connections | ${rss_peak[tokengate-h2]:-?} MiB ($(verdict "${rss_peak[tokengate-h2]:-999}" '<' 300)) | ${rss_peak[tokengate-pg]:-?} MiB ($(verdict "${rss_peak[tokengate-pg]:-999}" '<' 300)) |"
  echo
  echo "Raw runs: \`gateway-runs.tsv\`; chart: \`gateway.png\`."
  [ "$failures" -eq 0 ] || echo "**$failures run(s) had errors or an audit mismatch: see the log of the run.**"
} >"$md"

{
  echo "# config req_per_s p50_ms p99_ms unloaded_p50_ms unloaded_p99_ms paced_p50_ms paced_p99_ms"
  for c in "${configs[@]}"; do
    echo "$c ${rps[$c]} $(ms "${p50[$c]}") $(ms "${p99[$c]}") $(ms "${up50[$c]}") $(ms "${up99[$c]}") $(ms "${pp50[$c]}") $(ms "${pp99[$c]}")"
  done
} >"$work/chart.dat"
gnuplot <<EOF
set terminal pngcairo size 2000,560 font "sans,11"
set output "$out/gateway.png"
set multiplot layout 1,4 title "tokengate vs nginx, $started_at ($( $quick && echo quick || echo full ) run, $(nproc) CPUs, shared machine)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set xtics nomirror
set key top left
set bmargin 4
lbl(s) = s eq "tokengate-h2" ? "tokengate\nH2" : s eq "tokengate-pg" ? "tokengate\nPostgreSQL" : s
set title "throughput, $connections connections (req/s, higher is better)"
plot "$work/chart.dat" using 2:xtic(lbl(strcol(1))) notitle lc rgb "#4477aa", \
     "" using 0:2:(sprintf("%d", \$2)) with labels offset 0,0.8 notitle
set title "latency, $connections connections (ms, lower is better)"
plot "$work/chart.dat" using 3:xtic(lbl(strcol(1))) title "p50" lc rgb "#66ccee", "" using 4 title "p99" lc rgb "#ee6677"
set title "latency, 1 connection back to back (ms, lower is better)"
plot "$work/chart.dat" using 5:xtic(lbl(strcol(1))) title "p50" lc rgb "#66ccee", "" using 6 title "p99" lc rgb "#ee6677"
set title "latency, 1 connection paced, ${pause_ms} ms apart (ms, lower is better)"
plot "$work/chart.dat" using 7:xtic(lbl(strcol(1))) title "p50" lc rgb "#66ccee", "" using 8 title "p99" lc rgb "#ee6677"
unset multiplot
EOF

cat "$md"
if $profile; then
  log "flight recordings are written when the servers stop: $out/tokengate-h2.jfr, $out/tokengate-pg.jfr"
fi
[ "$failures" -eq 0 ] || die "$failures run(s) had errors or an audit mismatch"
