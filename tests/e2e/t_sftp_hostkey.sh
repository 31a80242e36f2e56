# The SFTP server must show the host key pinned for it: a changed key and an
# unknown one are refused with 77, naming the host and the key the server
# shows; nothing is sent, nothing is written on the server.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
setup_pair 30
sshd_start
sshd_district D
URL=$(sshd_url "$PWD/S")
ok "$E" resync --full --home D
ok "$E" digest --home D
mkdir queued
cp D/outbox/*.bundle queued/

nothing_sent() {
	for b in queued/*; do
		cmp -s "$b" "D/outbox/$(basename "$b")" || fail "$(basename "$b") left the outbox"
	done
	eq "$(ls -A D/var/sent | wc -l)" 0 "bundles sent"
	eq "$(ls -A S/inbox | grep -cvx .tmp)" 0 "files in the state's inbox"
}

# changed: another host key pinned for [127.0.0.1]:PORT
ssh-keygen -q -t ed25519 -N '' -f impostor
printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$(cut -d' ' -f1,2 impostor.pub)" >D/keys/known_hosts
expect 77 "$E" send --to "$URL" --home D
err_has "edsync: send: $URL: host key of [127.0.0.1]:$SSHD_PORT changed: the server shows ssh-ed25519 $SSHD_FP, not the key pinned in D/keys/known_hosts; refused"
err_lines 1
eq "$(cat out)" "" "stdout"
nothing_sent

# changed to another type
ssh-keygen -q -t rsa -b 2048 -N '' -f impostor_rsa
printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$(cut -d' ' -f1,2 impostor_rsa.pub)" >D/keys/known_hosts
expect 77 "$E" send --to "$URL" --home D
err_has "edsync: send: $URL: host key of [127.0.0.1]:$SSHD_PORT changed: the server shows ssh-ed25519 $SSHD_FP, not the key pinned in D/keys/known_hosts; refused"
nothing_sent

# unknown: pinned for another port only, or nothing pinned at all
printf '[127.0.0.1]:%s %s\n' "$(( SSHD_PORT + 1 ))" "$(cut -d' ' -f1,2 "$SSHD_HOSTPUB")" >D/keys/known_hosts
expect 77 "$E" send --to "$URL" --home D
err_has "edsync: send: $URL: host key of [127.0.0.1]:$SSHD_PORT is not pinned in D/keys/known_hosts: the server shows ssh-ed25519 $SSHD_FP; refused"
err_lines 1
nothing_sent
: >D/keys/known_hosts
expect 77 "$E" send --to "$URL" --home D
err_has "edsync: send: $URL: host key of [127.0.0.1]:$SSHD_PORT is not pinned in D/keys/known_hosts: the server shows ssh-ed25519 $SSHD_FP; refused"
nothing_sent

# pinned right: delivered
cp "$SSHD_KNOWN" D/keys/known_hosts
ok "$E" send --to "$URL" --home D
out_has "send: 2 bundles delivered to $URL, 0 files received"
ok "$E" load --home S
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
