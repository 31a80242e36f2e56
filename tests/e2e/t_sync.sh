# sync: direct modifications of the district's database, found by
# comparing source/ with the index of what was last sent.  Exact counts of
# inserts, updates and deletions; a key change is a delete and an insert;
# a bad row changes nothing; a crash between spooling and the index update
# sends the same changes again, and the state ends the same.
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'personID,lastName,firstName,effectiveDate\n1001,A,Ann,2026-01-01\n1002,B,Bo,2026-01-01\n1003,C,Cy,2026-01-01\n1004,D,Di,2026-01-01\n' \
	>D/source/PersonIdentity.csv
printf 'schoolID,name\n7,North\n8,South\n' >D/source/School.csv
state_rows() {
	ok "$E" export --district 0042 --object "$1" --home S
	tail -n +2 out | tr '\n' ' '
}

# 1. the first sync: no index yet, every record
ok "$E" sync --home D
out_has "sync: 6 inserts, 0 updates, 0 deletes -> outbox/0042-0000000001-changes.bundle (sequence 1)"
[ -f D/var/index/PersonIdentity.idx ] && [ -f D/var/index/School.idx ] || fail "no index"
deliver
out_has "applied 0042-0000000001-changes.bundle: district 0042, sequence 1: 6 upserts, 0 deletes (0 records removed)"

# 2. nothing changed: no bundle
ok "$E" sync --home D
out_has "sync: no changes since the last sync"
out_has "  6 records unchanged"
[ -z "$(ls D/outbox/*.bundle 2>/dev/null)" ] || fail "a bundle with no changes"

# 3. an insert, an update, a deletion, a key change (1004 becomes 1040),
#    rows out of order: exact counts
printf 'personID,lastName,firstName,effectiveDate\n1005,E,Ed,2026-02-01\n1001,A,Ann,2026-01-01\n1002,Bee,Bo,2026-01-01\n1040,D,Di,2026-01-01\n' \
	>D/source/PersonIdentity.csv
ok "$E" sync --home D
out_has "sync: 2 inserts, 1 update, 2 deletes -> outbox/0042-0000000002-changes.bundle (sequence 2)"
out_has "  PersonIdentity                          2 inserted        1 updated        2 deleted"
out_has "  3 records unchanged"
deliver
out_has "applied 0042-0000000002-changes.bundle: district 0042, sequence 2: 3 upserts, 2 deletes (2 records removed)"
eq "$(state_rows PersonIdentity | cut -d' ' -f1-4 | sed 's/,,*/,/g')" \
	"1001,A,Ann,2026-01-01 1002,Bee,Bo,2026-01-01 1005,E,Ed,2026-02-01 1040,D,Di,2026-01-01" \
	"records at the state"

# 4. a bad row: reported and kept; its record is neither updated nor deleted
printf 'personID,lastName,firstName,birthDate\n1005,E,Ed,\n1001,A,Ann,2010-02-30\n1002,Bee,Bo,\n1040,D,Di,\n' \
	>D/source/PersonIdentity.csv
expect 65 "$E" sync --home D
err_has "edsync: source/PersonIdentity.csv:3: birthDate: '2010-02-30' is not a date"
# the columns changed (effectiveDate gone, birthDate new): the others are updates
out_has "sync: 0 inserts, 3 updates, 0 deletes -> outbox/0042-0000000003-changes.bundle (sequence 3)"
deliver
ok "$E" export --district 0042 --object PersonIdentity --home S
grep -q '^1001,.*,A,Ann,' out || fail "1001 is gone"

# 5. a crash after the bundle is committed, before the index is replaced:
#    the next sync sends the same changes; the state ends the same
printf 'personID,lastName,firstName,birthDate\n1005,E,Ed,\n1001,A,Ann,2010-02-20\n1002,Bee,Bo,\n' \
	>D/source/PersonIdentity.csv
cp -a D/var/index index.before
ok "$E" sync --home D
out_has "sync: 0 inserts, 1 update, 1 delete -> outbox/0042-0000000004-changes.bundle (sequence 4)"
rm -rf D/var/index && cp -a index.before D/var/index		# the index as if the crash came first
ok "$E" sync --home D
out_has "sync: 0 inserts, 1 update, 1 delete -> outbox/0042-0000000005-changes.bundle (sequence 5)"
deliver
out_has "applied 0042-0000000005-changes.bundle: district 0042, sequence 5: 1 upsert, 1 delete (0 records removed)"
eq "$(state_rows PersonIdentity | tr ' ' '\n' | cut -d, -f1 | tr '\n' ' ')" "1001 1002 1005 " "keys at the state"
ok "$E" sync --home D
out_has "sync: no changes since the last sync"

# 6. a missing source file deletes nothing; a damaged index is refused
rm D/source/School.csv
ok "$E" sync --home D
out_has "sync: no changes since the last sync"
printf 'junk' >D/var/index/PersonIdentity.idx
expect 78 "$E" sync --home D
err_has "edsync: D/var/index/PersonIdentity.idx: not an edsync index; remove it to send every record again"
