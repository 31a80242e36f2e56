# edsync objects and edsync fields of every object, in the contract's exact
# CSV forms, agree with each other and with what the generator writes.
. "$(dirname "$0")/lib.sh"
ok "$E" objects --csv
head -1 out | grep -qxF 'object,key,area,parents,states' || fail "objects header"
eq "$(tail -n +2 out | wc -l)" 87 "objects"
grep -qxF 'Enrollment,enrollmentID,Enrollment,PersonIdentity;Calendar,' out || fail "Enrollment line"
grep -qxF 'AdultEducation,adultEdID,,PersonIdentity;School,NV' out || fail "AdultEducation line"
grep -qxF 'SpecialEdState,specialEdStateID,,PersonIdentity;Plan,NC' out || fail "SpecialEdState line"
grep -q '^Lep,lepID,English Learner,' out || fail "Lep line"
grep -q '^DualLanguageImmersion,' out || fail "DualLanguageImmersion"
grep -q '^EarlyWarning,' out || fail "EarlyWarning"
cp out objects.csv
"$GEN" --students 100 --seed 1 --state NV --out g || fail "gen"
for o in $(tail -n +2 objects.csv | cut -d, -f1); do
	ok "$E" fields "$o" --csv
	head -1 out | grep -qxF 'field,type,key,on_save,on_resync' || fail "$o fields header"
	tail -n +2 out | grep -vqE '^[A-Za-z][A-Za-z0-9]*,(text|integer|decimal|date|boolean|code),[01],[01],[01]$' &&
		fail "$o: a field line out of form"
	tail -n +2 out | awk -F, '$4 == 0 && $5 == 0 { exit 1 }' || fail "$o: a field that never syncs"
	key=$(grep "^$o," objects.csv | cut -d, -f2)
	eq "$(tail -n +2 out | awk -F, '$3 == 1 { print $1 }' | paste -sd';')" "$key" "$o key"
	if [ -f "g/$o.csv" ]; then
		eq "$(head -1 "g/$o.csv")" "$(tail -n +2 out | cut -d, -f1 | paste -sd,)" "$o columns"
	fi
	ok "$E" fields "$o"
	head -2 out | tail -1 | grep -q '^FIELD  *TYPE  *KEY  *ON SAVE  *ON RESYNC$' || fail "$o text table"
done
expect 64 "$E" fields Nonsense
err_has "edsync: fields: no object named 'Nonsense' ('edsync objects' lists them) (see 'edsync help fields')"
