# An SFTP upload killed (SIGKILL) halfway through a large bundle leaves only
# a dot-named partial file in the state's inbox, which the loader ignores
# and the next send overwrites; killed right after a bundle arrived, the
# bundle is sent again and applied once.  Meanwhile a watcher checks that
# no file ever shows under a bundle's name in the inbox unless it is whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
[ -n "$FORGE" ] || fail "this test needs FORGE (tests/tools/forge)"
setup_pair 50
sshd_start
sshd_district D
URL=$(sshd_url "$PWD/S")
trap 'rm -f watching; sshd_stop' EXIT

# two large bundles (random text zstd cannot shrink, about 4.5 MB each),
# signed with the district's key; then the district's own resync and digest
big=0042-0000000001-resync.bundle
big2=0042-0000000002-resync.bundle
mkdir big
for seq in 1 2; do
	{
		echo personID,lastName
		base64 -w 4000 </dev/urandom | head -n 1500 | awk -v s="$seq" '{ print s * 10000 + NR "," $0 }'
	} >big/PersonIdentity.csv
	"$FORGE" --key D/keys/district.key --district 0042 --state NV --seq "$seq" \
		"D/outbox/0042-000000000$seq-resync.bundle" big/PersonIdentity.csv || fail "forge"
done
ok "$E" resync --full --home D
ok "$E" digest --home D
mkdir orig
cp D/outbox/*.bundle orig/
eq "$(ls orig | wc -l)" 4 "bundles"
[ "$(stat -c %s "orig/$big")" -gt 4000000 ] || fail "the large bundle is small"
cp -a D D0
cp -a S S0

# no file under a bundle's name that is not whole, ever (paused while the
# state loads, which moves files out of the inbox and needs the CPU)
touch watching
(
	while [ -e watching ]; do
		if [ -e paused ]; then
			sleep 0.05
			continue
		fi
		for f in S/inbox/0042-*; do
			[ -f "$f" ] || continue
			n=$(basename "$f")
			have=$(stat -c %s "$f" 2>/dev/null) || continue
			[ "$have" = "$(stat -c %s "orig/$n")" ] || echo "$n: $have bytes" >>half
		done
	done
) &
watcher=$!

load_state() {
	touch paused
	ok "$E" load --home S
	rm -f paused
}

# the last line of the send that follows, with n bundles: the state's
# receipts come back as well
sent_line() {
	local r
	r=$(ls S/outbox/0042 2>/dev/null | wc -l)
	echo "send: $1 bundle$([ "$1" = 1 ] || echo s) delivered to $URL, $r file$([ "$r" = 1 ] || echo s) received"
}

# start a send and kill it once the named file has at least `at` bytes
send_and_kill() {
	local file=$1 at=$2 pid i size
	"$E" send --to "$URL" --home D >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 1 3000); do
		size=$(stat -c %s "$file" 2>/dev/null || echo 0)
		[ "$size" -ge "$at" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.002
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# 1: killed inside the large upload
send_and_kill "S/inbox/.$big.tmp" 1000000
[ -f "S/inbox/.$big.tmp" ] || fail "the kill did not land inside the upload"
part=$(stat -c %s "S/inbox/.$big.tmp")
[ "$part" -lt "$(stat -c %s "orig/$big")" ] || fail "the upload was complete ($part bytes)"
echo "killed with $part bytes uploaded"
eq "$(ls S/inbox | wc -l)" 0 "files under a real name"
eq "$(ls D/outbox | grep -c '\.bundle$')" 4 "bundles queued"
eq "$(ls -A D/var/sent | wc -l)" 0 "bundles sent"
load_state
out_has "load: 0 applied, 0 held, 0 duplicates, 0 refused"
[ -f "S/inbox/.$big.tmp" ] || fail "the loader took the partial upload"
want=$(sent_line 4)
ok "$E" send --to "$URL" --home D
out_has "$want"
eq "$(ls -A S/inbox | grep -vx .tmp | tr '\n' ' ')" "$(ls orig | tr '\n' ' ')" "the inbox"
for b in orig/*; do
	cmp -s "$b" "S/inbox/$(basename "$b")" || fail "$(basename "$b") arrived altered"
done
load_state
out_has "load: 4 applied, 0 held, 0 duplicates, 0 refused"

# 2: killed once the first large bundle is in the inbox under its name, and
# loaded before the next send: sent again if it was still queued, applied
# once all the same
rm -rf D S
cp -a D0 D
cp -a S0 S
send_and_kill "S/inbox/$big" 1
[ -f "S/inbox/$big" ] || fail "the large bundle did not arrive"
[ -f "S/inbox/$big2" ] && fail "the kill landed after the second large bundle"
again=0
[ -f "D/outbox/$big" ] && again=1
echo "killed after the rename; sent again: $again"
load_state
out_has "load: 1 applied, 0 held, 0 duplicates, 0 refused"
want=$(sent_line $(( 3 + again )))
ok "$E" send --to "$URL" --home D
out_has "$want"
load_state
out_has "load: 3 applied, 0 held, $again duplicate$([ $again = 1 ] || echo s), 0 refused"

# 3: the same kill, the next send before any load: the bundle already in
# the inbox is replaced by the same bytes
rm -rf D S
cp -a D0 D
cp -a S0 S
send_and_kill "S/inbox/$big" 1
[ -f "S/inbox/$big2" ] && fail "the kill landed after the second large bundle"
[ -f "D/outbox/$big" ] || cp "orig/$big" D/outbox/	# queued again by hand if it had left
want=$(sent_line 4)
ok "$E" send --to "$URL" --home D
out_has "$want"
cmp -s "orig/$big" "S/inbox/$big" || fail "the resent bundle is altered"
eq "$(ls -A S/inbox | grep -vx .tmp | wc -l)" 4 "files in the inbox"
load_state
out_has "load: 4 applied, 0 held, 0 duplicates, 0 refused"

rm -f watching
wait "$watcher"
[ ! -s half ] || fail "a partial file was visible under a bundle's name: $(head -3 half)"
