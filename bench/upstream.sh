# Sourced by bench/gateway.sh and bench/ab.sh: the benchmark request, and the nginx upstream
# that answers it like Jira would.

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
