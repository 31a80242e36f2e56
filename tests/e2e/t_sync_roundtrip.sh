# A generated district synced whole, every object: the state's export of
# each object equals the district's source less the records data setup
# withholds, value for value (byte for byte where nothing is withheld);
# parents are applied before children; the Verification Summary covers all
# eight areas and says they agree, in JSON exactly as the contract fixes it.
. "$(dirname "$0")/lib.sh"
setup_pair 300
nobj=$(ls D/source | wc -l)
eq "$nobj" 86 "objects a Nevada district sends"

ok "$E" resync --full --home D
out_has "resync: outbox/0042-0000000001-resync.bundle (sequence 1, scope full)"
total=$(grep '^total ' out)
eq "$(echo "$total" | awk '{ print $3 }')" 0 "rejected rows"
eq "$(ls -A D/outbox/.tmp | wc -l)" 0 "debris in outbox/.tmp"
withheld_file=D/outbox/withheld/0042-0000000001-resync.withheld.csv
[ -f "$withheld_file" ] || fail "no withheld records in a generated district"

# members in registry order: parents before children
ok "$E" inspect D/outbox/0042-0000000001-resync.bundle --home D
"$E" objects --csv | tail -n +2 | cut -d, -f1 >registry.order
grep -oE '^  [A-Za-z0-9]+\.csv ' out | sed 's/^  //; s/\.csv $//' >bundle.order
grep -xFf bundle.order registry.order | cmp -s - bundle.order || fail "members out of registry order"

deliver
grep -q 'orphans removed$' out || fail "no apply line"
grep -q '^  held ' out && fail "records held in a consistent district"
for f in D/source/*.csv; do
	o=$(basename "$f" .csv)
	ok "$E" export --district 0042 --object "$o" --out "export.$o.csv" --home S
done
python3 - "$withheld_file" <<'PY' || fail "an export differs from its source"
import csv, io, os, sys
withheld = {}
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        row = next(csv.reader(io.StringIO(r["row"], newline="")))
        withheld.setdefault(os.path.basename(r["file"])[:-4], set()).add(tuple(row))
bad = 0
for name in sorted(os.listdir("D/source")):
    o = name[:-4]
    src = open("D/source/" + name, "rb").read()
    exp = open("export." + o + ".csv", "rb").read()
    if o not in withheld:
        if src != exp:
            print("export of", o, "is not byte-identical to its source"); bad += 1
        continue
    s = list(csv.reader(io.StringIO(src.decode(), newline="")))
    e = list(csv.reader(io.StringIO(exp.decode(), newline="")))
    want = [s[0]] + [r for r in s[1:] if tuple(r) not in withheld[o]]
    if e != want or len(s) - len(want) != len(withheld[o]):
        print("export of", o, "is not its source less its", len(withheld[o]), "withheld records"); bad += 1
sys.exit(1 if bad else 0)
PY

ok "$E" digest --home D
deliver
ok "$E" verify --district 0042 --format json --home S
python3 - <<'PY' || fail "verify JSON"
import json
v = json.load(open("out"))
# the contract's fields first, in its order; edsync's own after them
assert list(v)[:3] == ["district", "in_sync", "areas"], v.keys()
assert v["district"] == "0042" and v["in_sync"] is True
names = [a["area"] for a in v["areas"]]
assert names == ["Behavior", "Employment", "Employment Assignment", "Enrollment",
                 "Graduation", "English Learner", "Person/Identity", "Test Scores"], names
for a in v["areas"]:
    assert list(a)[:6] == ["area", "district_total", "state_total", "missing_at_state",
                           "missing_at_district", "differences"], a
    assert a["district_total"] == a["state_total"] > 0, a
    assert a["missing_at_state"] == a["missing_at_district"] == a["differences"] == 0, a
PY
head -1 out | grep -qxF '{"district": "0042", "in_sync": true,' || fail "JSON layout"
