#!/bin/sh
# Starts (or stops) real Debian services on loopback for the scan tests and
# benchmarks, each on a free high port, all state in DIR. Prints
# "name port dpkg-package" lines to DIR/services.txt once every port accepts
# connections. Needs root (sshd privilege separation, su to postgres).
#
# usage: services.sh start DIR | services.sh stop DIR
set -eu
cmd=$1
dir=$2

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() {
	i=0
	while ! /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "services.sh: $2 did not open port $1 within 10 s" >&2
			return 1
		fi
		sleep 0.1
	done
}

stop() {
	[ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
	[ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
	[ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
	[ -f "$dir/redis-auth.pid" ] && kill "$(cat "$dir/redis-auth.pid")" 2>/dev/null || true
	if [ -d "$dir/pg" ]; then
		B=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
		su postgres -c "$B/pg_ctl -D $dir/pg stop -m fast" >/dev/null 2>&1 || true
	fi
	return 0
}

case "$cmd" in
stop)
	stop
	exit 0
	;;
start) ;;
*)
	echo "usage: services.sh start|stop DIR" >&2
	exit 2
	;;
esac

mkdir -p "$dir"
chmod 755 "$dir"
: > "$dir/services.txt"

# nginx (nginx-light): plain HTTP and HTTPS with a self-signed certificate
P=$(free_port)
PS=$(free_port)
PH=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=csirt-test.example/O=csirt test" \
	-keyout "$dir/tls.key" -out "$dir/tls.crt" >/dev/null 2>&1
cat > "$dir/nginx.conf" <<CONF
pid $dir/nginx.pid;
error_log $dir/nginx.err;
events {}
http {
	access_log off;
	server { listen 127.0.0.1:$P; }
	server { listen 127.0.0.1:$PS ssl; ssl_certificate $dir/tls.crt; ssl_certificate_key $dir/tls.key; }
	server { listen 127.0.0.1:$PH; server_tokens off; }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir" >/dev/null 2>&1 </dev/null
wait_port "$P" nginx
wait_port "$PS" nginx-tls
echo "http $P nginx-light" >> "$dir/services.txt"
echo "https $PS nginx-light" >> "$dir/services.txt"
# Variants that hide the version: listed apart, the benchmark scores only services.txt
wait_port "$PH" nginx-hidden
echo "http-hidden $PH nginx-light" > "$dir/services-extra.txt"

# OpenSSH on a high port
P=$(free_port)
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
/usr/sbin/sshd -f /dev/null -p "$P" -o ListenAddress=127.0.0.1 -h "$dir/hostkey" \
	-o PidFile="$dir/sshd.pid" >/dev/null 2>&1 </dev/null
wait_port "$P" sshd
echo "ssh $P openssh-server" >> "$dir/services.txt"

# Redis
P=$(free_port)
redis-server --port "$P" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
	--pidfile "$dir/redis.pid" --save '' --logfile "$dir/redis.log" >/dev/null 2>&1 </dev/null
wait_port "$P" redis
echo "redis $P redis-server" >> "$dir/services.txt"
P=$(free_port)
redis-server --port "$P" --bind 127.0.0.1 --daemonize yes --dir "$dir" --requirepass csirt-test \
	--pidfile "$dir/redis-auth.pid" --save '' --logfile "$dir/redis-auth.log" >/dev/null 2>&1 </dev/null
wait_port "$P" redis-auth
echo "redis-auth $P redis-server" >> "$dir/services-extra.txt"

# PostgreSQL (trust authentication on loopback: the startup exchange then
# reports server_version, as it would to any client that may log in)
P=$(free_port)
B=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
mkdir -p "$dir/pg"
chown postgres "$dir/pg"
chmod 700 "$dir/pg"
su postgres -c "$B/initdb -D $dir/pg -A trust" >/dev/null 2>&1
su postgres -c "$B/pg_ctl -D $dir/pg -o '-p $P -k $dir/pg -h 127.0.0.1' -l $dir/pg/log start" \
	>/dev/null 2>&1 </dev/null
wait_port "$P" postgresql
echo "postgresql $P postgresql-$(basename "$(dirname "$B")")" >> "$dir/services.txt"
