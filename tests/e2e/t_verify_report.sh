# Re-verify and history: every run is kept and status shows the last; the
# district gets each Summary back as a report, keeps it and shows the last;
# 'edsync request --verify' makes the district send a digest.
. "$(dirname "$0")/lib.sh"
setup_pair 30
ok "$E" resync --full --home D
deliver
ok "$E" request --district 0042 --verify --home S
grep -qE "^request 2 \(verify, tree digest\) for district 0042, expires [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z: outbox/0042/0042-0000000002-request.bundle$" out || fail "request line"
ok "$E" send --to S --home D
ok "$E" load --home D
out_has "request 2 from the state (verify): answered in outbox/0042-0000000002-verify.bundle"
deliver
out_has "applied 0042-0000000002-verify.bundle: district 0042, sequence 2: kept for verify (an answer to the state's request)"
ok "$E" verify --district 0042 --home S
out_has "in sync: district and state agree"
sed -i '3d' D/source/PersonIdentity.csv
ok "$E" digest --home D
deliver
expect 1 "$E" verify --district 0042 --no-request --home S
eq "$(sqlite3 S/store.db "select count(*) from edsync_verification_run where district = '0042'")" 2 "runs kept"
eq "$(sqlite3 S/store.db "select digest_seq || ',' || in_sync || ',' || complete || ',' || missing_at_district from edsync_verification_run order by id")" "$(printf '2,1,1,0\n3,0,1,1')" "the history"
vat=$(sqlite3 S/store.db "select at from edsync_verification where district = '0042'")
ok "$E" status --home S
out_has "  last verification: $vat, digest sequence 3: differ (0 missing at the state, 1 missing at the district, 0 different)"
# the reports go back to the district, which keeps them and shows the last
ok "$E" send --to S --home D
ok "$E" load --home D
out_has "load: 0 requests carried out, 2 reports kept"
out_has "report from the state: verified $vat against digest sequence 3: differ (0 missing at the state, 1 missing at the district, 0 different, 0 duplicates); var/reports/0042-0000000006-report.detail.csv"
ok "$E" status --home D
out_has "last verification report: $vat, digest sequence 3: differ (0 missing at the state, 1 missing at the district, 0 different, 0 duplicates): var/reports/0042-0000000006-report.detail.csv"
eq "$(tail -n +2 D/var/reports/0042-0000000006-report.detail.csv | cut -d, -f2,3)" "PersonIdentity,missing_at_district" "the detail kept"
ok "$E" status --home D --json
grep -qF "\"last_report\": {\"file\": \"var/reports/0042-0000000006-report.summary.csv\", \"verified_at\": \"$vat\", \"digest_sequence\": 3, \"in_sync\": false, \"complete\": true, \"missing_at_state\": 0, \"missing_at_district\": 1, \"differences\": 0, \"duplicates\": 0}" out ||
	fail "last report in JSON"
# a request that is neither a digest nor a resync is a usage error
expect 64 "$E" request --district 0042 --home S
err_has "edsync: request: a resync request wants --full or --objects A,B (or --verify: a digest) (see 'edsync help request')"
