# Receipts: after loading, the state leaves a signed receipt for each
# district in outbox/<ID>/ (applied with counts, duplicate, held for a gap,
# refused with the reason); send brings it back, the district's load takes
# it once, and status shows each bundle as queued, sent, applied, held or
# refused.
. "$(dirname "$0")/lib.sh"
[ -n "$FORGE" ] || fail "FORGE (tests/tools/forge) is not set"
setup_pair
printf 'personID,lastName\n1001,A\n1002,B\n' >D/source/PersonIdentity.csv
ok "$E" resync --full --home D					# 1
ok "$E" resync --objects PersonIdentity --home D		# 2
ok "$E" resync --objects PersonIdentity --home D		# 3
mv D/outbox/0042-0000000002-resync.bundle two.bundle		# a gap: 3 waits
ok "$E" send --to S --home D
cp S/inbox/0042-0000000001-resync.bundle again.bundle
ok "$E" load --home S
out_has "receipt outbox/0042/0042-0000000001-receipt.bundle: 2 lines"
ok "$E" status --home D
out_has "  0042-0000000001-resync.bundle            sent"

# back at the district
ok "$E" send --to S --home D
out_has "received 0042-0000000001-receipt.bundle"
ok "$E" load --home D
out_has "applied: 0042-0000000001-resync.bundle (sequence 1): 2 records, 0 orphans removed"
out_has "held by the state: 0042-0000000003-resync.bundle (sequence 3): waits for sequence 2"
out_has "load: 1 receipt taken: 1 applied, 0 duplicate, 1 held, 0 refused"
ok "$E" status --home D
out_has "  0042-0000000001-resync.bundle            applied   2 records, 0 orphans removed"
out_has "  0042-0000000003-resync.bundle            held      waits for sequence 2"

# the gap filled, a duplicate, and a bundle the state refuses
cp two.bundle S/inbox/0042-0000000002-resync.bundle
cp again.bundle S/inbox/again.bundle
printf 'specialEdStateID,personID\n1,1001\n' >SpecialEdState.csv
"$FORGE" --key D/keys/district.key --district 0042 --state NV --seq 4 \
	S/inbox/0042-0000000004-resync.bundle SpecialEdState.csv || fail "forge"
expect 65 "$E" load --home S
out_has "receipt outbox/0042/0042-0000000002-receipt.bundle: 4 lines"
ok "$E" send --to S --home D
cp D/inbox/0042-0000000002-receipt.bundle receipt2.bundle
ok "$E" load --home D
out_has "load: 1 receipt taken: 2 applied, 1 duplicate, 0 held, 1 refused"
out_has "refused by the state: 0042-0000000004-resync.bundle (sequence 4): carries SpecialEdState, which districts of NV do not send"
ok "$E" status --json --home D
python3 - <<'PY' || fail "status JSON"
import json
v = json.load(open("out"))
states = {b["sequence"]: b["state"] for b in v["bundles"]}
# 2 travelled outside var/sent; 1's later duplicate does not undo "applied"
assert states == {1: "applied", 3: "applied"}, states
PY
ok "$E" status --home D
out_has "  0042-0000000003-resync.bundle            applied   2 records, 0 orphans removed"

# a receipt delivered twice is taken once; a receipt another key signed is refused
cp receipt2.bundle D/inbox/
ok "$E" load --home D
out_has "load: 0 receipts taken: 0 applied, 0 duplicate, 0 held, 0 refused"
ok "$E" init --role state --state NV --home X
ok "$E" trust --district 0042 D/keys/district.pub --home X
ok "$E" resync --objects PersonIdentity --home D
cp D/outbox/0042-*-resync.bundle X/inbox/
ok "$E" load --home X
cp X/outbox/0042/*.bundle D/inbox/impostor.bundle
expect 77 "$E" load --home D
grep -q '^edsync: inbox/impostor.bundle: refused: signed by key [0-9a-f]*, which is not trusted here$' err ||
	fail "impostor receipt"
[ -f D/var/quarantine/impostor.bundle.reason ] || fail "no reason file"
