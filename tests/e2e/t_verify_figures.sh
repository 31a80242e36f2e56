# The Verification Summary counts exactly what was done to the district's
# records in every area: records deleted (missing at the district), added
# (missing at the state), changed in one field, duplicated.  The full digest and
# the nightly tree digest with its expand round trip give the same figures
# and the same keys; the detail names the changed field with both values and
# the bundle that last changed the record at the state.
. "$(dirname "$0")/lib.sh"
setup_pair 300
ok "$E" resync --full --home D
deliver
ok "$E" digest --home D
deliver
ok "$E" verify --district 0042 --format json --no-request --home S
cp out base.json
for o in BehaviorIncident Employment EmploymentAssignment Enrollment Graduation Lep \
	PersonIdentity TestScore; do
	ok "$E" export --district 0042 --object $o --out export.$o.csv --home S
done

# In one object of each area: deleted, added (a copy under a new key),
# changed (one field), duplicated (a second row with an existing key);
# counts differ between areas so that figures cannot be swapped unseen.
python3 - <<'PY' || fail "editing the source"
import csv, io, json
edits = {  # object: (field changed, new value, deleted, added, changed, duplicated)
    "BehaviorIncident":     ("title", "Changed title", 1, 2, 3, 1),
    "Employment":           ("staffStateID", "X999", 2, 1, 1, 2),
    "EmploymentAssignment": ("title", "Changed title", 1, 3, 2, 1),
    "Enrollment":           ("startDate", "2026-08-03", 3, 1, 2, 2),
    "Graduation":           ("diplomaDate", "2027-06-01", 2, 2, 1, 1),
    "Lep":                  ("identifiedDate", "2020-01-02", 1, 1, 2, 3),
    "PersonIdentity":       ("lastName", "Changedname", 4, 3, 5, 2),
    "TestScore":            ("rawScore", "1.5", 2, 4, 3, 1),
}
area = {"BehaviorIncident": "Behavior", "Employment": "Employment",
        "EmploymentAssignment": "Employment Assignment", "Enrollment": "Enrollment",
        "Graduation": "Graduation", "Lep": "English Learner",
        "PersonIdentity": "Person/Identity", "TestScore": "Test Scores"}
base = {a["area"]: a for a in json.load(open("base.json"))["areas"]}
expect, changed = {}, {}
for o, (field, value, nd, na, nc, nu) in edits.items():
    path = "D/source/%s.csv" % o
    rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
    head, body = rows[0], rows[1:]
    key = head[0]  # every object edited has a one-field key, first
    fi = head.index(field)
    # rows the state holds (the export), whose field differs from the new value
    held = {r[0] for r in csv.reader(open("export.%s.csv" % o, newline="", encoding="utf-8"))}
    pick = [i for i, r in enumerate(body) if r[0] in held and r[fi] != value]
    assert len(pick) >= nd + nc + nu + 1, (o, len(pick))
    dele, chg, dup, src = pick[:nd], pick[nd:nd + nc], pick[nd + nc:nd + nc + nu], pick[-1]
    for i in chg:
        changed[(o, body[i][0])] = (field, value, body[i][fi])
        body[i][fi] = value
    extra = [list(body[i]) for i in dup]
    for k in range(na):
        r = list(body[src])
        r[0] = "9%08d" % (k + 1)
        extra.append(r)
    body = [r for i, r in enumerate(body) if i not in dele] + extra
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([head] + body)
    b = base[area[o]]
    expect[area[o]] = {"district_total": b["district_total"] - nd + na + nu,
                       "state_total": b["state_total"], "missing_at_state": na,
                       "missing_at_district": nd, "differences": nc,
                       "duplicates_at_district": nu, "duplicates_at_state": 0,
                       "unresolved": 0}
json.dump({"expect": expect, "changed": {"%s %s" % k: v for k, v in changed.items()}},
          open("expect.json", "w"))
PY

check() {
	python3 - "$1" <<'PY' || fail "figures of $1"
import json, sys
v = json.load(open(sys.argv[1]))
e = json.load(open("expect.json"))["expect"]
assert v["in_sync"] is False and v["complete"] is True, (v["in_sync"], v["complete"])
for a in v["areas"]:
    want = e[a["area"]]
    got = {k: a[k] for k in want}
    assert got == want, (a["area"], got, want)
PY
}

# one hash per record: the figures at once, the values one round trip later
ok "$E" digest --home D
deliver
expect 1 "$E" verify --district 0042 --format json --home S
cp out full.json
check full.json
err_lines 0
grep -qF '"pending": "records request sent to the district: outbox/0042/' full.json ||
	fail "a records request for the differing values"

# the nightly tree digest (small nodes, so that most agree): pending, then
# complete after one expand round trip
ok "$E" digest --tree --node 40 --home D
deliver
expect 1 "$E" verify --district 0042 --format json --home S
python3 -c '
import json
v = json.load(open("out"))
assert v["complete"] is False
assert sum(a["unresolved"] for a in v["areas"]) > 0
assert v["pending"].startswith("expand request sent to the district: outbox/0042/")
' || fail "tree verify pending"
# asking again sends nothing new while the answer is awaited
expect 1 "$E" verify --district 0042 --home S
grep -q '^waiting for the district.s answer to expand request [0-9]* (sent ' out ||
	fail "the same request is not sent twice"
ok "$E" send --to S --home D
ok "$E" load --home D
grep -q '^request [0-9]* from the state (expand): answered in outbox/0042-[0-9]*-verify.bundle$' out ||
	fail "the district answers the expand request"
deliver
expect 1 "$E" verify --district 0042 --format json --home S
cp out tree.json
check tree.json
# the same keys in the same sets, both ways
python3 - <<'PY' || fail "the tree round trip finds what the full digest finds"
import json
def keys(p):
    return sorted({(d["object"], d["set"], d["key"]) for d in json.load(open(p))["detail"]})
f, t = keys("full.json"), keys("tree.json")
assert f == t, (len(f), len(t), set(f) ^ set(t))
# every changed record, with its field, both values and the bundle that changed it
changed = json.load(open("expect.json"))["changed"]
rows = {(d["object"] + " " + d["key"]): d for d in json.load(open("tree.json"))["detail"]
        if d["set"] == "different"}
assert len(rows) == len(changed), (len(rows), len(changed))
for k, (field, new, old) in changed.items():
    d = rows[k]
    assert (d["field"], d["district_value"], d["state_value"], d["changed"]) == \
        (field, new, old, 1), (k, d)
PY

# CSV: the same figures, and the keys
expect 1 "$E" verify --district 0042 --format csv --no-request --no-report --home S
out_has "0042,Person/Identity,$(python3 -c '
import json; a = json.load(open("expect.json"))["expect"]["Person/Identity"]
print(",".join(str(a[k]) for k in ("district_total", "state_total", "missing_at_state",
      "missing_at_district", "differences", "duplicates_at_district", "duplicates_at_state",
      "unresolved")))'),,,,,,,"
out_has "0042,Test Scores,,,,,,,,,TestScore,missing_at_state,900000001,,,,"
eq "$(grep -c ',PersonIdentity,different,[0-9]*,lastName,Changedname,' out)" 5 "changed names in CSV"

# --limit: fewer keys listed, the same figures
expect 1 "$E" verify --district 0042 --format json --limit 1 --no-request --no-report --home S
check out
eq "$(python3 -c '
import json; print(sum(1 for d in json.load(open("out"))["detail"]
    if d["object"] == "PersonIdentity" and d["set"] == "different"))')" 1 "--limit 1"
