# watch with an SFTP destination that is down: the district's watcher
# spools the change, fails to send (69), says when it tries again, and
# keeps the bundle; when the server is back, the back-off's next try
# delivers it and the state's watcher applies it; nothing is sent twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
setup_pair
printf 'personID,lastName\n1001,A\n' >D/source/PersonIdentity.csv
ok "$E" resync --full --home D
deliver
sshd_start
port=$SSHD_PORT
sshd_district D
sshd_stop
URL=$(sshd_url "$PWD/S")
pids=
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; sshd_stop; }
trap cleanup EXIT
"$E" watch --home S >S.out 2>S.err & pids="$pids $!"; spid=$!
"$E" watch --home D --to "$URL" --settle 0 >D.out 2>D.err & pids="$pids $!"; dpid=$!

printf '_op,personID,lastName\nupsert,1002,B\n' >D/changes/.p.part
mv D/changes/.p.part D/changes/PersonIdentity.1.csv
# the change is spooled, the send fails and is scheduled again
for i in $(seq 1 300); do
	grep -q "^edsync: watch: send to $URL failed; next try in [0-9]* s$" D.err && break
	sleep 0.1
done
grep -q "^edsync: watch: send to $URL failed; next try in [0-9]* s$" D.err || fail "no back-off"
grep -q "^edsync: send: $URL: cannot connect: Connection refused$" D.err || fail "no 69 reason"
[ -f D/outbox/0042-0000000002-changes.bundle ] || fail "the bundle left the outbox"

# the server comes back: the next try (5 s at most after the first) delivers
sshd_start "$port"
for i in $(seq 1 300); do
	"$E" export --district 0042 --object PersonIdentity --home S 2>/dev/null | grep -q '^1002,' && break
	sleep 0.1
done
"$E" export --district 0042 --object PersonIdentity --home S | grep -q '^1002,' ||
	fail "the change never reached the state"
eq "$(grep -c '^sent 0042-0000000002-changes.bundle$' D.out)" 1 "times the bundle was sent"
kill -TERM "$dpid" "$spid"
wait "$dpid"; rd=$?
wait "$spid"; rs=$?
eq "$rd $rs" "0 0" "exit codes after SIGTERM"
grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' D.err S.err && fail "sanitizer report"
exit 0
