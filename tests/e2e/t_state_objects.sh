# State-specific objects: a district of NV sends the Nevada objects, one of
# NC the North Carolina one, no other district does; the state refuses a
# bundle that carries another state's objects, with the reason.
. "$(dirname "$0")/lib.sh"
[ -n "$FORGE" ] || fail "FORGE (tests/tools/forge) is not set"

# Nevada: the five Nevada objects travel and are applied; SpecialEdState not
setup_pair 150
ok "$E" resync --full --home D
for o in AdultEducation AttDayAggregation AttendanceExcuse SchoolMonth AttExtractCount; do
	grep -q "^$o " out || fail "Nevada sends no $o"
done
grep -q '^SpecialEdState ' out && fail "a Nevada district sent SpecialEdState"
deliver
n=0
for o in AdultEducation AttDayAggregation AttendanceExcuse SchoolMonth AttExtractCount; do
	[ "$(wc -l <D/source/$o.csv)" -gt 1 ] || continue	# none at this size
	ok "$E" export --district 0042 --object "$o" --home S
	[ "$(wc -l <out)" -gt 1 ] || fail "no $o at the state"
	n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n Nevada objects had records to check"
expect 64 "$E" resync --objects SpecialEdState --home D
err_has "edsync: resync: SpecialEdState is not sent by districts of NV (see 'edsync help resync')"

# a bundle signed by the Nevada district that carries North Carolina's object
printf 'specialEdStateID,personID\n1,100\n' >SpecialEdState.csv
"$FORGE" --key D/keys/district.key --district 0042 --state NV --seq 2 \
	S/inbox/forged.bundle SpecialEdState.csv || fail "forge"
expect 65 "$E" load --home S
err_has "edsync: inbox/forged.bundle: refused: carries SpecialEdState, which districts of NV do not send"
[ -f S/var/quarantine/forged.bundle.reason ] || fail "no reason file"

# North Carolina: SpecialEdState travels, no Nevada object does
mkdir nc && cd nc
ok "$E" init --role state --state NC --year 2027 --home S
ok "$E" init --role district --district 0042 --state NC --year 2027 --home D
ok "$E" trust --district 0042 D/keys/district.pub --home S
"$GEN" --students 150 --seed 7 --state NC --year 2027 --out D/source || fail "gen"
ok "$E" resync --full --home D
grep -q '^SpecialEdState ' out || fail "North Carolina sends no SpecialEdState"
grep -q '^AdultEducation ' out && fail "a North Carolina district sent AdultEducation"
deliver
ok "$E" export --district 0042 --object SpecialEdState --home S
[ "$(wc -l <out)" -gt 1 ] || fail "no SpecialEdState at the state"
