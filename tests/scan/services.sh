#!/bin/sh
# Starts (or stops) real Debian services on loopback for the scan tests and
# benchmarks, each on a free high port, all state in DIR, nothing in the
# system's configuration changed. Needs root (sshd privilege separation, su
# to postgres, exim and dovecot dropping to their own users).
#
# The services start in parallel (MariaDB and PostgreSQL each take seconds to
# create a database). Once every port accepts connections, it writes
#   DIR/services.txt        "name port dpkg-package": nginx, OpenSSH, Redis,
#                           PostgreSQL (what the benchmark scores against nmap)
#   DIR/services-more.txt   the same for MariaDB, Exim, vsftpd, Dovecot IMAP
#                           and POP3, BIND and memcached
#   DIR/services-extra.txt  variants that hide their version
#   DIR/failed.txt          "name reason" for each service that did not start
# and exits 1 if any service failed (the others are still running).
#
# usage: services.sh start DIR [NAME...] | services.sh stop DIR
# NAMEs (default all): nginx sshd redis postgresql mysql smtp ftp dovecot dns memcached
set -eu
cmd=$1
dir=$2

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT NAME [TENTHS]: waits until PORT accepts a connection.
wait_port() {
	i=0
	while ! /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt "${3:-100}" ]; then
			echo "$2 did not open port $1 within $((${3:-100} / 10)) s" >&2
			return 1
		fi
		sleep 0.1
	done
}

killpid() {
	[ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null || true
}

stop() {
	for p in nginx sshd redis redis-auth memcached vsftpd mysql; do
		killpid "$dir/$p.pid"
	done
	killpid "$dir/exim/exim.pid"
	killpid "$dir/named/named.pid"
	killpid "$dir/named-hidden/named.pid"
	killpid "$dir/dovecot/run/master.pid"
	if [ -d "$dir/pg" ]; then
		B=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
		su postgres -c "$B/pg_ctl -D $dir/pg stop -m fast" >/dev/null 2>&1 || true
	fi
	return 0
}

# Each start_X writes its "name port package" lines to DIR/out/NN-X (NN
# orders the lists); on failure the reason goes to DIR/out/X.failed.

start_nginx() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=csirt-test.example/O=csirt test" \
		-keyout "$dir/tls.key" -out "$dir/tls.crt" >/dev/null 2>&1
	# A port free when probed may be taken before nginx binds it (the
	# other services start at the same time, and tests running beside
	# this one open connections from ephemeral ports): a fresh set of
	# ports, up to three times, instead of a failed run.
	for attempt in 1 2 3; do
		P=$(free_port)
		PS=$(free_port)
		PH=$(free_port)
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
		if nginx -c "$dir/nginx.conf" -p "$dir" >/dev/null 2>"$dir/nginx.start" </dev/null; then
			break
		fi
		if [ "$attempt" = 3 ]; then
			cat "$dir/nginx.start" >&2
			return 1
		fi
	done
	wait_port "$P" nginx
	wait_port "$PS" nginx-tls
	wait_port "$PH" nginx-hidden
	printf 'http %s nginx-light\nhttps %s nginx-light\n' "$P" "$PS" > "$dir/out/base-1"
	echo "http-hidden $PH nginx-light" > "$dir/out/extra-1"
}

start_sshd() {
	P=$(free_port)
	mkdir -p /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
	# A client key pair for the credentialed inventory test (csirt inventory
	# --ssh root@127.0.0.1:P --identity DIR/client_key); made here, never kept.
	ssh-keygen -q -t ed25519 -N '' -C csirt-test -f "$dir/client_key"
	cp "$dir/client_key.pub" "$dir/authorized_keys"
	/usr/sbin/sshd -f /dev/null -p "$P" -o ListenAddress=127.0.0.1 -h "$dir/hostkey" \
		-o PidFile="$dir/sshd.pid" -o AuthorizedKeysFile="$dir/authorized_keys" \
		-o StrictModes=no -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
		-o PermitRootLogin=prohibit-password >/dev/null 2>&1 </dev/null
	wait_port "$P" sshd
	echo "ssh $P openssh-server" > "$dir/out/base-2"
}

