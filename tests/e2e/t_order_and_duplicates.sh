# Each district's bundles are applied once and in sequence: the same bundle
# delivered twice is applied once; a bundle after a gap waits in var/held/
# until the gap is filled; a different bundle reusing an applied sequence
# (a replay) is refused.
. "$(dirname "$0")/lib.sh"
setup_pair 30
ok "$E" resync --full --home D
cp D/outbox/0042-0000000001-resync.bundle first.bundle
ok "$E" resync --objects PersonIdentity --home D
ok "$E" resync --objects Enrollment --home D
mkdir held
mv D/outbox/0042-0000000003-resync.bundle held/

# 2 before 1: 2 is held, then applied once 1 arrives
mv D/outbox/0042-0000000001-resync.bundle held/
ok "$E" send --to S --home D
ok "$E" load --home S
out_has "held 0042-0000000002-resync.bundle: district 0042 sequence 2 waits for sequence 1"
out_has "load: 0 applied, 1 held, 0 duplicates, 0 refused"
[ -f S/var/held/0042-0000000002-resync.bundle ] || fail "not in var/held"
ok "$E" status --home S
out_has "  gap: sequence 1 has not arrived"
out_has "  last verification: none yet"
ok "$E" status --home S --json
grep -qF '"held_bundles": 1, "quarantined": 0, "missing_sequence": 1, "last_verification": null,' out ||
	fail "gap in JSON"
cp held/0042-0000000001-resync.bundle S/inbox/
ok "$E" load --home S
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
eq "$(ls -A S/var/held | grep -c bundle)" 0 "var/held"

# the same bundle again, twice: ignored
cp first.bundle S/inbox/again.bundle
cp first.bundle S/inbox/again2.bundle
ok "$E" load --home S
out_has "duplicate again.bundle: sequence 1 of district 0042 is applied already; ignored"
out_has "load: 0 applied, 0 held, 2 duplicates, 0 refused"
eq "$(state_rows PersonIdentity)" $(( $(wc -l <D/source/PersonIdentity.csv) - 1 )) "persons"

# 3 goes through
cp held/0042-0000000003-resync.bundle S/inbox/
ok "$E" load --home S
out_has "load: 1 applied, 0 held, 0 duplicates, 0 refused"

# a replay: sequence 2 again, with other content, signed by the district
ok "$E" init --role district --district 0042 --state NV --year 2027 --home R
cp D/keys/district.key D/keys/district.pub R/keys/
sed '2s/,[^,]*$/,2026-09-30/' D/source/PersonIdentity.csv >R/source/PersonIdentity.csv
printf '1\n' >R/var/sequence
ok "$E" resync --objects PersonIdentity --home R
cp R/outbox/0042-0000000002-resync.bundle S/inbox/replay.bundle
cmp -s R/outbox/0042-0000000002-resync.bundle S/var/applied/0042-0000000002-resync.bundle &&
	fail "the replay must differ from the applied bundle"
expect 77 "$E" load --home S
err_has "edsync: inbox/replay.bundle: refused: replay: sequence 2 of district 0042 was applied with other content (last applied: 3)"
