# The same bundles by SFTP and on offline media: whichever route comes
# first is applied, the other is a duplicate; both before one load, or one
# route after the other was loaded, each bundle is applied once.  A district
# that rotated its key signs its media with the new key: the state takes it
# in with a warning, pins the key from the announcement inside, and the next
# media is trusted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sshd.sh"
setup_pair 100
sshd_start
sshd_district D
URL=$(sshd_url "$PWD/S")
ok "$E" resync --full --home D
ok "$E" digest --home D
mkdir orig
cp D/outbox/*.bundle orig/
b1=0042-0000000001-resync.bundle

# both routes before a load: SFTP, then the same bundles queued again
# and written to media
ok "$E" send --to "$URL" --home D
out_has "send: 2 bundles delivered to $URL, 0 files received"
cp orig/*.bundle D/outbox/
ok "$E" send --media both.media --home D
out_has "send: 2 bundles written to both.media"
ok "$E" import both.media --home S
out_has "imported $b1 as $b1.1 (a file of that name is waiting in inbox/)"
ok "$E" load --home S
out_has "load: 2 applied, 0 held, 2 duplicates, 0 refused"

# media first and loaded, then SFTP brings the same again
ok "$E" resync --objects School --home D
b3=0042-0000000003-resync.bundle
cp "D/outbox/$b3" orig/
ok "$E" send --media m3.media --home D
ok "$E" import m3.media --home S
ok "$E" load --home S
out_has "load: 1 applied, 0 held, 0 duplicates, 0 refused"
cp "orig/$b3" D/outbox/
want_back=$(ls S/outbox/0042 | wc -l)
ok "$E" send --to "$URL" --home D
out_has "send: 1 bundle delivered to $URL, $want_back files received"
ok "$E" load --home S
out_has "load: 0 applied, 0 held, 1 duplicate, 0 refused"

# a key rotation carried on media
old=$(sed -n 's/^id = //p' D/keys/district.pub)
ok "$E" key rotate --home D
new=$(sed -n 's/^id = //p' D/keys/district.pub)
[ "$old" != "$new" ] || fail "the key did not change"
ok "$E" resync --objects School --home D
ok "$E" send --media k.media --home D
ok "$E" import k.media --home S
err_has "edsync: k.media: sent by key $new, which this home does not trust; its files go to inbox/ all the same, for 'load' to check"
ok "$E" load --home S
out_has "load: 2 applied, 0 held, 0 duplicates, 0 refused"
eq "$(sed -n 's/^id = //p' S/keys/trusted/district-0042.pub)" "$new" "the key pinned at the state"
ok "$E" resync --objects School --home D
ok "$E" send --media k2.media --home D
ok "$E" import k2.media --home S
eq "$(cat err)" "" "stderr"
out_has "import: 1 file from district 0042 into inbox/"
ok "$E" load --home S
out_has "load: 1 applied, 0 held, 0 duplicates, 0 refused"
