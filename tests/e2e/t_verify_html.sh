# The HTML report, rendered by headless Chromium: the figures in the page
# are the Summary's, and the area names link to their detail.
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is not installed (tools/install-deps check)"
setup_pair 40
ok "$E" resync --full --home D
deliver
sed -i '5s/,[^,]*$/,2026-09-30/' D/source/PersonIdentity.csv
sed -i '20d' D/source/PersonIdentity.csv
echo "900,0099999900,,,,New,<Person & Co>,,,F,2015-05-05,1,N,2026-08-01" >>D/source/PersonIdentity.csv
ok "$E" digest --tree --home D
deliver
# the expand round trip, then the page
expect 1 "$E" verify --district 0042 --no-report --home S
ok "$E" send --to S --home D
ok "$E" load --home D
deliver
expect 1 "$E" verify --district 0042 --format html --out report.html --home S
mkdir -p chrome
run timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$PWD/chrome" \
	--dump-dom "file://$PWD/report.html"
[ "$rc" -eq 0 ] || fail "chromium could not render the page"
tr '>' '>\n' <out >dom.txt
fig() { grep -o "id=\"fig-$1\">[0-9]*<" out | sed 's/.*>\([0-9]*\)<$/\1/'; }
eq "$(fig Person-Identity-district_total)" 44 "district total in the page"
eq "$(fig Person-Identity-state_total)" 44 "state total in the page"
eq "$(fig Person-Identity-missing_at_state)" 1 "missing at state in the page"
eq "$(fig Person-Identity-missing_at_district)" 1 "missing at district in the page"
eq "$(fig Person-Identity-differences)" 1 "differences in the page"
eq "$(fig Person-Identity-unresolved)" 0 "nothing pending in the page"
eq "$(fig Enrollment-differences)" 0 "Enrollment in the page"
eq "$(fig Enrollment-district_total)" "$(( $(wc -l <D/source/Enrollment.csv) - 1 ))" "Enrollment total"
grep -qF '<p id="status" class="differ">NOT in sync: district and state differ</p>' out ||
	fail "status in the page"
# links from the summary to each area's detail, and back
grep -qF '<a href="#area-Person-Identity">Person/Identity</a>' out || fail "link to the detail"
grep -qF '<h2 id="area-Person-Identity">Person/Identity</h2>' out || fail "the detail's anchor"
eq "$(grep -o 'href="#summary"' out | wc -l)" 8 "a link back from every area"
# the detail: the changed field with both values, escaped as text
grep -qF '<td>effectiveDate</td><td>2026-09-30</td>' out || fail "the changed field in the page"
grep -qF '<td class="set">missing_at_state</td><td>900</td>' out || fail "the added key"
grep -qF '&lt;Person &amp; Co&gt;' out && fail "a value of a record missing at the state is not shown"
true
