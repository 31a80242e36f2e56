# On a terminal a resync shows a progress line (done, rows, rate) and clears
# it before its summary; without a terminal, or with --quiet, no trace of it.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || fail "script (util-linux) is needed"
setup_pair 300
script -qec "$E resync --full --home D" /dev/null >tty.out || fail "resync on a terminal"
# every row read: sent, rejected or withheld (the summary's total)
rows=$(tr -d '\r' <tty.out | awk '$1 == "total" {print $2 + $3 + $4}')
[ "${rows:-0}" -gt 1000 ] || fail "no total in the summary"
grep -aq "resync: 100%  $rows rows  [0-9]* rows/s" tty.out ||
	fail "no final progress line with every row ($rows)"
# the line is cleared before the summary
grep -aq "$(printf '\r\033\\[K')resync: outbox/0042-0000000001-resync.bundle" tty.out ||
	fail "the progress line is not cleared before the summary"
ok "$E" resync --full --home D
grep -q 'rows/s' err && fail "progress without a terminal"
script -qec "$E resync --full --quiet --home D" /dev/null >tty.out || fail "resync --quiet"
grep -aq 'rows/s' tty.out && fail "progress with --quiet"
exit 0
