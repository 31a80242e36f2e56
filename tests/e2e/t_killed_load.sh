# A load killed (SIGKILL) at random instants, 50 times: the next load
# finishes the work, and every record is at the state exactly once, every
# bundle applied once, none lost, none half-applied.
. "$(dirname "$0")/lib.sh"
setup_pair 300
ok "$E" resync --full --home D
ok "$E" resync --objects PersonIdentity --home D
sed -i '2,20d' D/source/Enrollment.csv		# 19 enrollments deleted: orphans
ok "$E" resync --objects Enrollment --home D
ok "$E" send --to S --home D
cp -a S S0

# how long a load takes: the fastest of three, so that the kills land
# within one even when the machine is busy at the start
ms=
for t in 1 2 3; do
	rm -rf St
	cp -a S0 St
	t0=$(date +%s%N)
	"$E" load --home St >/dev/null 2>&1 || fail "load"
	m=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
	[ -z "$ms" ] || [ "$m" -lt "$ms" ] && ms=$m
done
rm -rf St
# the result of an uninterrupted load
ok "$E" load --home S
out_has "load: 3 applied, 0 held, 0 duplicates, 0 refused"
for o in School Calendar PersonIdentity Enrollment; do
	"$E" export --district 0042 --object "$o" --home S >"want.$o.csv" || fail "export"
done

RANDOM=7
interrupted=0
for i in $(seq 1 50); do
	rm -rf S
	cp -a S0 S
	# somewhere within one load's time
	r=$(( (RANDOM * 32768 + RANDOM) % ms ))
	delay=$(printf '%d.%03d' $((r / 1000)) $((r % 1000)))
	timeout -s KILL "$delay" "$E" load --home S >/dev/null 2>&1
	# timeout's KILL also hits timeout itself, which then does not wait
	# for edsync to be gone: its lock goes when it is
	flock -w 60 S/var/lock true || fail "iteration $i: the killed edsync holds the lock"
	[ "$(sqlite3 S/store.db 'select max(last_seq) from edsync_district' 2>/dev/null)" = 3 ] &&
		[ "$(ls S/var/applied | grep -c bundle)" = 3 ] || interrupted=$((interrupted + 1))
	ok "$E" load --home S
	grep -q ' refused$' out && ! grep -q ', 0 refused$' out && fail "iteration $i ($delay s): refused"
	for o in School Calendar PersonIdentity Enrollment; do
		"$E" export --district 0042 --object "$o" --home S >got.csv || fail "export"
		cmp -s got.csv "want.$o.csv" || fail "iteration $i ($delay s): $o differs"
	done
	eq "$(sqlite3 S/store.db 'select count(*) from edsync_bundle')" 3 "iteration $i: bundles applied"
	eq "$(sqlite3 S/store.db 'select last_seq from edsync_district')" 3 "iteration $i: sequence"
	eq "$(ls S/var/claimed S/var/held S/var/quarantine S/inbox | grep -c bundle)" 0 \
		"iteration $i: bundles left unprocessed"
	eq "$(ls S/var/applied | grep -c '^0042-.*bundle$')" 3 "iteration $i: bundles filed"
done
# the kills did land while loads were under way
echo "$interrupted of 50 loads interrupted"
[ "$interrupted" -ge 10 ] || fail "only $interrupted of 50 loads were interrupted"
