# Send over SFTP to a real OpenSSH sshd: the bundles land in the state's
# inbox (the server's folder) under their names, whole, and the state loads
# them; what the state left in outbox/0042/ comes back into the district's
# inbox and leaves the server.  Config problems are 78, a login the server
# refuses 77, a folder that is not there 69, a bad URL 64.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
setup_pair 100
sshd_start
URL=$(sshd_url "$PWD/S")
ok "$E" resync --full --home D
b1=0042-0000000001-resync.bundle
cp "D/outbox/$b1" .

# the settings sftp needs, checked before connecting
expect 78 "$E" send --to "$URL" --home D
err_has "edsync: send: $URL: sftp needs [send] key = PATH in D/edsync.conf"
err_lines 1
sshd_district D
printf 'to = %s\n' "$URL" >>D/edsync.conf
chmod 644 D/keys/sftp_ed25519
expect 78 "$E" send --home D
err_has "edsync: D/keys/sftp_ed25519: sftp key is readable by group or others (mode 0644); run 'chmod 600 D/keys/sftp_ed25519'"
err_lines 1
chmod 600 D/keys/sftp_ed25519
mv D/keys/known_hosts kh
expect 78 "$E" send --home D
err_has "edsync: D/keys/known_hosts: cannot read the pinned host keys ([send] known_hosts): No such file or directory"
mv kh D/keys/known_hosts
eq "$(ls D/outbox | grep -c '\.bundle$')" 1 "bundles queued"

# a bad URL, a folder the server does not have
expect 64 "$E" send --to "sftp://127.0.0.1:$SSHD_PORT/x" --home D
err_has "edsync: send: sftp://127.0.0.1:$SSHD_PORT/x: not an sftp destination (sftp://user@host[:port]/path)"
expect 69 "$E" send --to "$(sshd_url "$PWD/nowhere")" --home D
err_has "edsync: send: $(sshd_url "$PWD/nowhere"): cannot reach the destination folder: no such file or folder"
err_lines 1

# the real thing, to [send] to of the config
ok "$E" send --home D
out_has "sent $b1"
out_has "send: 1 bundle delivered to $URL, 0 files received"
eq "$(cat err)" "" "stderr"
eq "$(ls -A S/inbox)" "$b1" "the state's inbox"
cmp -s "$b1" "S/inbox/$b1" || fail "the bundle arrived altered"
eq "$(stat -c %a "S/inbox/$b1")" 640 "mode of the upload"
eq "$(ls D/var/sent)" "$b1" "sent"
eq "$(ls D/outbox | grep -c '\.bundle$')" 0 "bundles queued"
ok "$E" load --home S
out_has "load: 1 applied, 0 held, 0 duplicates, 0 refused"
eq "$(state_rows PersonIdentity)" "$(( $(wc -l <D/source/PersonIdentity.csv) - 1 ))" "persons at the state"

# what the state left for the district comes back, and leaves the server
printf 'a request\n' >S/outbox/0042/note-1.txt
head -c 100000 /dev/urandom >S/outbox/0042/blob.bin
mkdir left
cp S/outbox/0042/* left/
n=$(ls left | wc -l)
ok "$E" send --home D
for f in left/*; do
	out_has "received $(basename "$f")"
	cmp -s "$f" "D/inbox/$(basename "$f")" || fail "$(basename "$f") came back altered"
done
out_has "send: 0 bundles delivered to $URL, $n files received"
eq "$(ls S/outbox/0042)" "" "the state's return folder"
eq "$(ls D/inbox | wc -l)" "$n" "files in the district's inbox"

# a login the server refuses (another key): 77, nothing sent
ok "$E" resync --objects School --home D
ssh-keygen -q -t ed25519 -N '' -f other
cp other.pub sshd/authorized_keys
expect 77 "$E" send --home D
err_has "edsync: send: $URL: the server refused the login of $SSHD_USER with the key of [send] key; refused"
err_lines 1
eq "$(ls D/outbox | grep -c '\.bundle$')" 1 "bundles queued"
eq "$(ls -A S/inbox | grep -cvx .tmp)" 0 "files in the state's inbox"
