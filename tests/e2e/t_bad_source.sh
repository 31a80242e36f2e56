# Bad rows in the district's source: exit 65, one line per problem naming
# file, line, field and reason; every bad row kept in the rejects file;
# the good rows still sync; the state keeps what it holds for the keys of
# bad rows (a typo never deletes a record at the state); nothing
# half-written left in the outbox.
. "$(dirname "$0")/lib.sh"
setup_pair

H=personID,stateID,lastName,firstName,gender,birthDate
EH=enrollmentID,personID,calendarID,grade,startDate

# 19 persons, 19 enrollments: lines 2..20 of each file
persons() {
	echo "$H"
	for i in $(seq 1 19); do
		printf '%d,%010d,Last%d,First%d,F,2012-01-%02d\n' $((1000 + i)) "$i" "$i" "$i" "$i"
	done
}
enrollments() {
	echo "$EH"
	for i in $(seq 1 19); do
		printf '%d,%d,100,05,2026-08-%02d\n' $((5000 + i)) $((1000 + i)) "$i"
	done
}

# 1. a clean first sync (calendar 100 of school 10: what enrollments reference)
printf 'schoolID,name\n10,North\n' >D/source/School.csv
printf 'calendarID,schoolID,endYear\n100,10,2027\n' >D/source/Calendar.csv
persons >D/source/PersonIdentity.csv
enrollments >D/source/Enrollment.csv
ok "$E" resync --full --home D
deliver
eq "$(state_rows PersonIdentity)" 19 "persons at the state"
eq "$(state_rows Enrollment)" 19 "enrollments at the state"
cp export.csv enrollments.before.csv
"$E" export --district 0042 --object PersonIdentity --home S >persons.before.csv

# 2. the same district with bad rows
persons | awk -v OFS=, -F, '
	NR == 3 { $3 = "Bad\377Name" }
	NR == 4 { $4 = "Nul" }
	NR == 6 { $5 = "Q"; $6 = "2010-02-30" }
	{ print }' >D/source/PersonIdentity.csv
# a NUL byte inside line 4's firstName
sed -i '4s/Nul/Nu\x00l/' D/source/PersonIdentity.csv
enrollments | awk -v OFS=, -F, '
	NR == 9 { $1 = 5004 }
	NR == 17 { $5 = "2024-13-01" }
	{ print }' >D/source/Enrollment.csv

expect 65 "$E" resync --full --home D
err_has "edsync: source/PersonIdentity.csv:3: lastName: is not valid UTF-8"
err_has "edsync: source/PersonIdentity.csv:4: firstName: contains a NUL byte"
err_has "edsync: source/PersonIdentity.csv:6: gender: 'Q' is not one of M, F, X"
err_has "edsync: source/PersonIdentity.csv:6: birthDate: '2010-02-30' is not a date"
err_has "edsync: source/Enrollment.csv:9: enrollmentID: duplicate key (enrollmentID 5004), first on line 5"
err_has "edsync: source/Enrollment.csv:17: startDate: '2024-13-01' is not a date"
err_lines 6
out_has "$(printf '%-34s %10s %10s %10s' PersonIdentity 16 3 0)"
out_has "$(printf '%-34s %10s %10s %10s' Enrollment 17 2 0)"
out_has "rejected rows: outbox/rejects/0042-0000000002-resync.rejects.csv"
rej=D/outbox/rejects/0042-0000000002-resync.rejects.csv
[ -f "$rej" ] || fail "no rejects file"
eq "$(stat -c %a "$rej")" 600 "rejects file mode"
eq "$(head -1 "$rej")" "file,line,field,reason,row" "rejects header"
eq "$(grep -c '^source/' "$rej")" 5 "rejected rows in the rejects file"
grep -qxF 'source/PersonIdentity.csv,6,gender;birthDate,"'"'"'Q'"'"' is not one of M, F, X; '"'"'2010-02-30'"'"' is not a date","1005,0000000005,Last5,First5,Q,2010-02-30"' "$rej" ||
	fail "rejects line for PersonIdentity line 6"
grep -qxF 'source/Enrollment.csv,17,startDate,'"'"'2024-13-01'"'"' is not a date,"5016,1016,100,05,2024-13-01"' "$rej" ||
	fail "rejects line for Enrollment line 17"
# the raw bytes of a bad row are kept as they were (here a NUL byte)
grep -qaF "$(printf 'Nu\\000l')" "$rej" 2>/dev/null || grep -caP 'Nu\x00l' "$rej" >/dev/null ||
	fail "the NUL byte of line 4 is not kept"
eq "$(ls -A D/outbox/.tmp | wc -l)" 0 "debris in outbox/.tmp"

deliver
# The good rows synced, the bad ones' keys kept as they were.  5008 is gone
# from the source (its line now repeats 5004): the one orphan removed.
eq "$(state_rows Enrollment)" 18 "enrollments at the state"
grep -v '^5008,' enrollments.before.csv | cmp -s export.csv - ||
	fail "the state's enrollments changed"
"$E" export --district 0042 --object PersonIdentity --home S >persons.after.csv
cmp -s persons.after.csv persons.before.csv || fail "the state's persons changed"
out_has "applied 0042-0000000002-resync.bundle: district 0042, sequence 2: 35 records, 1 orphan removed"

# 3. the header: an unknown column, a missing key column
sed -i '1s/$/,foo/; 2,$s/$/,x/' D/source/Enrollment.csv
persons >D/source/PersonIdentity.csv
expect 65 "$E" resync --full --home D
err_has "edsync: source/Enrollment.csv:1: column 'foo' is not a field of Enrollment"
err_lines 1
out_has "$(printf '%-34s %10s %10s %10s  (file unreadable: not sent)' Enrollment - 19 -)"
enrollments | cut -d, -f2- >D/source/Enrollment.csv
expect 65 "$E" resync --full --home D
err_has "edsync: source/Enrollment.csv:1: enrollmentID: key column is missing"
err_lines 1
deliver
# Enrollment was not sent at all: the state keeps the 18 it has
eq "$(state_rows Enrollment)" 18 "enrollments kept at the state"

# 4. quoting: a malformed quote costs its row, an unterminated one the rest
enrollments | awk -F, -v OFS=, 'NR == 5 { $3 = "1\"00" } NR == 19 { $3 = "\"100" } { print }' \
	>D/source/Enrollment.csv
expect 65 "$E" resync --full --home D
err_has "edsync: source/Enrollment.csv:5: malformed quoting (a quote inside an unquoted field, or text after a closing quote)"
err_has "edsync: source/Enrollment.csv:19: unterminated quoted field at end of file"
err_lines 2
# line 19 opens a quote that swallows line 20: two records lost, each reported
out_has "$(printf '%-34s %10s %10s %10s' Enrollment 16 2 0)"

# 5. a row with too few fields
enrollments | sed '7s/,05,2026-08-06$//' >D/source/Enrollment.csv
expect 65 "$E" resync --full --home D
err_has "edsync: source/Enrollment.csv:7: row has 3 fields, the header has 5"
err_lines 1
eq "$(ls -A D/outbox/.tmp | wc -l)" 0 "debris in outbox/.tmp"
