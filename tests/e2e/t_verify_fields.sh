# --fields: a change only in a field that is not compared is no difference;
# a digest over other fields is asked for, not compared.
. "$(dirname "$0")/lib.sh"
setup_pair 40
ok "$E" resync --full --home D
deliver
# one person's last name, and nothing else, changes at the district
sed -i '2s/^\([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\)[^,]*/\1Othername/' D/source/PersonIdentity.csv
ok "$E" digest --home D
deliver
expect 1 "$E" verify --district 0042 --format csv --no-request --no-report --home S
out_has "0042,Person/Identity,44,44,0,0,1,0,0,0,,,,,,,"

# no digest over firstName yet: verify asks the district for one
expect 66 "$E" verify --district 0042 --fields firstName,Enrollment.grade --home S
err_has "edsync: verify: no digest of the fields Enrollment.grade;firstName from district 0042 yet: asked for one (outbox/0042/0042-0000000003-request.bundle)"
ok "$E" send --to S --home D
ok "$E" load --home D
out_has "request 3 from the state (verify): answered in outbox/0042-0000000003-verify.bundle"
deliver
# the last name is not compared: in sync (the spelling of the list is free)
ok "$E" verify --district 0042 --fields Enrollment.grade,firstName --format json --home S
head -1 out | grep -qxF '{"district": "0042", "in_sync": true,' || fail "in sync on firstName"
grep -qF '"fields": "Enrollment.grade;firstName"' out || fail "fields named in JSON"
# over every field it still differs (the digest of every field is kept apart)
expect 1 "$E" verify --district 0042 --no-request --no-report --format csv --home S
out_has "0042,Person/Identity,44,44,0,0,1,0,0,0,,,,,,,"
# a field no object has, or an object without that field
expect 64 "$E" verify --district 0042 --fields nosuchfield --home S
err_has "edsync: verify: --fields: no object has a field 'nosuchfield' (see 'edsync help verify')"
expect 64 "$E" verify --district 0042 --fields Enrollment.lastName --home S
err_has "edsync: verify: --fields: Enrollment has no field 'lastName' (see 'edsync help verify')"
