# Change files: changes/<Object>.<anything>.csv with _op upsert|delete become
# one change bundle per run, oldest file first; the state ends where the
# files end.  Half-written files (.part, dotfiles, too young) wait; a bad
# row is reported and kept, its file's other rows go; an unreadable file is
# set aside with a reason; taken files move to var/changes/done/ only once
# their bundle is in the outbox (a crash in between repeats nothing).
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'personID,lastName,firstName,effectiveDate\n1001,A,Ann,2026-01-01\n1002,B,Bo,2026-01-01\n' \
	>D/source/PersonIdentity.csv
ok "$E" resync --full --home D
deliver
old() { touch -d '10 seconds ago' "$@"; }
state_rows() {
	ok "$E" export --district 0042 --object PersonIdentity --home S
	cut -d, -f1,6,7,14 out | tail -n +2 | tr '\n' ' '
}

# 1. an upsert then a delete of one record, in two files: deleted at the end;
#    a new record upserted twice: the second wins; fields that do not sync
#    on save (effectiveDate) stay as the state has them
printf '_op,personID,lastName,firstName\nupsert,1003,C,Cy\nupsert,1001,Aa,Ann\n' \
	>D/changes/PersonIdentity.0001.csv
old D/changes/PersonIdentity.0001.csv
printf '_op,personID,lastName,firstName\ndelete,1003,,\nupsert,1004,D,Di\nupsert,1004,Dd,Di\n' \
	>D/changes/PersonIdentity.0002.csv
touch -d '5 seconds ago' D/changes/PersonIdentity.0002.csv
# still being written: left alone
printf '_op,personID\nupsert,1009\n' >D/changes/PersonIdentity.0003.csv.part
printf '_op,personID\nupsert,1009\n' >D/changes/.PersonIdentity.0004.csv
printf '_op,personID\nupsert,1009\n' >D/changes/PersonIdentity.0005.csv	# too young
ok "$E" changes --settle 3000 --home D
out_has "changes: 2 files: 2 upserts, 1 delete -> outbox/0042-0000000002-changes.bundle (sequence 2)"
[ -f D/var/changes/done/PersonIdentity.0001.csv ] && [ -f D/var/changes/done/PersonIdentity.0002.csv ] ||
	fail "taken files not in var/changes/done"
eq "$(ls -A D/changes | sort | tr '\n' ' ')" ".PersonIdentity.0004.csv PersonIdentity.0003.csv.part PersonIdentity.0005.csv " \
	"files left in changes/"
deliver
out_has "applied 0042-0000000002-changes.bundle: district 0042, sequence 2: 2 upserts, 1 delete (0 records removed)"
eq "$(state_rows)" "1001,Aa,Ann,2026-01-01 1002,B,Bo,2026-01-01 1004,Dd,Di, " "records at the state"

# 2. one member, a row per record: 1003's delete, 1001's and 1004's last upserts
ok "$E" inspect --home S S/var/applied/0042-0000000002-changes.bundle
grep -qE '^  PersonIdentity\.changes\.csv +changes +3 rows ' out || fail "the change member"
rm D/changes/PersonIdentity.0005.csv

# 3. a delete of a record the state has; bad rows; an unreadable file
printf '_op,personID,lastName,birthDate\ndelete,1002,,\nupsert,1005,E,2015-02-30\nremove,1006,F,\nupsert,1007,G,2015-02-03\n' \
	>D/changes/PersonIdentity.0006.csv
