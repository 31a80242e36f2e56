# State requests: a signed resync request the district carries out at its
# next load (it cannot decline); the answer names the request and the
# state's load says so; under watch it is carried out at once; an expired
# request is refused.
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'schoolID,name\n7,North\n8,South\n' >D/source/School.csv
printf 'calendarID,schoolID,endYear\n70,7,2027\n80,8,2027\n' >D/source/Calendar.csv
printf 'personID,lastName\n1001,A\n1002,B\n' >D/source/PersonIdentity.csv
printf 'enrollmentID,personID,calendarID,grade,startDate\n501,1001,70,05,2026-08-20\n502,1002,80,06,2026-08-20\n503,1002,70,06,2026-08-20\n' \
	>D/source/Enrollment.csv
ok "$E" resync --full --home D
deliver
sed -i '/^503,/d' D/source/Enrollment.csv	# deleted directly

# 1. a resync of school 7's enrollments, asked by the state
expect 64 "$E" request --district 0042 --home S
err_has "edsync: request: a resync request wants --full or --objects A,B (or --verify: a digest) (see 'edsync help request')"
ok "$E" request --district 0042 --objects Enrollment --school 7 --home S
grep -qE '^request 2 \(resync\) for district 0042, expires [0-9-]{10}T[0-9:]{8}Z: outbox/0042/0042-0000000002-request.bundle$' out ||
	fail "request line"
ok "$E" send --to S --home D
ok "$E" load --home D
out_has "resync: outbox/0042-0000000002-resync.bundle (sequence 2, scope school:7)"
out_has "request 2 from the state (resync): answered in outbox/0042-0000000002-resync.bundle"
deliver
out_has "  carries out request 2 of the state"
out_has "  Enrollment                                1  1 orphan removed"
eq "$(sqlite3 S/store.db "select answered from edsync_request where seq = 2")" 1 "answered"
ok "$E" export --district 0042 --object Enrollment --home S
eq "$(tail -n +2 out | cut -d, -f1 | tr '\n' ' ')" "501 502 " "enrollments at the state"

# 2. brought back twice: carried out once
cp D/var/received/0042-0000000002-request.bundle D/inbox/
ok "$E" load --home D
out_has "request 2 from the state: carried out already"
[ -z "$(ls D/outbox/*.bundle 2>/dev/null)" ] || fail "carried out twice"

# 3. an expired request is refused, kept with the reason
ok "$E" request --district 0042 --full --expires-at 2020-01-01T00:00:00Z --home S
err_has "edsync: request: it expires at 2020-01-01T00:00:00Z, which has passed: the district will refuse it"
n=$(sed -n 's/^request \([0-9]*\) .*/\1/p' out)	# (receipts share the numbering)
f=$(printf '0042-%010d-request.bundle' "$n")
ok "$E" send --to S --home D
expect 65 "$E" load --home D
err_has "edsync: inbox/$f: refused: request $n expired at 2020-01-01T00:00:00Z: not carried out"
[ -f "D/var/quarantine/$f.reason" ] || fail "no reason file"
[ -z "$(ls D/outbox/*.bundle 2>/dev/null)" ] || fail "an expired request carried out"

# 4. under watch (which polls the destination every --rescan seconds):
#    carried out and sent at once
"$E" watch --home D --to S --rescan 1 >D.out 2>D.err & dpid=$!
trap 'kill -9 $dpid 2>/dev/null' EXIT
ok "$E" request --district 0042 --objects PersonIdentity --home S
n=$(sed -n 's/^request \([0-9]*\) .*/\1/p' out)
for i in $(seq 1 300); do
	[ -f S/inbox/0042-0000000003-resync.bundle ] && break
	sleep 0.1
done
[ -f S/inbox/0042-0000000003-resync.bundle ] || fail "the watcher did not answer the request"
kill -TERM $dpid; wait $dpid
ok "$E" load --home S
out_has "  carries out request $n of the state"
