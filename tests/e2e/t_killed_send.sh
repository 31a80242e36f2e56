# A send killed (SIGKILL) at random instants leaves every bundle either
# fully delivered or still in the outbox (or both), never half-delivered;
# the next send and load apply each sequence exactly once.
. "$(dirname "$0")/lib.sh"
setup_pair 400
for o in full PersonIdentity Enrollment School Calendar; do
	if [ "$o" = full ]; then ok "$E" resync --full --home D
	else ok "$E" resync --objects "$o" --home D; fi
done
mkdir orig
cp D/outbox/*.bundle orig/
eq "$(ls orig | wc -l)" 5 "bundles"
cp -a D D0
cp -a S S0

# how long one send takes: the fastest of three, so that the kills land
# within one even when the machine is busy at the start
ms=
for t in 1 2 3; do
	rm -rf Dt St
	cp -a D Dt; cp -a S St
	t0=$(date +%s%N)
	"$E" send --to St --home Dt >/dev/null 2>&1 || fail "send"
	m=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
	[ -z "$ms" ] || [ "$m" -lt "$ms" ] && ms=$m
done
rm -rf Dt St

RANDOM=4242
interrupted=0
for i in $(seq 1 50); do
	rm -rf D S
	cp -a D0 D
	cp -a S0 S
	r=$(( (RANDOM * 32768 + RANDOM) % ms ))
	delay=$(printf '%d.%03d' $((r / 1000)) $((r % 1000)))
	timeout -s KILL "$delay" "$E" send --to S --home D >/dev/null 2>&1
	# timeout's KILL also hits timeout itself, which then does not wait
	# for edsync to be gone: its lock goes when it is
	flock -w 60 D/var/lock true || fail "iteration $i: the killed edsync holds the lock"
	[ "$(ls D/var/sent | grep -c bundle)" = 5 ] || interrupted=$((interrupted + 1))
	for b in orig/*.bundle; do
		n=$(basename "$b")
		in_outbox=0 in_inbox=0
		[ -f "D/outbox/$n" ] && in_outbox=1
		if [ -f "S/inbox/$n" ]; then
			cmp -s "$b" "S/inbox/$n" || fail "iteration $i ($delay s): $n half-delivered"
			in_inbox=1
		fi
		[ $in_outbox -eq 1 ] || [ $in_inbox -eq 1 ] ||
			fail "iteration $i ($delay s): $n is neither in the outbox nor delivered"
		if [ -f "D/var/sent/$n" ] && [ $in_inbox -eq 0 ]; then
			fail "iteration $i: $n marked sent but not delivered"
		fi
	done
	# anything else in the inbox is an in-progress temporary (dot) name
	extra=$(ls S/inbox | grep -v '^0042-00000000[0-9][0-9]-resync.bundle$' || true)
	[ -z "$extra" ] || fail "iteration $i: unexpected inbox entries: $extra"
	ok "$E" send --to S --home D
	ok "$E" load --home S
	out_has "load: 5 applied, 0 held, 0 duplicates, 0 refused"
done
echo "$interrupted of 50 sends interrupted"
[ "$interrupted" -ge 10 ] || fail "only $interrupted of 50 sends were interrupted"
