# Sourced by bench/gateway.sh, bench/ab.sh and bench/floor.sh: the benchmark request, the nginx
# upstream that answers it like Jira would, the nginx baseline, and what the scripts share.

bench_path='/rest/api/2/issue/BENCH-1?fields=summary,status'
bench_body='{"id":"10001","key":"BENCH-1","self":"http://jira.example.com/rest/api/2/issue/10001","fields":{"summary":"Gateway benchmark issue","status":{"self":"http://jira.example.com/rest/api/2/status/3","name":"In Progress","id":"3"},"updated":"2026-11-28T12:00:00.000+0000"}}'

# write_nginx_conf DIR PORT [MORE]: DIR/nginx.conf for an nginx whose server on 127.0.0.1:PORT
# answers every /rest/ request with bench_body (the Jira-like upstream); MORE goes into its http
# block as it is.
write_nginx_conf() {
  local dir=$1 port=$2 more=${3:-} user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user root;"
  mkdir -p "$dir/logs"
  cat >"$dir/nginx.conf" <<NGINX
$user_line
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  # direct: the Jira-like upstream
  server {
    listen 127.0.0.1:$port;
    location /rest/ {
      default_type application/json;
      return 200 '$bench_body';
    }
  }
$more
}
NGINX
}

# write_baseline_conf DIR UPSTREAM_PORT BASELINE_PORT USER SECRET: DIR/nginx.conf (and
# DIR/htpasswd) for one nginx serving both the upstream on UPSTREAM_PORT and, on BASELINE_PORT,
# the hand-built baseline: proxy_pass to it with upstream keepalive, auth_basic against a {SHA}
# htpasswd holding USER:SECRET, and an access log -- what a sysadmin builds by hand in front of Jira.
write_baseline_conf() {
  local dir=$1 up=$2 port=$3 user=$4 secret=$5
  mkdir -p "$dir"
  printf '%s:{SHA}%s\n' "$user" "$(printf '%s' "$secret" | openssl dgst -binary -sha1 | openssl base64 -A)" >"$dir/htpasswd"
  write_nginx_conf "$dir" "$up" "$(cat <<NGINX
  upstream jira {
    server 127.0.0.1:$up;
    keepalive 64;
  }
  # baseline: what a sysadmin builds by hand in front of Jira
  server {
    listen 127.0.0.1:$port;
    access_log $dir/logs/baseline-access.log combined;
    location /rest/ {
      auth_basic "jira";
      auth_basic_user_file $dir/htpasswd;
      proxy_pass http://jira;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_set_header X-Forwarded-User \$remote_user;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
NGINX
)"
}

# install_missing COMMAND=PACKAGE...: installs, with apt-get, the Debian packages whose command is
# missing. Debian starts a packaged nginx on port 80; the benchmarks run their own, so that one is
# stopped.
install_missing() {
  local pair missing=() sudo_=""
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%=*}" ] || missing+=("${pair#*=}")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "installing ${missing[*]} (apt-get)" >&2
  [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" nginx "* ]] && command -v service >/dev/null 2>&1; then
    $sudo_ service nginx stop >/dev/null 2>&1 || true
  fi
}

# start_work NAME: a fresh directory in $work and an empty $pids for the caller to add to; on exit,
# however the script ends, every process in $pids is stopped and the directory removed.
start_work() {
  work="$(mktemp -d "/tmp/tokengate-$1.XXXXXX")"
  pids=()
  trap stop_work EXIT
}
stop_work() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

# basic USER SECRET: an Authorization header value for HTTP Basic.
basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | openssl base64 -A)"; }

# bench_token HOME COMMAND...: creates the benchmark token in HOME (user bench, the 20 rules of
# limits-20.txt) with COMMAND (the launcher, or java -jar JAR) and prints its secret; prints
# nothing if the command printed none.
bench_token() {
  local home=$1
  shift
  "$@" token create --home "$home" --name bench --user bench \
    --limits-file "$(dirname "${BASH_SOURCE[0]}")/limits-20.txt" --json |
    sed -n 's/^ *"token" : "\(tgk_[A-Za-z0-9]*\)".*/\1/p'
}

# await_ready PID ADMIN_PORT: waits up to 60 s for a starting tokengate's /health/ready; fails if
# the process exits first or is not ready by then.
await_ready() {
  local _
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:$2/health/ready" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

# jvm_options PID: the JVM options a java process was started with (everything before -jar).
jvm_options() { tr '\0' ' ' <"/proc/$1/cmdline" | sed 's/ -jar .*//; s/^[^ ]*java *//'; }

# h2_request_rows JAR HOME: the REQUEST rows in the audit log of the embedded database in HOME,
# read with H2's shell from JAR (the database must be closed).
h2_request_rows() {
  java -cp "$1" org.h2.tools.Shell -user "" -password "" \
    -url "jdbc:h2:file:$2/data/tokengate;DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0" \
    -sql "select 'rows=' || count(*) from audit_events where kind = 'REQUEST'" | sed -n 's/^rows=\([0-9]*\).*/\1/p'
}
