# Two loaders at once on one state home: the second exits 75 with a
# message while the first holds the home; with --wait it waits its turn.
# Two started together apply every bundle exactly once between them.
. "$(dirname "$0")/lib.sh"
setup_pair 200
ok "$E" resync --full --home D
ok "$E" resync --objects PersonIdentity --home D
ok "$E" resync --objects Enrollment --home D
ok "$E" send --to S --home D
eq "$(ls S/inbox | wc -l)" 3 "bundles in the inbox"

# held by another loader: 75, the inbox untouched
flock S/var/lock sleep 2 &
holder=$!
sleep 0.5
expect 75 "$E" load --home S
err_has "edsync: S: another edsync is working in this home; try again later (or use --wait)"
eq "$(ls S/inbox | wc -l)" 3 "bundles left in the inbox"
wait $holder

# two at once, both waiting for the lock: each bundle applied once
"$E" load --wait --home S >one.out 2>one.err &
a=$!
"$E" load --wait --home S >two.out 2>two.err &
b=$!
wait $a; ra=$?
wait $b; rb=$?
eq "$ra $rb" "0 0" "exit codes of the two loaders"
cat one.err two.err >err
grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' err && fail "sanitizer report"
eq "$(cat one.out two.out | grep -c '^applied ')" 3 "bundles applied by the two"
eq "$(cat one.out two.out | grep -c '^duplicate ')" 0 "duplicates"
grep -qx 'load: 3 applied, 0 held, 0 duplicates, 0 refused' one.out two.out ||
	fail "no loader applied all three"
grep -qx 'load: 0 applied, 0 held, 0 duplicates, 0 refused' one.out two.out ||
	fail "the other loader found work"
eq "$(ls S/var/applied | wc -l)" 3 "bundles filed as applied"
ok "$E" status --home S --json
grep -q '{"district": "0042", "last_applied": 3,' out || fail "last applied is not 3"
