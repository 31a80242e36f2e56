# The Verification Summary counts exactly what differs; a full resync then
# removes the orphans the district's direct deletions left at the state,
# and the next verification is in sync.
. "$(dirname "$0")/lib.sh"
setup_pair 50
ok "$E" resync --full --home D
deliver
n=$(( $(wc -l <D/source/PersonIdentity.csv) - 1 ))
eq "$n" 54 "persons"

# 3 changed, 2 deleted, 4 added, directly in the district's database
sed -i '5s/,[^,]*$/,2026-09-30/; 6s/,[^,]*$/,2026-09-30/; 7s/,[^,]*$/,2026-09-30/' \
	D/source/PersonIdentity.csv
sed -i '20d; 30d' D/source/PersonIdentity.csv
for i in 900 901 902 903; do
	echo "$i,0099999$i,,,,New,Person,,,F,2015-05-05,1,N,2026-08-01" >>D/source/PersonIdentity.csv
done
ok "$E" digest --home D
deliver
expect 1 "$E" verify --district 0042 --format json --home S
grep -qxF '  {"area": "Person/Identity", "district_total": 56, "state_total": 54,' out ||
	fail "Person/Identity totals"
grep -A1 '"Person/Identity"' out | grep -qxF '   "missing_at_state": 4, "missing_at_district": 2, "differences": 3,' ||
	fail "Person/Identity figures"
head -1 out | grep -qxF '{"district": "0042", "in_sync": false,' || fail "in_sync"
expect 1 "$E" verify --district 0042 --format csv --home S
out_has "0042,Person/Identity,56,54,4,2,3,0,0,0,,,,,,,"
out_has "0042,Enrollment,$(( $(wc -l <D/source/Enrollment.csv) - 1 )),$(( $(wc -l <D/source/Enrollment.csv) - 1 )),0,0,0,0,0,0,,,,,,,"
expect 1 "$E" verify --district 0042 --home S
out_has "NOT in sync: district and state differ"
# status remembers the last verification
vat=$(sqlite3 S/store.db "select at from edsync_verification where district = '0042'")
ok "$E" status --home S
out_has "  last verification: $vat, digest sequence 2: differ (4 missing at the state, 2 missing at the district, 3 different)"
ok "$E" status --home S --json
grep -qF "\"last_verification\": {\"at\": \"$vat\", \"digest_sequence\": 2, \"in_sync\": false, \"missing_at_state\": 4, \"missing_at_district\": 2, \"differences\": 3}" out ||
	fail "last verification in JSON"

ok "$E" resync --full --home D
deliver
grep -q ': [0-9]* records, 2 orphans removed$' out || fail "2 orphans removed"
ok "$E" digest --home D
deliver
ok "$E" verify --district 0042 --format json --home S
grep -qxF '{"district": "0042", "in_sync": true,' out || fail "in sync after resync"
vat=$(sqlite3 S/store.db "select at from edsync_verification where district = '0042'")
ok "$E" status --home S
out_has "  last verification: $vat, digest sequence 4: in sync"
expect 66 "$E" verify --district 0099 --home S
err_has "edsync: verify: no digest from district 0099 yet: run 'edsync digest' there, send it and load it here"

# a source out of key order: the digest sorts it, verify still agrees
{ head -1 D/source/PersonIdentity.csv; tail -n +2 D/source/PersonIdentity.csv | sort -r; } >rev.csv
mv rev.csv D/source/PersonIdentity.csv
ok "$E" digest --home D
deliver
ok "$E" verify --district 0042 --format json --home S
grep -qxF '{"district": "0042", "in_sync": true,' out || fail "in sync with an unsorted source"
