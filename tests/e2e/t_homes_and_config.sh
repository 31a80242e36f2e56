# Homes, keys and config: no home, a broken config, a loose secret key,
# each 78 with a message naming what is wrong; usage errors 64; a held
# lock 75.
. "$(dirname "$0")/lib.sh"

expect 78 "$E" resync --full --home nowhere
err_has "edsync: nowhere: no such home folder (run 'edsync init' or give --home)"
mkdir empty
expect 78 "$E" load --home empty
err_has "edsync: empty/edsync.conf: no such file: not an edsync home (run 'edsync init')"

setup_pair
expect 78 "$E" init --role district --district 0042 --state NV --home D
err_has "edsync: D: already an edsync home; nothing changed"

cp D/edsync.conf good.conf
sed -i 's/^year = 2027$/year = 20x7/' D/edsync.conf
expect 78 "$E" resync --full --home D
err_has "edsync: D/edsync.conf:6: [node] year: '20x7' is not a school year (YYYY, the year it ends)"
err_lines 1
printf '[node]\nrole = district\ndistrict = 0042\nstate = NV\nyear = 2027\ncolour = blue\n' >D/edsync.conf
expect 78 "$E" status --home D
err_has "edsync: D/edsync.conf:6: [node] colour: unknown setting"
printf '[node]\nrole = district\nstate = NV\nyear = 2027\n' >D/edsync.conf
expect 78 "$E" status --home D
err_has "edsync: D/edsync.conf: [node] district: missing"
printf '[node]\nrole = district\ndistrict = 0042\nstate = NV\nyear = 2027\nthis is not ini\n' >D/edsync.conf
expect 78 "$E" status --home D
err_has "edsync: D/edsync.conf:6: not a [section] or name = value line"
printf '[node]\nrole = state\nstate = NV\nyear = 2027\n[send]\nto = /x\n' >S/edsync.conf
expect 78 "$E" status --home S
err_has "edsync: S/edsync.conf: [send] to: not a setting of a state home"
cp good.conf D/edsync.conf

eq "$(stat -c %a D/keys/district.key)" 600 "secret key mode"
eq "$(stat -c %a D/keys/district.pub)" 644 "public key mode"
chmod 640 D/keys/district.key
expect 78 "$E" resync --full --home D
err_has "edsync: D/keys/district.key: secret key is readable by group or others (mode 0640); run 'chmod 600 D/keys/district.key'"
chmod 600 D/keys/district.key

expect 64 "$E" frobnicate
err_has "edsync: 'frobnicate' is not an edsync command (see 'edsync help')"
expect 64 "$E" resync --fast --home D
err_has "edsync: resync: unknown option '--fast' (see 'edsync help resync')"
expect 64 "$E" resync --home D
err_has "edsync: resync: give --full, or --objects A,B (see 'edsync help resync')"
expect 64 "$E" export --district 0042 --home S
expect 64 "$E" resync --objects Nonsense --home D
err_has "edsync: resync: no object named 'Nonsense' ('edsync objects' lists them) (see 'edsync help resync')"
expect 64 "$E" load --home D --district
err_has "edsync: load: unknown option '--district' (see 'edsync help load')"
expect 0 "$E" help resync
grep -q '^usage: edsync resync' out || fail "help text"

# a second edsync on the same home: 75
flock D/var/lock sleep 3 &
sleep 0.5
expect 75 "$E" resync --full --home D
err_has "edsync: D: another edsync is working in this home; try again later (or use --wait)"
expect 0 "$E" status --home D	# status only reads
wait
