#!/usr/bin/env bash
# The load comparison of issue 3: Scimitar's fast path (token cache hit -> membership lookup ->
# route match -> forward) against the reverse proxies people use today, side by side, on loopback.
#
#   benchmarks/load/run.sh            # after: ./mvnw -B -o -q -DskipTests package
#
# Everything it starts is stopped on exit, on failure and on Ctrl-C. Knobs (environment):
#   ROUNDS=2 PRIME=15 WARMUP=5 DURATION=10 H2LOAD_WARMUP=2 H2LOAD_DURATION=5 THREADS=2 CONNECTIONS=32
#   USER_COUNT=3000 GROUP_COUNT=100 PROXY_CPU=0 LOAD_CPU=1 BASE_PORT=28400
#   CONTENDERS="direct nginx nginx-auth haproxy scimitar scimitar-noaudit"
#   JFR=1   records a JFR profile of the sidecar (written next to the results)
#   SCIMITAR_JAVA_OPTS="-Xms512m -Xmx512m"
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/proxy/target/scimitar.jar"
NIMBUS="$HOME/.m2/repository/com/nimbusds/nimbus-jose-jwt/10.10/nimbus-jose-jwt-10.10.jar"

ROUNDS=${ROUNDS:-2}
PRIME=${PRIME:-15}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
H2LOAD_WARMUP=${H2LOAD_WARMUP:-2}
H2LOAD_DURATION=${H2LOAD_DURATION:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
USER_COUNT=${USER_COUNT:-3000}
GROUP_COUNT=${GROUP_COUNT:-100}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
BASE_PORT=${BASE_PORT:-28400}
CONTENDERS=${CONTENDERS:-direct nginx nginx-auth haproxy scimitar scimitar-noaudit}
JFR=${JFR:-0}
SCIMITAR_JAVA_OPTS=${SCIMITAR_JAVA_OPTS:--Xms512m -Xmx512m}

APP_PORT=$BASE_PORT
JWKS_PORT=$((BASE_PORT + 1))
NGINX_PORT=$((BASE_PORT + 10))
NGINX_AUTH_PORT=$((BASE_PORT + 11))
NGINX_AUTHZ_PORT=$((BASE_PORT + 12))
HAPROXY_PORT=$((BASE_PORT + 20))
SCIMITAR_PORT=$((BASE_PORT + 30))
SCIMITAR_ADMIN_PORT=$((BASE_PORT + 31))
SCIMITAR_SCIM_PORT=$((BASE_PORT + 32))
NOAUDIT_PORT=$((BASE_PORT + 40))
NOAUDIT_ADMIN_PORT=$((BASE_PORT + 41))
NOAUDIT_SCIM_PORT=$((BASE_PORT + 42))

ISSUER="http://127.0.0.1:$JWKS_PORT/"
AUDIENCE="orders-api"
BENCH_USER="bench@example.com"
REQUEST_PATH="/api/orders/42"
SCIM_TOKEN="load-bench-scim-token-$RANDOM$RANDOM"
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RESULTS="$HERE/results-$STAMP.md"

WORK=$(mktemp -d /tmp/scimitar-load.XXXXXX)
chmod 755 "$WORK" # nginx workers (www-data) read the JWKS from it
PIDS=()
NAMES=()

log() { printf '[load %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop_all() {
    local status=$?
    trap - EXIT INT TERM
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    done
    # Give each process up to 10 s to stop (the sidecar drains; nginx and HAProxy stop at once).
    local deadline=$((SECONDS + 10))
    for i in "${!PIDS[@]}"; do
        while kill -0 "${PIDS[$i]}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
        if kill -0 "${PIDS[$i]}" 2>/dev/null; then
            log "${NAMES[$i]} (pid ${PIDS[$i]}) did not stop; killing it"
            kill -KILL "${PIDS[$i]}" 2>/dev/null || true
        fi
    done
    if ((status != 0)); then
        log "failed (status $status); logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts "$@" in the background, remembered for stop_all. $1 is a name for messages.
spawn() {
    local name=$1; shift
    "$@" &
    PIDS+=($!)
    NAMES+=("$name")
}

# Waits (bounded) until a URL answers with the expected status.
wait_for() {
    local url=$1 expect=$2 what=$3 header=${4:-X-Load-Bench: 1} i
    for ((i = 0; i < 300; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' -H "$header" --max-time 1 "$url" || true) == "$expect" ]]; then
            return 0
        fi
        sleep 0.1
    done
    die "$what did not answer $expect at $url within 30 s (logs in $WORK)"
}

check_prerequisites() {
    local tool
    for tool in wrk h2load nginx haproxy curl taskset ss; do
        command -v "$tool" >/dev/null || die "$tool is missing: apt-get install -y --no-install-recommends wrk nghttp2-client nginx haproxy curl util-linux iproute2"
    done
    [[ -x $JAVA ]] || die "no JDK at $JAVA_HOME (set JAVA_HOME)"
    [[ -f $JAR ]] || die "$JAR is missing: ./mvnw -B -o -q -DskipTests package"
    [[ -f $NIMBUS ]] || die "$NIMBUS is missing (the build puts it in ~/.m2)"
    (($(nproc --all) > PROXY_CPU && $(nproc --all) > LOAD_CPU)) || die "CPU $PROXY_CPU or $LOAD_CPU does not exist"
    local port
    for port in $APP_PORT $JWKS_PORT $NGINX_PORT $NGINX_AUTH_PORT $NGINX_AUTHZ_PORT $HAPROXY_PORT \
        $SCIMITAR_PORT $SCIMITAR_ADMIN_PORT $SCIMITAR_SCIM_PORT $NOAUDIT_PORT $NOAUDIT_ADMIN_PORT $NOAUDIT_SCIM_PORT; do
        [[ -z $(ss -Htln "sport = :$port") ]] || die "port $port is in use (set BASE_PORT)"
    done
}

# --- the upstream app and the JWKS: one nginx on the load generator's CPU --------------------
start_app() {
    mkdir -p "$WORK/app/logs"
    cp "$WORK/jwks.json" "$WORK/app/jwks.json"
    cat >"$WORK/app/nginx.conf" <<EOF
worker_processes 1;
error_log $WORK/app/logs/error.log warn;
pid $WORK/app/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$APP_PORT;
        location / { default_type text/plain; return 200 "ok"; }
    }
    server {
        listen 127.0.0.1:$JWKS_PORT;
        location = /jwks.json { default_type application/json; alias $WORK/app/jwks.json; }
    }
}
EOF
    spawn app taskset -c "$LOAD_CPU" nginx -p "$WORK/app" -c "$WORK/app/nginx.conf" -g 'daemon off;'
    wait_for "http://127.0.0.1:$APP_PORT/" 200 "the app"
}

# --- (b) nginx proxy_pass, upstream keepalive, no auth ---------------------------------------
nginx_proxy_conf() {
    local dir=$1 port=$2 auth=$3
    cat <<EOF
worker_processes 1;
error_log $dir/logs/error.log warn;
pid $dir/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    upstream app { server 127.0.0.1:$APP_PORT; keepalive 64; }
EOF
    if [[ $auth == yes ]]; then
        cat <<EOF
    upstream authz { server 127.0.0.1:$NGINX_AUTHZ_PORT; keepalive 64; }
    # The auth endpoint answers 204 to any request with a bearer token: it verifies nothing,
    # so this contender measures only the cost of nginx's auth_request subrequest pattern.
    server {
        listen 127.0.0.1:$NGINX_AUTHZ_PORT;
        location / {
            if (\$http_authorization !~ "^Bearer ") { return 401; }
            return 204;
        }
    }
EOF
    fi
    cat <<EOF
    server {
        listen 127.0.0.1:$port;
        location / {
EOF
    [[ $auth == yes ]] && echo "            auth_request /_auth;"
    cat <<EOF
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
EOF
    if [[ $auth == yes ]]; then
        cat <<EOF
        location = /_auth {
            internal;
            proxy_pass http://authz;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
        }
EOF
    fi
    echo "    }"
    echo "}"
}

start_nginx() {
    local name=$1 port=$2 auth=$3 dir="$WORK/$1"
    mkdir -p "$dir/logs"
    nginx_proxy_conf "$dir" "$port" "$auth" >"$dir/nginx.conf"
    spawn "$name" taskset -c "$PROXY_CPU" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
    wait_for "http://127.0.0.1:$port$REQUEST_PATH" 200 "$name" "Authorization: Bearer $TOKEN"
}

# --- (c) HAProxy 2.6: ES256 signature + iss/aud/exp + group claim on every request -----------
start_haproxy() {
    local dir="$WORK/haproxy"
    mkdir -p "$dir"
    cat >"$dir/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn 4096
defaults
    mode http
    option http-keep-alive
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
frontend sidecar
    bind 127.0.0.1:$HAPROXY_PORT
    http-request deny status 401 unless { req.hdr(authorization) -m beg "Bearer " }
    http-request set-var(txn.alg) http_auth_bearer,jwt_header_query('\$.alg')
    http-request set-var(txn.iss) http_auth_bearer,jwt_payload_query('\$.iss')
    http-request set-var(txn.aud) http_auth_bearer,jwt_payload_query('\$.aud')
    http-request set-var(txn.exp) http_auth_bearer,jwt_payload_query('\$.exp','int')
    http-request set-var(txn.groups) http_auth_bearer,jwt_payload_query('\$.groups')
    http-request deny status 401 unless { var(txn.alg) -m str ES256 }
    http-request deny status 401 unless { http_auth_bearer,jwt_verify(txn.alg,"$WORK/public.pem") -m int 1 }
    http-request deny status 401 unless { var(txn.iss) -m str $ISSUER }
    http-request deny status 401 unless { var(txn.aud) -m str $AUDIENCE }
    http-request set-var(txn.now) date()
    http-request deny status 401 if { var(txn.exp),sub(txn.now) -m int lt 0 }
    http-request deny status 403 unless { path_beg /api/ } { method GET HEAD } { var(txn.groups) -m sub engineers }
    default_backend app
backend app
    http-reuse always
    server app 127.0.0.1:$APP_PORT
EOF
    haproxy -c -q -f "$dir/haproxy.cfg" || die "HAProxy refused its configuration ($dir/haproxy.cfg)"
    spawn haproxy taskset -c "$PROXY_CPU" haproxy -db -f "$dir/haproxy.cfg"
    wait_for "http://127.0.0.1:$HAPROXY_PORT$REQUEST_PATH" 200 "HAProxy" "Authorization: Bearer $TOKEN"
}

# --- (e) Scimitar: embedded receiver, 21-route policy, a provisioned directory ---------------
write_policy() {
    {
        echo "# 21 routes; the benchmark request matches the last one, so every route is tried."
        echo "roles:"
        echo "  engineers: [engineers]"
        local i
        for i in $(seq -w 1 19); do
            echo "  team$i: [group-0$i, id:no-such-group-$i, externalId:ext-$i]"
        done
        echo "routes:"
        echo "  - path: /healthz"
        echo "    public: true"
        for i in $(seq -w 1 19); do
            echo "  - path: /svc$i/**"
            echo "    allow: [team$i]"
        done
        echo "  - path: /api/**"
        echo "    methods: [GET, HEAD]"
        echo "    allow: [team01, team02, engineers]"
    } >"$WORK/policy.yaml"
}

# $1 name, $2 listen port, $3 admin port, $4 SCIM port, $5 audit level (INFO or OFF)
start_scimitar() {
    local name=$1 port=$2 admin=$3 scim=$4 audit=$5 jfr=()
    mkdir -p "$WORK/$name"
    if [[ $JFR == 1 && $name == scimitar ]]; then
        jfr=("-XX:StartFlightRecording=name=load,settings=profile")
    fi
    # The event-loop count: SidecarServer asks Netty for its default (0), which is
    # io.netty.eventLoopThreads or 2 x the CPUs the JVM sees; taskset shows it one CPU, and the
    # property makes it exactly one event loop, as nginx has one worker and HAProxy one thread.
    # shellcheck disable=SC2086
    spawn "$name" env SCIMITAR_LISTEN="127.0.0.1:$port" SCIMITAR_ADMIN_LISTEN="127.0.0.1:$admin" \
        SCIMITAR_SCIM_LISTEN="127.0.0.1:$scim" SCIMITAR_SCIM_TOKEN="$SCIM_TOKEN" \
        SCIMITAR_STORE="sqlite:$WORK/store/scimitar.db" SCIMITAR_UPSTREAM="http://127.0.0.1:$APP_PORT" \
        SCIMITAR_POLICY="$WORK/policy.yaml" SCIMITAR_AUTH_JWKS_URL="http://127.0.0.1:$JWKS_PORT/jwks.json" \
        SCIMITAR_AUTH_ISSUER="$ISSUER" SCIMITAR_AUTH_AUDIENCE="$AUDIENCE" SCIMITAR_AUTH_USER_CLAIM=email \
        SCIMITAR_AUTH_USER_ATTRIBUTE=userName SCIMITAR_AUDIT_LEVEL="$audit" SCIMITAR_LOG_FORMAT=text \
        SCIMITAR_LOG_LEVEL=WARN \
        taskset -c "$PROXY_CPU" "$JAVA" $SCIMITAR_JAVA_OPTS -Dio.netty.eventLoopThreads=1 "${jfr[@]}" \
        -jar "$JAR" proxy >/dev/null 2>"$WORK/$name/stderr.log"
    wait_for "http://127.0.0.1:$admin/readyz" 200 "$name"
}

scimitar_denials() { # every decision counted by the sidecar that was not an allow
    curl -s --max-time 2 "http://127.0.0.1:$1/metrics" |
        awk '/^scimitar_requests_total\{/ && !/outcome="allow"/ { s += $NF } END { printf "%d", s }'
}

# --- measurement -------------------------------------------------------------------------------
to_us() { # wrk's "512.00us", "1.20ms", "2.00s" -> microseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000; else print n
    }'
}

# Fills W_RPS W_P50 W_P90 W_P99 W_BAD W_ERR from one wrk run.
run_wrk() {
    local url=$1 out
    taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Authorization: Bearer $TOKEN" "$url" >/dev/null
    out=$(taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
        -H "Authorization: Bearer $TOKEN" "$url")
    printf '%s\n' "$out" >>"$WORK/raw.txt"
    W_RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
    W_P50=$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    W_P90=$(to_us "$(awk '$1 == "90%" { print $2 }' <<<"$out")")
    W_P99=$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    W_BAD=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
    W_BAD=${W_BAD:-0}
    W_ERR=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
    W_ERR=${W_ERR:-0}
}

# Fills H_RPS H_MEAN H_OK H_TOTAL from one h2load run ($2: --h1, or empty for h2c).
run_h2load() {
    local url=$1 proto=$2 out
    # shellcheck disable=SC2086
    out=$(taskset -c "$LOAD_CPU" h2load $proto -t"$THREADS" -c"$CONNECTIONS" -m1 --warm-up-time="${H2LOAD_WARMUP}s" \
        -D"${H2LOAD_DURATION}s" -H "Authorization: Bearer $TOKEN" "$url" 2>&1 || true)
    printf '%s\n' "$out" >>"$WORK/raw.txt"
    H_RPS=$(awk '/^finished in/ { sub(",", "", $4); printf "%.0f", $4 }' <<<"$out")
    H_MEAN=$(to_us "$(awk '/^time for request:/ { print $6 }' <<<"$out")")
    H_OK=$(awk '/^status codes:/ { print $3 }' <<<"$out")
    H_TOTAL=$(awk '/^requests:/ { print $2 }' <<<"$out")
    H_RPS=${H_RPS:-0} H_OK=${H_OK:-0} H_TOTAL=${H_TOTAL:-0}
}

declare -A URL LABEL
URL[direct]="http://127.0.0.1:$APP_PORT$REQUEST_PATH"
URL[nginx]="http://127.0.0.1:$NGINX_PORT$REQUEST_PATH"
URL[nginx-auth]="http://127.0.0.1:$NGINX_AUTH_PORT$REQUEST_PATH"
URL[haproxy]="http://127.0.0.1:$HAPROXY_PORT$REQUEST_PATH"
URL[scimitar]="http://127.0.0.1:$SCIMITAR_PORT$REQUEST_PATH"
URL[scimitar-noaudit]="http://127.0.0.1:$NOAUDIT_PORT$REQUEST_PATH"
LABEL[direct]="direct to the app (baseline)"
LABEL[nginx]="nginx proxy_pass, no auth"
LABEL[nginx-auth]="nginx auth_request (204 stub, no verification)"
LABEL[haproxy]="HAProxy jwt_verify ES256 + claims"
LABEL[scimitar]="Scimitar proxy (audit on)"
LABEL[scimitar-noaudit]="Scimitar proxy (audit off)"
declare -A RPS P50 P90 P99 BAD HRPS HMEAN HBAD H2NOTE

measure() {
    local c=$1 round=$2 key="$1/$2" url=${URL[$1]} before=0 after=0 admin=""
    case $c in
        scimitar) admin=$SCIMITAR_ADMIN_PORT ;;
        scimitar-noaudit) admin=$NOAUDIT_ADMIN_PORT ;;
    esac
    [[ -n $admin ]] && before=$(scimitar_denials "$admin")
    log "round $round: $c: wrk ${WARMUP}s warm-up + ${DURATION}s"
    run_wrk "$url"
    RPS[$key]=$W_RPS P50[$key]=$W_P50 P90[$key]=$W_P90 P99[$key]=$W_P99
    BAD[$key]=$((W_BAD + W_ERR))
    log "round $round: $c: h2load --h1 ${H2LOAD_WARMUP}s warm-up + ${H2LOAD_DURATION}s"
    run_h2load "$url" --h1
    HRPS[$key]=$H_RPS HMEAN[$key]=$H_MEAN HBAD[$key]=$((H_TOTAL - H_OK))
    ((H_TOTAL > 0)) || HBAD[$key]="no answer"
    if [[ $c == scimitar ]]; then
        run_h2load "$url" ""
        if ((H_OK > 0)); then
            H2NOTE[$round]="h2c (prior knowledge) to Scimitar: ${H_RPS} req/s, mean ${H_MEAN} µs, $((H_TOTAL - H_OK)) not 2xx"
        else
            H2NOTE[$round]="h2c to Scimitar: not measured, this build did not answer cleartext HTTP/2 (prior knowledge)"
        fi
    fi
    if [[ -n $admin ]]; then
        after=$(scimitar_denials "$admin")
        local bad=${BAD[$key]}
        BAD[$key]=$((bad + after - before))
    fi
    log "round $round: $c: wrk ${RPS[$key]} req/s p50 ${P50[$key]} µs p99 ${P99[$key]} µs, not 200: ${BAD[$key]}; h2load ${HRPS[$key]} req/s"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

report() {
    local c r key
    echo "# Load comparison — $STAMP"
    echo
    echo "Scimitar $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') on $(uname -srm), $(nproc --all) CPUs;"
    echo "$("$JAVA" -version 2>&1 | head -1); $(nginx -v 2>&1); $(haproxy -v | head -1 | cut -d' ' -f1-3); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); h2load $(h2load --version | awk '{print $NF}')."
    echo
    echo "- All on 127.0.0.1. The proxy under test runs on CPU $PROXY_CPU (taskset); the load generator and the app"
    echo "  (nginx, 1 worker, \`return 200 \"ok\"\`) share CPU $LOAD_CPU. One worker each: nginx \`worker_processes 1\`,"
    echo "  HAProxy \`nbthread 1\`, Scimitar \`-Dio.netty.eventLoopThreads=1\` (one I/O event loop; its JIT, GC and"
    echo "  audit-writer threads also run on CPU $PROXY_CPU), JVM options \`$SCIMITAR_JAVA_OPTS\`."
    echo "- Request: \`GET $REQUEST_PATH\` with \`Authorization: Bearer <ES256 JWT>\` (the same token for every contender)."
    echo "- Every contender first gets ${PRIME} s of the same load, unmeasured (JIT warm-up for the sidecar), then per round:"
    echo "  wrk: $THREADS threads, $CONNECTIONS keep-alive connections, ${WARMUP} s warm-up then ${DURATION} s measured (\`--latency\`)."
    echo "  h2load \`--h1\`: $THREADS threads, $CONNECTIONS clients, 1 request in flight each, ${H2LOAD_WARMUP} s warm-up then ${H2LOAD_DURATION} s."
    echo "- Scimitar: embedded SCIM receiver (SQLite) holding $((USER_COUNT + 1)) users and $((GROUP_COUNT + 1)) groups provisioned over"
    echo "  SCIM; a 21-route policy whose last route the request matches; the token verified once, then a cache hit."
    echo "- \"not 200\": wrk's non-2xx/3xx responses and socket errors, plus (Scimitar) any non-allow decision in its"
    echo "  metrics; h2load: requests that did not get a 2xx."
    echo
    echo "| round | contender | wrk req/s | × direct | × nginx | p50 µs | p90 µs | p99 µs | p99 × nginx | not 200 | h2load --h1 req/s | h2load mean µs | h2load not 2xx |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for ((r = 1; r <= ROUNDS; r++)); do
        for c in $CONTENDERS; do
            key="$c/$r"
            echo "| $r | ${LABEL[$c]} | ${RPS[$key]} | $(ratio "${RPS[$key]}" "${RPS[direct/$r]:-0}") | $(ratio "${RPS[$key]}" "${RPS[nginx/$r]:-0}") | ${P50[$key]} | ${P90[$key]} | ${P99[$key]} | $(ratio "${P99[$key]}" "${P99[nginx/$r]:-0}") | ${BAD[$key]} | ${HRPS[$key]} | ${HMEAN[$key]} | ${HBAD[$key]} |"
        done
    done
    echo
    echo "Across rounds: median (min–max):"
    echo
    echo "| contender | wrk req/s | × nginx | p99 µs |"
    echo "|---|---|---|---|"
    for c in $CONTENDERS; do
        local rps=() rat=() p99=()
        for ((r = 1; r <= ROUNDS; r++)); do
            rps+=("${RPS[$c/$r]}")
            rat+=("$(ratio "${RPS[$c/$r]}" "${RPS[nginx/$r]:-0}")")
            p99+=("${P99[$c/$r]}")
        done
        echo "| ${LABEL[$c]} | $(span "${rps[@]}") | $(span "${rat[@]}") | $(span "${p99[@]}") |"
    done
    echo
    for ((r = 1; r <= ROUNDS; r++)); do
        [[ -n ${H2NOTE[$r]:-} ]] && echo "- round $r: ${H2NOTE[$r]}"
    done | sed 's/^- round [0-9]*: \(h2c to Scimitar: not measured\)/- \1/' | uniq
    echo
    echo "Command: \`CONTENDERS=\"$CONTENDERS\" ROUNDS=$ROUNDS PRIME=$PRIME WARMUP=$WARMUP DURATION=$DURATION THREADS=$THREADS CONNECTIONS=$CONNECTIONS USER_COUNT=$USER_COUNT GROUP_COUNT=$GROUP_COUNT benchmarks/load/run.sh\`"
}

span() { # "median (min–max)" of the rounds' values
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        d = index(v[1], ".") ? length(v[1]) - index(v[1], ".") : 0 # the median keeps the decimals of the values
        m = sprintf("%." d "f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)
        if (v[1] == v[NR]) print v[1]; else printf "%s (%s–%s)\n", m, v[1], v[NR] }'
}

# --- main ----------------------------------------------------------------------------------------
check_prerequisites
log "work directory $WORK; proxies on CPU $PROXY_CPU, load generator and app on CPU $LOAD_CPU"
"$JAVA" -cp "$NIMBUS" "$HERE/Mint.java" "$WORK" "$ISSUER" "$AUDIENCE" "$BENCH_USER" "engineers"
TOKEN=$(<"$WORK/token")
write_policy
start_app
start_nginx nginx "$NGINX_PORT" no
start_nginx nginx-auth "$NGINX_AUTH_PORT" yes
start_haproxy
[[ $(curl -s -o /dev/null -w '%{http_code}' "${URL[haproxy]}") == 401 ]] || die "HAProxy let a request without a token through"
SIGNATURE=${TOKEN##*.}
[[ ${SIGNATURE:0:1} == A ]] && FORGED_FIRST=B || FORGED_FIRST=A
FORGED="${TOKEN%.*}.$FORGED_FIRST${SIGNATURE:1}" # the signature's first bits changed
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $FORGED" "${URL[haproxy]}") == 401 ]] ||
    die "HAProxy let a request with a bad signature through"

start_scimitar scimitar "$SCIMITAR_PORT" "$SCIMITAR_ADMIN_PORT" "$SCIMITAR_SCIM_PORT" INFO
log "provisioning $((USER_COUNT + 1)) users and $((GROUP_COUNT + 1)) groups over SCIM"
"$JAVA" "$HERE/Provision.java" "http://127.0.0.1:$SCIMITAR_SCIM_PORT/scim/v2" "$SCIM_TOKEN" "$BENCH_USER" "$USER_COUNT" "$GROUP_COUNT" >&2
wait_for "${URL[scimitar]}" 200 "Scimitar (the provisioned user)" "Authorization: Bearer $TOKEN"
[[ $(curl -s -o /dev/null -w '%{http_code}' "${URL[scimitar]}") == 401 ]] || die "Scimitar let a request without a token through"
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $FORGED" "${URL[scimitar]}") == 401 ]] ||
    die "Scimitar let a request with a bad signature through"
# The second sidecar reads the same store (its own receiver, nothing provisioned through it).
start_scimitar scimitar-noaudit "$NOAUDIT_PORT" "$NOAUDIT_ADMIN_PORT" "$NOAUDIT_SCIM_PORT" OFF
wait_for "${URL[scimitar-noaudit]}" 200 "Scimitar, audit off" "Authorization: Bearer $TOKEN"

# Before round 1, every contender gets PRIME seconds of the same load, unmeasured: a long-running
# server is warm, and the JVM needs more than one warm-up to finish compiling the hot path (a first
# round measured straight after start showed the sidecar at about half its later throughput).
for c in $CONTENDERS; do
    [[ -n ${URL[$c]:-} ]] || die "unknown contender $c"
    log "priming $c: wrk ${PRIME}s, not measured"
    taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${PRIME}s" -H "Authorization: Bearer $TOKEN" "${URL[$c]}" >/dev/null
    if [[ $c == scimitar ]]; then # its HTTP/2 path is other code, compiled separately
        taskset -c "$LOAD_CPU" h2load -t"$THREADS" -c"$CONNECTIONS" -m1 -D"${PRIME}s" \
            -H "Authorization: Bearer $TOKEN" "${URL[$c]}" >/dev/null 2>&1 || true
    fi
done
for ((round = 1; round <= ROUNDS; round++)); do
    for c in $CONTENDERS; do
        measure "$c" "$round"
    done
done

report | tee "$RESULTS"
if [[ $JFR == 1 ]]; then
    for i in "${!NAMES[@]}"; do
        if [[ ${NAMES[$i]} == scimitar ]]; then
            "$JAVA_HOME/bin/jcmd" "${PIDS[$i]}" JFR.dump name=load filename="$HERE/sidecar-$STAMP.jfr" >/dev/null
        fi
    done
    log "JFR recording: $HERE/sidecar-$STAMP.jfr"
fi
log "results: $RESULTS"
for c in $CONTENDERS; do
    for ((r = 1; r <= ROUNDS; r++)); do
        if [[ $c == haproxy || $c == scimitar* ]] && [[ ${BAD[$c/$r]} != 0 || ${HBAD[$c/$r]} != 0 ]]; then
            die "$c answered something other than 200 in round $r (see the table)"
        fi
    done
done