printf '_op,personID,shoeSize\nupsert,1008,44\n' >D/changes/PersonIdentity.0007.csv
printf 'personID,lastName\n1009,H\n' >D/changes/PersonIdentity.0008.csv
printf '_op,x\nupsert,1\n' >D/changes/Nonsense.0009.csv
old D/changes/*.csv
expect 65 "$E" changes --home D
out_has "changes: 1 file: 1 upsert, 1 delete -> outbox/0042-0000000003-changes.bundle (sequence 3)"
err_has "edsync: changes/PersonIdentity.0006.csv:3: birthDate: '2015-02-30' is not a date"
err_has "edsync: changes/PersonIdentity.0006.csv:4: _op: must be upsert or delete"
err_has "edsync: changes/PersonIdentity.0007.csv: set aside in var/changes/rejected: line 1: column 'shoeSize' is not a field of PersonIdentity"
err_has "edsync: changes/PersonIdentity.0008.csv: set aside in var/changes/rejected: line 1: _op: the first column of a change file must be _op"
err_has "edsync: changes/Nonsense.0009.csv: set aside in var/changes/rejected: not a change file: the name is not <Object>.<anything>.csv of a synced object ('edsync objects' lists them)"
err_lines 5
out_has "changes: 2 rows rejected: $(cd D && ls outbox/rejects/0042-changes-*.rejects.csv)"
rej=$(ls D/outbox/rejects/0042-changes-*.rejects.csv)
eq "$(tail -n +2 "$rej")" 'changes/PersonIdentity.0006.csv,3,birthDate,'"'"'2015-02-30'"'"' is not a date,"upsert,1005,E,2015-02-30"
changes/PersonIdentity.0006.csv,4,_op,must be upsert or delete,"remove,1006,F,"' "the rejects file"
grep -qxF "refused: line 1: column 'shoeSize' is not a field of PersonIdentity" \
	D/var/changes/rejected/PersonIdentity.0007.csv.reason || fail "reason file"
eq "$(ls D/var/changes/rejected | wc -l)" 6 "files and reasons set aside"
deliver
out_has "applied 0042-0000000003-changes.bundle: district 0042, sequence 3: 1 upsert, 1 delete (1 record removed)"
eq "$(state_rows)" "1001,Aa,Ann,2026-01-01 1004,Dd,Di, 1007,G,, " "records at the state"

# 4. nothing to do
ok "$E" changes --home D
out_has "changes: nothing to do"

# 5. a crash after the bundle is committed, before the files moved: the
#    next run moves them and makes no second bundle
printf '_op,personID,lastName\nupsert,1010,J\n' >D/changes/PersonIdentity.0010.csv
old D/changes/PersonIdentity.0010.csv
ok "$E" changes --home D
out_has "changes: 1 file: 1 upsert, 0 deletes -> outbox/0042-0000000004-changes.bundle (sequence 4)"
mv D/var/changes/done/PersonIdentity.0010.csv D/changes/
s=$(stat -c '%d %i %s %Y' D/changes/PersonIdentity.0010.csv)
ns=$(stat -c '%y' D/changes/PersonIdentity.0010.csv | sed 's/.*\.\([0-9]*\) .*/\1/')
set -- $s
printf '4\n%s %s %s %s.%s PersonIdentity.0010.csv\n' "$1" "$2" "$3" "$4" "$ns" >D/var/changes/pending
ok "$E" changes --home D
err_has "edsync: changes: 1 file of a bundle committed before a crash moved to var/changes/done"
out_has "changes: nothing to do"
[ ! -e D/var/changes/pending ] || fail "journal left"
eq "$(ls D/outbox/*.bundle | wc -l)" 1 "bundles in the outbox"
# and a journal of a bundle that never reached the outbox: forgotten, the file goes again
printf '5\n1 2 3 4.5 PersonIdentity.0011.csv\n' >D/var/changes/pending
printf '_op,personID,lastName\nupsert,1011,K\n' >D/changes/PersonIdentity.0011.csv
old D/changes/PersonIdentity.0011.csv
ok "$E" changes --home D
out_has "changes: 1 file: 1 upsert, 0 deletes -> outbox/0042-0000000005-changes.bundle (sequence 5)"
deliver
eq "$(state_rows)" "1001,Aa,Ann,2026-01-01 1004,Dd,Di, 1007,G,, 1010,J,, 1011,K,, " "records at the state"
