# Sourced, not run: starts a private redis-server on a free 127.0.0.1 port (no persistence),
# exports REDIS_URL for the Redis tests and stops the server when the shell that sourced it
# exits. Installs Debian's redis-server first if it is missing. Used by .ci/run and
# scripts/mutants.sh.

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y redis-server
fi
redis_dir=$(mktemp -d)
stop_redis() {
    if [ -s "$redis_dir/redis.pid" ]; then
        local pid
        pid=$(cat "$redis_dir/redis.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$redis_dir"
}
trap stop_redis EXIT
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        # A random high port on which nothing answers.
        local port
        for _ in $(seq 50); do
            port=$((20000 + RANDOM % 40000))
            if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                echo "$port"
                return
            fi
        done
        return 1
    fi
}
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" \
    --dir "$redis_dir"
for _ in $(seq 100); do
    [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
    sleep 0.1
done
if [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" != PONG ]; then
    echo "redis-server did not start on 127.0.0.1:$redis_port" >&2
    cat "$redis_dir/redis.log" >&2 || true
    exit 1
fi
export REDIS_URL="redis://127.0.0.1:$redis_port/"
