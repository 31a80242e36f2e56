# lib.sh - helpers for the end-to-end tests (sourced; bash).
#
#   run CMD...            run, keep stdout in out, stderr in err, status in rc
#   ok CMD...             run and demand status 0
#   expect RC CMD...      run and demand status RC
#   err_has LINE          stderr has exactly this line
#   err_lines N           stderr has exactly N lines
#   out_has LINE          stdout has exactly this line
#   eq A B [what]         A = B
#   setup_pair [N]        state home S, district home D (0042, NV, 2027),
#                         keys exchanged; with N, a generated district of N
#                         students in D/source
set -u
set -o pipefail

E=$EDSYNC

fail() {
	echo "FAILED: $*" >&2
	echo "--- last stdout:" >&2; cat out >&2 2>/dev/null
	echo "--- last stderr:" >&2; cat err >&2 2>/dev/null
	exit 1
}

run() {
	"$@" >out 2>err
	rc=$?
	# A sanitizer report is always a failure, whatever the test expects.
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' err; then
		fail "sanitizer report from: $*"
	fi
	return 0
}

ok() {
	run "$@"
	[ "$rc" -eq 0 ] || fail "expected status 0, got $rc: $*"
}

expect() {
	local want=$1
	shift
	run "$@"
	[ "$rc" -eq "$want" ] || fail "expected status $want, got $rc: $*"
}

err_has() {
	grep -qxF -- "$1" err || fail "stderr lacks the line: $1"
}

out_has() {
	grep -qxF -- "$1" out || fail "stdout lacks the line: $1"
}

err_lines() {
	local n
	n=$(wc -l <err)
	[ "$n" -eq "$1" ] || fail "stderr has $n lines, expected $1"
}

eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

setup_pair() {
	ok "$E" init --role state --state NV --year 2027 --home S
	ok "$E" init --role district --district 0042 --state NV --year 2027 --home D
	ok "$E" trust --district 0042 D/keys/district.pub --home S
	ok "$E" trust --state S/keys/state.pub --home D
	if [ $# -gt 0 ]; then
		"$GEN" --students "$1" --seed 7 --state NV --year 2027 --out D/source ||
			fail "gen-district"
	fi
}

# district -> state: send and load, both must succeed
deliver() {
	ok "$E" send --to S --home D
	ok "$E" load --home S
}

# Number of records the state holds for the district and an object whose
# values hold no newline (PersonIdentity, Enrollment): the export's lines
# less the header.
state_rows() {
	"$E" export --district 0042 --object "$1" --home S >export.csv 2>export.err ||
		fail "export $1"
	echo $(( $(wc -l <export.csv) - 1 ))
}
