# tools/gen-district: the same bytes for the same arguments, other bytes
# for another seed; realistic hard cases present; every file accepted by
# resync without a single rejected row.
. "$(dirname "$0")/lib.sh"
"$GEN" --students 500 --seed 11 --state NV --out a || fail "gen a"
"$GEN" --students 500 --seed 11 --state NV --out b || fail "gen b"
"$GEN" --students 500 --seed 12 --state NV --out c || fail "gen c"
for f in a/*.csv; do
	cmp -s "$f" "b/$(basename "$f")" || fail "not deterministic: $f"
done
cmp -s a/PersonIdentity.csv c/PersonIdentity.csv && fail "seed makes no difference"
eq "$(ls a | wc -l)" 86 "files of a Nevada district"
ls a/AdultEducation.csv a/SchoolMonth.csv >/dev/null || fail "no Nevada objects"
[ -e a/SpecialEdState.csv ] && fail "a North Carolina object in Nevada"
"$GEN" --students 100 --seed 11 --state NC --out nc || fail "gen nc"
eq "$(ls nc | wc -l)" 82 "files of a North Carolina district"
[ -e nc/SpecialEdState.csv ] || fail "no North Carolina object"
[ -e nc/AdultEducation.csv ] && fail "a Nevada object in North Carolina"
grep -q 'Nguyễn\|Trần\|José\|Zoë' a/PersonIdentity.csv || fail "no UTF-8 names"
grep -q '"""' a/PersonIdentity.csv || fail "no quotes"
grep -q '^[0-9]*,[0-9]*,"[^"]*, [^"]*"' a/School.csv || fail "no commas in school names"
grep -q '^[0-9]*,[0-9]*,[^,]*,"[^"]*$' a/School.csv || fail "no embedded newlines"
grep -q '^[0-9]*,0[0-9]*,' a/PersonIdentity.csv || fail "no leading-zero IDs"
expect 64 "$GEN" --students 5 --out x

setup_pair
cp a/School.csv a/Calendar.csv a/PersonIdentity.csv a/Enrollment.csv D/source/
ok "$E" resync --full --home D
# every generated row is either sent or withheld by a data-setup rule
rows=$(( $(wc -l <a/PersonIdentity.csv) + $(wc -l <a/Enrollment.csv) - 2 + 6 ))	# 3 schools, 3 calendars
total=$(grep '^total ' out) || fail "no total line"
eq "$(echo "$total" | awk '{ print $2 + $4 }')" "$rows" "sent + withheld"
eq "$(echo "$total" | awk '{ print $3 }')" 0 "rejected"
# one school of three excluded: it, its calendar, the enrollments there, and
# the no-shows are withheld, each cause counted
out_has "$(printf '  withheld %-24s %8s  %s' School 1 'school excluded from state reporting')"
out_has "$(printf '  withheld %-24s %8s  %s' Calendar 1 'references a withheld School (schoolID)')"
grep -q '^  withheld Enrollment  *[0-9]*  no-show enrollment$' out || fail "no-shows withheld"
grep -q '^  withheld Enrollment  *[0-9]*  references a withheld Calendar (calendarID)$' out ||
	fail "enrollments of the excluded calendar withheld"
