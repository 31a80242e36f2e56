# sshd.sh - a real OpenSSH sshd for the end-to-end tests (sourced after
# lib.sh; bash).
#
#   sshd_start [PORT]   generate a host key and a user key in ./sshd/, write
#                       an sshd_config there (the system's is never read)
#                       and start /usr/sbin/sshd on 127.0.0.1, on PORT or a
#                       free high port, as the current user (root in CI);
#                       key login only, every session forced to
#                       internal-sftp.  Stopped by sshd_stop, which
#                       sshd_start also sets as the EXIT trap.  Sets:
#       SSHD_PORT         the port
#       SSHD_USER         the user to log in as (the current one)
#       SSHD_KEY          the user's private key (mode 0600)
#       SSHD_HOSTPUB      the host's public key file
#       SSHD_KNOWN        a known_hosts file pinning the host key
#       SSHD_FP           the host key's fingerprint as ssh shows it (SHA256:...)
#   sshd_stop           stop it (by the pid it wrote); harmless when stopped
#   sshd_url PATH       sftp://USER@127.0.0.1:PORT/PATH (PATH absolute)
#   sshd_district HOME  point the district HOME's [send] at the server: a copy
#                       of the user key as keys/sftp_ed25519, the pin as
#                       keys/known_hosts (both relative to the home)

SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}
SSHD_DIR=$PWD/sshd

sshd_keys() {
	[ -x "$SSHD_BIN" ] || fail "no $SSHD_BIN (tools/install-deps check installs openssh-server)"
	mkdir -p "$SSHD_DIR"
	chmod 700 "$SSHD_DIR"
	[ -f "$SSHD_DIR/host_ed25519" ] ||
		ssh-keygen -q -t ed25519 -N '' -C edsync-test-host -f "$SSHD_DIR/host_ed25519" ||
		fail "ssh-keygen (host)"
	[ -f "$SSHD_DIR/user_ed25519" ] ||
		ssh-keygen -q -t ed25519 -N '' -C edsync-test-user -f "$SSHD_DIR/user_ed25519" ||
		fail "ssh-keygen (user)"
	cp "$SSHD_DIR/user_ed25519.pub" "$SSHD_DIR/authorized_keys"
	chmod 600 "$SSHD_DIR/authorized_keys"
	SSHD_USER=$(id -un)
	SSHD_KEY=$SSHD_DIR/user_ed25519
	SSHD_HOSTPUB=$SSHD_DIR/host_ed25519.pub
	SSHD_FP=$(ssh-keygen -l -E sha256 -f "$SSHD_HOSTPUB" | awk '{print $2}')
}

sshd_config() {
	cat >"$SSHD_DIR/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_ed25519
PidFile $SSHD_DIR/sshd.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
UseDNS no
AllowTcpForwarding no
X11Forwarding no
PermitTTY no
Subsystem sftp internal-sftp
ForceCommand internal-sftp
LogLevel VERBOSE
EOF
	# newer OpenSSH penalises clients that drop connections (as the kill
	# tests do); switch it off where the option exists
	if "$SSHD_BIN" -t -f "$SSHD_DIR/sshd_config" -o PerSourcePenalties=no 2>/dev/null; then
		echo "PerSourcePenalties no" >>"$SSHD_DIR/sshd_config"
	fi
}

# Is something accepting connections on 127.0.0.1:$1?
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Should the test's shell die without its EXIT trap (a crash), stop this
# sshd all the same once the shell is gone (checking that the pid still is
# our sshd, not a process that took its number).
sshd_watchdog() {
	local pid=$1 shell=$$ conf=$SSHD_DIR/sshd_config
	(
		while kill -0 "$shell" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do
			sleep 0.5
		done
		if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$conf"; then
			kill "$pid" 2>/dev/null
		fi
	) </dev/null >/dev/null 2>&1 &
}

sshd_stop() {
	local pid
	if [ -f "$SSHD_DIR/sshd.pid" ]; then
		pid=$(cat "$SSHD_DIR/sshd.pid")
		kill "$pid" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		rm -f "$SSHD_DIR/sshd.pid"
	fi
	if [ -n "${SSHD_PID:-}" ]; then
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	fi
	return 0
}

sshd_start() {
	local want=${1:-} port tries i
	sshd_keys
	# sshd run by root needs its privilege separation folder, which only
	# the system's service would otherwise make
	if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
		mkdir -p -m 0755 /run/sshd || fail "cannot make /run/sshd"
	fi
	for tries in $(seq 1 20); do
		if [ -n "$want" ]; then
			port=$want
		else
			port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
		fi
		port_open "$port" && { [ -n "$want" ] && fail "port $port is taken"; continue; }
		sshd_config "$port"
		rm -f "$SSHD_DIR/sshd.pid"
		"$SSHD_BIN" -D -e -f "$SSHD_DIR/sshd_config" 2>>"$SSHD_DIR/sshd.log" &
		SSHD_PID=$!
		for i in $(seq 1 200); do
			port_open "$port" && [ -f "$SSHD_DIR/sshd.pid" ] && break
			kill -0 "$SSHD_PID" 2>/dev/null || break
			sleep 0.02
		done
		if port_open "$port" && kill -0 "$SSHD_PID" 2>/dev/null; then
			sshd_watchdog "$SSHD_PID"
			SSHD_PORT=$port
			printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$SSHD_HOSTPUB")" \
				>"$SSHD_DIR/known_hosts"
			SSHD_KNOWN=$SSHD_DIR/known_hosts
			trap sshd_stop EXIT
			return 0
		fi
		sshd_stop
		[ -n "$want" ] && break
	done
	cat "$SSHD_DIR/sshd.log" >&2
	fail "cannot start sshd"
}

sshd_url() {
	echo "sftp://$SSHD_USER@127.0.0.1:$SSHD_PORT$1"
}

sshd_district() {
	cp "$SSHD_KEY" "$1/keys/sftp_ed25519"
	chmod 600 "$1/keys/sftp_ed25519"
	cp "$SSHD_KNOWN" "$1/keys/known_hosts"
	printf 'key = keys/sftp_ed25519\nknown_hosts = keys/known_hosts\n' >>"$1/edsync.conf"
}