start_redis() {
	P=$(free_port)
	redis-server --port "$P" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
		--pidfile "$dir/redis.pid" --save '' --logfile "$dir/redis.log" >/dev/null 2>&1 </dev/null
	PA=$(free_port)
	redis-server --port "$PA" --bind 127.0.0.1 --daemonize yes --dir "$dir" --requirepass csirt-test \
		--pidfile "$dir/redis-auth.pid" --save '' --logfile "$dir/redis-auth.log" >/dev/null 2>&1 </dev/null
	wait_port "$P" redis
	wait_port "$PA" redis-auth
	echo "redis $P redis-server" > "$dir/out/base-3"
	echo "redis-auth $PA redis-server" > "$dir/out/extra-2"
}

# PostgreSQL (trust authentication on loopback: the startup exchange then
# reports server_version, as it would to any client that may log in)
start_postgresql() {
	P=$(free_port)
	B=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
	mkdir -p "$dir/pg"
	chown postgres "$dir/pg"
	chmod 700 "$dir/pg"
	if ! su postgres -c "$B/initdb -D $dir/pg -A trust" >"$dir/pg-initdb.log" 2>&1; then
		tail -3 "$dir/pg-initdb.log" >&2
		return 1
	fi
	# The port is free when picked but another service starting in parallel
	# may take it first: try again on a new port, and say why it failed.
	for attempt in 1 2 3; do
		if su postgres -c "$B/pg_ctl -w -D $dir/pg -o '-p $P -k $dir/pg -h 127.0.0.1' -l $dir/pg/log start" \
			>/dev/null 2>&1 </dev/null; then
			break
		fi
		tail -2 "$dir/pg/log" >&2
		[ "$attempt" = 3 ] && return 1
		P=$(free_port)
	done
	wait_port "$P" postgresql 300
	echo "postgresql $P postgresql-$(basename "$(dirname "$B")")" > "$dir/out/base-4"
}

# MariaDB with a real system database (mariadb-install-db), root by unix
# socket only, so the loopback port admits nobody.
start_mysql() {
	P=$(free_port)
	mariadb-install-db --no-defaults --datadir="$dir/mysql" --user=root \
		--auth-root-authentication-method=socket --skip-test-db >"$dir/mysql-install.log" 2>&1
	nohup mariadbd --no-defaults --datadir="$dir/mysql" --port="$P" --bind-address=127.0.0.1 \
		--socket="$dir/mysql.sock" --pid-file="$dir/mysql.pid" --user=root --skip-log-bin \
		--innodb-buffer-pool-size=8M --log-error="$dir/mysql.err" >/dev/null 2>&1 </dev/null &
	wait_port "$P" mariadb 600
	echo "mysql $P mariadb-server" > "$dir/out/more-1"
}

# Exim with its own configuration (exim gives up root for a -C file, so its
# spool belongs to Debian-exim); it refuses every recipient.
start_smtp() {
	P=$(free_port)
	mkdir -p "$dir/exim"
	chown Debian-exim "$dir/exim"
	cat > "$dir/exim.conf" <<CONF
primary_hostname = csirt-test.example
keep_environment =
spool_directory = $dir/exim
log_file_path = $dir/exim/%slog
tls_advertise_hosts =
acl_smtp_rcpt = refuse
begin acl
refuse:
  deny
CONF
	exim4 -C "$dir/exim.conf" -bd -oX "127.0.0.1.$P" -oP "$dir/exim/exim.pid" >/dev/null 2>&1 </dev/null
	wait_port "$P" exim
	echo "smtp $P exim4-daemon-light" > "$dir/out/more-2"
}

