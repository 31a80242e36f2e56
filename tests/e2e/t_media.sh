# Offline media both ways: the district writes its bundles to one encrypted
# file (nothing readable in it), the state imports and loads them; the state
# writes what it left for the district, the district imports it.  A
# tampered byte, a truncated file, media for another key are refused with
# one exact line, and nothing is imported.  The same media imported twice
# is applied once.  Media from a key the home does not trust is taken in
# with a warning, and load refuses its bundles.
. "$(dirname "$0")/lib.sh"
setup_pair 400
ok "$E" resync --full --home D
ok "$E" digest --home D
mkdir orig
cp D/outbox/*.bundle orig/
b1=0042-0000000001-resync.bundle
b2=0042-0000000002-digest.bundle
sid=$(sed -n 's/^id = //p' S/keys/state.pub)
did=$(sed -n 's/^id = //p' D/keys/district.pub)

# usage
expect 64 "$E" send --to S --media m.media --home D
err_has "edsync: send: give --to DEST or --media FILE, not both (see 'edsync help send')"
expect 64 "$E" send --media m.media --district 0042 --home D
err_has "edsync: send: --district is for the state; a district writes its own bundles (see 'edsync help send')"
expect 64 "$E" send --media m.media --home S
err_has "edsync: send: on the state, give --district ID: whose files to write (see 'edsync help send')"
expect 64 "$E" send --to S --home S
err_has "edsync: send: 'send' runs on a district home; S is a state home"
expect 64 "$E" import --home S
err_has "edsync: import: give one media file (see 'edsync help import')"
expect 66 "$E" import nothing.media --home S
err_has "edsync: nothing.media: cannot read: No such file or directory"

# district -> state
ok "$E" send --media m.media --home D
out_has "sent $b1"
out_has "sent $b2"
out_has "send: 2 bundles written to m.media"
eq "$(cat err)" "" "stderr"
eq "$(ls D/outbox | grep -c '\.bundle$')" 0 "bundles queued"
eq "$(ls D/var/sent | tr '\n' ' ')" "$b1 $b2 " "bundles sent"
eq "$(stat -c %a m.media)" 600 "mode of the media"
eq "$(ls -A | grep -c '^\.tmp')" 0 "temporary files left"
[ "$(head -c 16 m.media)" = "edsync media v1" ] || fail "no magic"
for s in 0042 personID Enrollment resync "$(sed -n 2p D/source/PersonIdentity.csv | cut -d, -f6)"; do
	grep -qaF "$s" m.media && fail "'$s' readable in the media"
done
size=$(stat -c %s m.media)
chunks=$(( (size - 128 - 1) / 65557 + 1 ))
[ "$chunks" -ge 2 ] || fail "media of one chunk only ($size bytes)"

# never over an existing file
ok "$E" resync --objects School --home D
expect 64 "$E" send --media m.media --home D
err_has "edsync: m.media: exists; not overwritten (it may hold what was not imported yet): give a new file name"
eq "$(ls D/outbox | grep -c '\.bundle$')" 1 "bundles queued"

nothing_imported() {
	eq "$(find S/inbox -type f | wc -l)" 0 "files in the state's inbox"
	eq "$(find S/inbox/.tmp -mindepth 1 2>/dev/null | wc -l)" 0 "staging left"
}

# one byte changed, in the first chunk and in the last
cp m.media t1.media
printf '\x55' | dd of=t1.media bs=1 seek=1000 conv=notrunc 2>/dev/null
expect 65 "$E" import t1.media --home S
err_has "edsync: t1.media: damaged: chunk 1 (at byte 128) does not authenticate; nothing imported"
err_lines 1
nothing_imported
cp m.media t2.media
last=$(( size - 30 ))
printf '%b' "\\x$(printf %02x $(( ($(od -An -tu1 -j "$last" -N1 m.media) + 1) % 256 )))" |
	dd of=t2.media bs=1 seek="$last" conv=notrunc 2>/dev/null
cmp -s m.media t2.media && fail "t2.media not changed"
expect 65 "$E" import t2.media --home S
err_has "edsync: t2.media: damaged: chunk $chunks (at byte $(( 128 + (chunks - 1) * 65557 ))) does not authenticate; nothing imported"
err_lines 1
nothing_imported

# truncated: inside a chunk, on a chunk boundary, inside the header
head -c $(( size - 100 )) m.media >t3.media
expect 65 "$E" import t3.media --home S
err_has "edsync: t3.media: truncated: it ends at byte $(( size - 100 )), inside chunk $chunks; nothing imported"
nothing_imported
head -c $(( 128 + 65557 )) m.media >t4.media
expect 65 "$E" import t4.media --home S
err_has "edsync: t4.media: truncated: it ends at byte 65685, before its last chunk; nothing imported"
nothing_imported
head -c 100 m.media >t5.media
expect 65 "$E" import t5.media --home S
err_has "edsync: t5.media: truncated: it ends at byte 100, inside its header; nothing imported"
printf 'not media\n' >t6.media
expect 65 "$E" import t6.media --home S
err_has "edsync: t6.media: not an edsync media file; nothing imported"
nothing_imported

# for another key: another state's home, the district itself
ok "$E" init --role state --state NV --year 2027 --home S2
ok "$E" trust --district 0042 D/keys/district.pub --home S2
s2id=$(sed -n 's/^id = //p' S2/keys/state.pub)
expect 77 "$E" import m.media --home S2
err_has "edsync: m.media: made for key $sid, not for this home's key $s2id; nothing imported"
err_lines 1
eq "$(find S2/inbox -type f | wc -l)" 0 "files in the other state's inbox"
expect 77 "$E" import m.media --home D
err_has "edsync: m.media: made for key $sid, not for this home's key $did; nothing imported"
eq "$(find D/inbox -type f | wc -l)" 0 "files in the district's inbox"
# the good one: imported, loaded
ok "$E" import m.media --home S
out_has "imported $b1"
out_has "imported $b2"
out_has "import: 2 files from district 0042 into inbox/"
for b in orig/*; do
	cmp -s "$b" "S/inbox/$(basename "$b")" || fail "$(basename "$b") imported altered"
done
eq "$(find S/inbox/.tmp -mindepth 1 | wc -l)" 0 "staging left"
ok "$E" load --home S
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
eq "$(state_rows PersonIdentity)" "$(( $(wc -l <D/source/PersonIdentity.csv) - 1 ))" "persons at the state"
# again, and twice before a load: applied once
ok "$E" import m.media --home S
ok "$E" import m.media --home S
out_has "imported $b1 as $b1.1 (a file of that name is waiting in inbox/)"
ok "$E" load --home S
out_has "load: 0 applied, 0 held, 4 duplicates, 0 refused"

# from a district the state does not trust: taken in with a warning (a
# district that rotated its key signs with a key the state learns from the
# announcement inside), and its bundle refused by load as from any unknown key
ok "$E" init --role district --district 0043 --state NV --year 2027 --home D3
ok "$E" trust --state S/keys/state.pub --home D3
"$FORGE" --key D3/keys/district.key --district 0043 --state NV --seq 1 \
	D3/outbox/0043-0000000001-resync.bundle D/source/School.csv || fail "forge"
ok "$E" send --media d3.media --home D3
d3id=$(sed -n 's/^id = //p' D3/keys/district.pub)
ok "$E" import d3.media --home S
err_has "edsync: d3.media: sent by key $d3id, which this home does not trust; its files go to inbox/ all the same, for 'load' to check"
err_lines 1
out_has "import: 1 file from key $d3id (not trusted) into inbox/"
expect 77 "$E" load --home S
out_has "load: 0 applied, 0 held, 0 duplicates, 1 refused"

# state -> district: what outbox/0042/ holds, receipts and all
printf 'a note\n' >S/outbox/0042/note.txt
mkdir left
cp S/outbox/0042/* left/
n=$(ls left | wc -l)
expect 64 "$E" send --media r.media --district 0042x --home S
err_has "edsync: send: --district wants a district ID (1 to 16 digits) (see 'edsync help send')"
ok "$E" send --media r.media --district 0042 --home S
for f in left/*; do out_has "sent $(basename "$f")"; done
out_has "send: $n files for district 0042 written to r.media"
eq "$(ls S/outbox/0042)" "" "the state's return folder"
expect 77 "$E" import r.media --home S
err_has "edsync: r.media: made for key $did, not for this home's key $sid; nothing imported"
ok "$E" import r.media --home D
for f in left/*; do
	out_has "imported $(basename "$f")"
	cmp -s "$f" "D/inbox/$(basename "$f")" || fail "$(basename "$f") imported altered"
done
out_has "import: $n files from state NV into inbox/"
# nothing left for the district: an empty media, still a media
ok "$E" send --media r2.media --district 0042 --home S
out_has "send: 0 files for district 0042 written to r2.media"
ok "$E" import r2.media --home D
out_has "import: 0 files from state NV into inbox/"
# no key pinned for a district
expect 78 "$E" send --media r3.media --district 0099 --home S
err_has "edsync: S/keys/trusted/district-0099.pub: no key is pinned for district 0099: run 'edsync trust --district 0099 FILE.pub' first"
[ -e r3.media ] && fail "r3.media written"
exit 0
