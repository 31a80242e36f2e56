# An SFTP server that is down: 69, the outbox intact, nothing marked sent;
# once the server is up again the same send delivers everything, once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
setup_pair 50
sshd_start
port=$SSHD_PORT
sshd_district D
sshd_stop
URL=$(sshd_url "$PWD/S")
ok "$E" resync --full --home D
ok "$E" digest --home D
mkdir queued
cp D/outbox/*.bundle queued/

expect 69 "$E" send --to "$URL" --home D
err_has "edsync: send: $URL: cannot connect: Connection refused"
err_lines 1
eq "$(cat out)" "" "stdout"
for b in queued/*; do
	cmp -s "$b" "D/outbox/$(basename "$b")" || fail "$(basename "$b") left the outbox"
done
eq "$(ls -A D/var/sent | wc -l)" 0 "bundles sent"
eq "$(ls -A S/inbox | grep -cvx .tmp)" 0 "files in the state's inbox"

# up again, on the same port
sshd_start "$port"
ok "$E" send --to "$URL" --home D
for b in queued/*; do
	out_has "sent $(basename "$b")"
	cmp -s "$b" "S/inbox/$(basename "$b")" || fail "$(basename "$b") not delivered whole"
done
out_has "send: 2 bundles delivered to $URL, 0 files received"
eq "$(ls D/outbox | grep -c '\.bundle$')" 0 "bundles queued"
ok "$E" load --home S
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
