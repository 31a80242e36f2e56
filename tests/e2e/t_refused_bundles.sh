# Bundles the state must refuse: one byte changed, signed by an untrusted
# key, claiming another district than its key's, addressed to another
# state, not a bundle at all, a symlink.  Each: exit 77 (or 65 for data),
# moved to var/quarantine/ with a .reason file, the store unchanged, and
# the loader goes on with the next bundle.
. "$(dirname "$0")/lib.sh"
setup_pair 40
ok "$E" resync --full --home D
deliver
"$E" export --district 0042 --object PersonIdentity --home S >before.csv

# a second resync to tamper with
sed -i '2s/,[A-Z][a-z]*,/,Changed,/' D/source/PersonIdentity.csv 2>/dev/null
ok "$E" resync --full --home D
b=D/outbox/0042-0000000002-resync.bundle
size=$(stat -c %s "$b")

# 1. one byte changed, at several places: all refused, nothing applied
for off in 100 $((size / 2)) $((size - 3)); do
	cp "$b" S/inbox/tampered.bundle
	printf '\x5a' | dd of=S/inbox/tampered.bundle bs=1 seek="$off" conv=notrunc 2>/dev/null
	cmp -s "$b" S/inbox/tampered.bundle && fail "byte $off was not changed"
	expect 77 "$E" load --home S
	err_lines 1
	grep -q '^edsync: inbox/tampered.bundle: refused: ' err || fail "refusal message"
	out_has "load: 0 applied, 0 held, 0 duplicates, 1 refused"
done
eq "$(ls S/var/quarantine | grep -c '\.reason$')" 3 "reason files"
grep -q '^refused: ' S/var/quarantine/tampered.bundle.reason || fail "reason text"
grep -qx 'status: 77' S/var/quarantine/tampered.bundle.reason || fail "reason status"
"$E" export --district 0042 --object PersonIdentity --home S >after.csv
cmp -s before.csv after.csv || fail "the store changed"

# 2. signed by a key the state does not trust (another district 0043)
ok "$E" init --role district --district 0043 --state NV --year 2027 --home X
cp D/source/PersonIdentity.csv X/source/
ok "$E" resync --full --home X
cp X/outbox/0043-0000000001-resync.bundle S/inbox/
expect 77 "$E" load --home S
keyid=$(sed -n 's/^id = //p' X/keys/district.pub)
err_has "edsync: inbox/0043-0000000001-resync.bundle: refused: signed by key $keyid, which is not trusted here"

# 3. trusted as 0043, but its bundle claims district 0042
ok "$E" trust --district 0043 X/keys/district.pub --home S
sed -i 's/^district = 0043$/district = 0042/' X/edsync.conf
ok "$E" resync --full --home X
ls X/outbox/0042-*.bundle >/dev/null || fail "X made no bundle"
cp X/outbox/0042-*.bundle S/inbox/claims-0042.bundle
expect 77 "$E" load --home S
err_has "edsync: inbox/claims-0042.bundle: refused: bundle claims district 0042 of NV but is signed by the key of district 0043 of NV"

# 4. not a bundle; a symlink
echo "hello" >S/inbox/notes.txt
ln -s /etc/passwd S/inbox/link.bundle
expect 77 "$E" load --home S
err_lines 2
grep -q '^edsync: inbox/notes.txt: refused: not a bundle' err || fail "notes.txt"
err_has "edsync: inbox/link.bundle: refused: cannot open: not a regular file"
[ -L S/var/quarantine/link.bundle ] || fail "the symlink is not kept in quarantine"
eq "$(ls -A S/inbox | wc -l)" 0 "inbox not emptied"

# 5. the genuine bundle is still applied after all that
ok "$E" send --to S --home D
ok "$E" load --home S
out_has "load: 1 applied, 0 held, 0 duplicates, 0 refused"
"$E" export --district 0042 --object PersonIdentity --home S >after.csv
cmp -s after.csv D/source/PersonIdentity.csv || fail "the genuine bundle was not applied"
