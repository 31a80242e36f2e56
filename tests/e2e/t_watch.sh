# watch, both sides on one machine with a folder transfer: a change file
# dropped by rename, by close after writing, or by hard link reaches the
# state; an upsert then a delete arrive in order; a burst becomes far fewer
# bundles than files; lost events (queue overflow) are made up by a scan; a
# watcher killed mid-burst and restarted loses and repeats nothing; SIGTERM
# ends it cleanly.  Waits poll for the outcome (no timing is asserted).
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'personID,lastName\n1001,A\n' >D/source/PersonIdentity.csv
ok "$E" resync --full --home D
deliver
pids=
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT
start_state() { "$E" watch --home S --rescan 2 >>S.out 2>>S.err & spid=$!; pids="$pids $spid"; }
start_district() { "$E" watch --home D --to S --settle 50 --rescan 2 >>D.out 2>>D.err & dpid=$!; pids="$pids $dpid"; }
keys_at_state() {
	"$E" export --district 0042 --object PersonIdentity --home S 2>/dev/null | tail -n +2 | cut -d, -f1 | tr '\n' ' '
}
# wait (up to 60 s) until the state holds exactly these keys
wait_keys() {
	local i
	for i in $(seq 1 600); do
		[ "$(keys_at_state)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "the state holds '$(keys_at_state)', not '$1'"
}
drop() {	# drop NAME CONTENT: written under a .part name, then renamed
	printf "$2" >"D/changes/$1.part"
	mv "D/changes/$1.part" "D/changes/$1"
}
start_state
start_district

# 1. by rename; by close after writing; by hard link
drop PersonIdentity.1.csv '_op,personID,lastName\nupsert,1002,B\n'
wait_keys "1001 1002 "
printf '_op,personID,lastName\nupsert,1003,C\n' >D/changes/PersonIdentity.2.csv
wait_keys "1001 1002 1003 "
printf '_op,personID,lastName\nupsert,1004,D\n' >linked.csv
ln linked.csv D/changes/PersonIdentity.3.csv
wait_keys "1001 1002 1003 1004 "

# 2. an upsert then a delete of one record: in order
drop PersonIdentity.4.csv '_op,personID,lastName\nupsert,1005,E\n'
drop PersonIdentity.5.csv '_op,personID\ndelete,1005\n'
drop PersonIdentity.6.csv '_op,personID\ndelete,1004\n'
wait_keys "1001 1002 1003 "

# 3. a burst of 300 files: every record, in far fewer bundles than files
before=$(ls S/var/applied | grep -c 'changes.bundle$')
mkdir burst
for i in $(seq 2000 2299); do
	printf '_op,personID,lastName\nupsert,%d,X\n' "$i" >"burst/PersonIdentity.$i.csv"
done
mv burst/* D/changes/
want="1001 1002 1003 $(seq 2000 2299 | tr '\n' ' ')"
wait_keys "$want"
bundles=$(( $(ls S/var/applied | grep -c 'changes.bundle$') - before ))
[ "$bundles" -ge 1 ] && [ "$bundles" -le 30 ] || fail "300 files in $bundles bundles"
eq "$(ls D/var/changes/done | wc -l)" 306 "files taken"

# 4. SIGTERM ends both cleanly
kill -TERM "$dpid" "$spid"
wait "$dpid"; rd=$?
wait "$spid"; rs=$?
eq "$rd $rs" "0 0" "exit codes after SIGTERM"
grep -q '^watch: .* stopping (SIGTERM)$' D.out || fail "no clean stop in the district's output"
grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' D.err S.err && fail "sanitizer report"

# 5. files that came while nobody watched are taken at start-up
drop PersonIdentity.7.csv '_op,personID,lastName\nupsert,1007,G\n'
start_state
start_district
want="1001 1002 1003 1007 $(seq 2000 2299 | tr '\n' ' ')"
wait_keys "$want"

# 6. killed (SIGKILL) in the middle of a burst, then restarted: nothing
#    lost, no file taken twice
for i in $(seq 3000 3399); do
	printf '_op,personID,lastName\nupsert,%d,Y\n' "$i" >"burst/PersonIdentity.$i.csv"
done
mv burst/* D/changes/
sleep 0.3
kill -9 "$dpid"
wait "$dpid" 2>/dev/null
flock -w 60 D/var/lock true || fail "the killed watcher holds the lock"
start_district
want="1001 1002 1003 1007 $(seq 2000 2299 | tr '\n' ' ')$(seq 3000 3399 | tr '\n' ' ')"
wait_keys "$want"
for i in $(seq 1 100); do
	[ -z "$(ls D/changes)" ] && break
	sleep 0.1
done
eq "$(ls D/changes | wc -l)" 0 "files left in changes/"
eq "$(ls D/var/changes/done | wc -l)" 707 "files taken"
# a file goes into a bundle once: counted by the run that made the bundle,
# or (killed before it could move them) moved by the next one
taken=$(grep -h '^changes: [0-9]* file' D.out | awk '{s += $2} END {print s}')
moved=$(sed -n 's/^edsync: changes: \([0-9]*\) files* of a bundle committed before a crash moved.*/\1/p' D.err |
	awk '{s += $1} END {print s + 0}')
eq "$((taken + moved))" 707 "files counted into bundles (none twice)"

# 7. lost events: the kernel's queue overflows while the state's watcher
#    is stopped; it scans and loads all
kill -TERM "$dpid"; wait "$dpid"
kill -9 "$spid"; wait "$spid" 2>/dev/null
q=/proc/sys/fs/inotify/max_queued_events
if [ -w "$q" ]; then
	old=$(cat "$q")
	n=$(grep -c 'watching inbox/$' S.out)
	echo 4 >"$q"
	start_state
	# its queue's size is fixed when it starts watching
	for i in $(seq 1 600); do
		[ "$(grep -c 'watching inbox/$' S.out)" -gt "$n" ] && break
		sleep 0.1
	done
	echo "$old" >"$q"
	kill -STOP "$spid"
	# twenty bundles, each its own delivery: far more events than 4
	for i in $(seq 4000 4019); do
		drop "PersonIdentity.$i.csv" "_op,personID,lastName\nupsert,$i,Z\n"
		ok "$E" changes --settle 0 --home D
		ok "$E" send --to S --home D
	done
	kill -CONT "$spid"
	want="$want$(seq 4000 4019 | tr '\n' ' ')"
	wait_keys "$want"
	grep -q "watch: the kernel's event queue overflowed; scanning every folder" S.err ||
		fail "no overflow seen"
else
	echo "(not root: the queue overflow part is skipped)"
fi
kill -TERM "$spid" 2>/dev/null
wait
