# Key rotation: 'edsync key rotate' makes a new pair and announces it in a
# key bundle signed by the old key; the state pins the new key with no
# manual step and refuses anything newer signed by the old one.  The
# announcement may arrive after a gap, together with bundles signed by the
# new key.  A rotation interrupted before its announcement was committed is
# abandoned; one interrupted after is finished before the next signing.
. "$(dirname "$0")/lib.sh"
[ -n "$FORGE" ] || fail "FORGE (tests/tools/forge) is not set"
setup_pair
printf 'personID,lastName\n1001,A\n1002,B\n' >D/source/PersonIdentity.csv
keyid() { sed -n 's/^id = //p' "$1"; }

ok "$E" resync --full --home D					# 1, old key
cp D/outbox/0042-0000000001-resync.bundle one.bundle
deliver
old=$(keyid D/keys/district.pub)
cp D/keys/district.key old.key

# 1. the rotation on the district
ok "$E" key rotate --home D						# 2
new=$(keyid D/keys/district.pub)
[ "$new" != "$old" ] || fail "the key did not change"
out_has "key rotated: $new signs from sequence 3 on; $old is retired after sequence 2"
out_has "announcement: outbox/0042-0000000002-key.bundle (send it to the state; it needs no other step)"
eq "$(stat -c %a D/keys/district.key)" 600 "mode of the new secret key"
eq "$(keyid D/keys/retired/district-$old.pub)" "$old" "the retired key file"
grep -qx 'retired_after = 2' D/keys/retired/district-$old.pub || fail "retired_after"
[ ! -e D/var/rotation ] && [ ! -e D/keys/district.next.key ] &&
	[ ! -e D/keys/district.next.pub ] || fail "rotation leftovers"
ok "$E" inspect --home D D/outbox/0042-0000000002-key.bundle
grep -qx "kind: key" out || fail "inspect: not a key bundle"
ok "$E" resync --full --home D						# 3, new key

# 2. the state takes the announcement and the new key's bundle in one load
deliver
out_has "applied 0042-0000000002-key.bundle: district 0042, sequence 2: key $new replaces key $old"
grep -q '^applied 0042-0000000003-resync.bundle: district 0042, sequence 3' out ||
	fail "the bundle signed by the new key was not applied"
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
eq "$(keyid S/keys/trusted/district-0042.pub)" "$new" "the state's pinned key"
grep -qx 'retired_after = 2' S/keys/retired/district-0042-$old.pub || fail "state's retired key"

# 3. the old key after the rotation: refused, with the reason; before it: a duplicate
printf 'personID,lastName\n1003,C\n' >PersonIdentity.csv
"$FORGE" --key old.key --district 0042 --state NV --seq 4 \
	S/inbox/0042-0000000004-resync.bundle PersonIdentity.csv || fail "forge"
expect 77 "$E" load --home S
err_has "edsync: inbox/0042-0000000004-resync.bundle: refused: signed by key $old, which district 0042 retired after sequence 2"
[ -f S/var/quarantine/0042-0000000004-resync.bundle.reason ] || fail "no reason file"
cp one.bundle S/inbox/
ok "$E" load --home S
out_has "duplicate one.bundle: sequence 1 of district 0042 is applied already; ignored"
ok "$E" export --district 0042 --object PersonIdentity --home S
[ "$(wc -l <out)" -eq 3 ] || fail "the old key's bundle changed the records"

# 4. a second rotation whose announcement arrives after a gap
ok "$E" resync --full --home D						# 4, key 2
mv D/outbox/0042-0000000004-resync.bundle four.bundle
ok "$E" key rotate --home D						# 5, key 2 -> 3
third=$(keyid D/keys/district.pub)
printf 'personID,lastName\n1001,A\n1002,B\n1004,D\n' >D/source/PersonIdentity.csv
ok "$E" resync --full --home D						# 6, key 3
deliver
out_has "held 0042-0000000005-key.bundle: district 0042 sequence 5 waits for sequence 4"
out_has "held 0042-0000000006-resync.bundle: district 0042 sequence 6 waits for sequence 4"
cp four.bundle S/inbox/
ok "$E" load --home S
out_has "applied 0042-0000000005-key.bundle: district 0042, sequence 5: key $third replaces key $new"
out_has "load: 3 applied, 0 held, 0 duplicates, 0 refused"
ok "$E" export --district 0042 --object PersonIdentity --home S
[ "$(wc -l <out)" -eq 4 ] || fail "the third key's bundle was not applied"

# 5. the receipts come back; status shows the key bundles applied
deliver
ok "$E" load --home D
ok "$E" status --home D
out_has "  0042-0000000005-key.bundle               applied   key $third"

# 6. interrupted before the announcement was committed: abandoned
"$E" init --role district --district 0042 --state NV --year 2027 --home X >/dev/null ||
	fail "init X"
cp X/keys/district.key D/keys/district.next.key
cp X/keys/district.pub D/keys/district.next.pub
printf 'key = %s\nsequence = 7\n' "$(keyid X/keys/district.pub)" >D/var/rotation
ok "$E" resync --full --home D						# 7, key 3
err_has "edsync: an interrupted key rotation to key $(keyid X/keys/district.pub) was not announced; the key stays as it was (run 'edsync key rotate' again)"
[ ! -e D/var/rotation ] && [ ! -e D/keys/district.next.key ] || fail "not abandoned"
eq "$(keyid D/keys/district.pub)" "$third" "the key after an abandoned rotation"
deliver
grep -q '^applied 0042-0000000007-resync.bundle' out || fail "sequence 7 not applied"

# 7. interrupted after the announcement was committed: finished by the next signing
cp -a D/keys keys.before
ok "$E" key rotate --home D						# 8
fourth=$(keyid D/keys/district.pub)
mv D/keys/district.key D/keys/district.next.key		# back to the instant
mv D/keys/district.pub D/keys/district.next.pub		# before the swap
cp -p keys.before/district.key keys.before/district.pub D/keys/
rm D/keys/retired/district-$third.pub
printf 'key = %s\nsequence = 8\n' "$fourth" >D/var/rotation
ok "$E" resync --full --home D						# 9, key 4
err_has "edsync: finished an interrupted key rotation: the new key signs from sequence 9 on"
eq "$(keyid D/keys/district.pub)" "$fourth" "the key after a finished rotation"
grep -qx 'retired_after = 8' D/keys/retired/district-$third.pub || fail "retired after 8"
deliver
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
eq "$(keyid S/keys/trusted/district-0042.pub)" "$fourth" "the state's key after 4 rotations"