# vsftpd, anonymous read-only on an empty folder; it does not fork.
start_ftp() {
	P=$(free_port)
	mkdir -p "$dir/ftp" /var/run/vsftpd/empty
	cat > "$dir/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$P
background=NO
anonymous_enable=YES
anon_root=$dir/ftp
local_enable=NO
write_enable=NO
secure_chroot_dir=/var/run/vsftpd/empty
vsftpd_log_file=$dir/vsftpd.log
CONF
	vsftpd "$dir/vsftpd.conf" >/dev/null 2>&1 </dev/null &
	echo $! > "$dir/vsftpd.pid"
	wait_port "$P" vsftpd
	echo "ftp $P vsftpd" > "$dir/out/more-3"
}

# Dovecot IMAP and POP3 in clear text; no login can succeed (the only
# password database admits a documentation address, 192.0.2.1).
start_dovecot() {
	PI=$(free_port)
	PP=$(free_port)
	mkdir -p "$dir/dovecot"
	cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
log_path = $dir/dovecot/log
protocols = imap pop3
listen = 127.0.0.1
ssl = no
service imap-login {
  inet_listener imap {
    port = $PI
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $PP
  }
  inet_listener pop3s {
    port = 0
  }
}
passdb {
  driver = static
  args = nopassword=y allow_nets=192.0.2.1/32
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
CONF
	dovecot -c "$dir/dovecot.conf" >/dev/null 2>&1 </dev/null
	wait_port "$PI" dovecot-imap
	wait_port "$PP" dovecot-pop3
	printf 'imap %s dovecot-imapd\npop3 %s dovecot-pop3d\n' "$PI" "$PP" > "$dir/out/more-4"
}

# BIND answers version.bind with its own version unless told otherwise; the
# second server is told otherwise ("version none;").
named_conf() {
	mkdir -p "$dir/$1"
	cat > "$dir/$1.conf" <<CONF
options {
	directory "$dir/$1";
	listen-on port $2 { 127.0.0.1; };
	listen-on-v6 { none; };
	pid-file "$dir/$1/named.pid";
	session-keyfile "$dir/$1/session.key";
	recursion no;
	$3
};
controls { };
CONF
	named -c "$dir/$1.conf" -u root >/dev/null 2>&1 </dev/null
}

start_dns() {
	P=$(free_port)
	PH=$(free_port)
	named_conf named "$P" ""
	named_conf named-hidden "$PH" 'version "none";'
	wait_port "$P" named
	wait_port "$PH" named-hidden
	echo "dns $P bind9" > "$dir/out/more-5"
	echo "dns-hidden $PH bind9" > "$dir/out/extra-3"
}

start_memcached() {
	P=$(free_port)
	memcached -p "$P" -l 127.0.0.1 -U 0 -u root -d -P "$dir/memcached.pid" >/dev/null 2>&1 </dev/null
	wait_port "$P" memcached
	echo "memcached $P memcached" > "$dir/out/more-6"
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

mkdir -p "$dir/out"
chmod 755 "$dir"
shift 2
all=${*:-nginx sshd redis postgresql mysql smtp ftp dovecot dns memcached}
for s in $all; do
	# A background subshell keeps set -e (a subshell inside || would not).
	(start_$s) 2>"$dir/out/$s.err" &
	eval "pid_$s=$!"
done
for s in $all; do
	if ! wait "$(eval echo "\$pid_$s")"; then
		echo "$s $(tr '\n' ' ' < "$dir/out/$s.err")" > "$dir/out/$s.failed"
	fi
done
cat "$dir"/out/base-* > "$dir/services.txt" 2>/dev/null || : > "$dir/services.txt"
cat "$dir"/out/more-* > "$dir/services-more.txt" 2>/dev/null || : > "$dir/services-more.txt"
cat "$dir"/out/extra-* > "$dir/services-extra.txt" 2>/dev/null || : > "$dir/services-extra.txt"
cat "$dir"/out/*.failed > "$dir/failed.txt" 2>/dev/null || : > "$dir/failed.txt"
if [ -s "$dir/failed.txt" ]; then
	sed 's/^/services.sh: did not start: /' "$dir/failed.txt" >&2
	exit 1
fi
exit 0
