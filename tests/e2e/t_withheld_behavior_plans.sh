# The behavior and special-education rules: events without a state event
# code, resolutions without a state resolution code, unlocked plans are
# withheld (and what references them); each, once sent, is removed at the
# state when it becomes withheld.
. "$(dirname "$0")/lib.sh"
setup_pair
printf 'schoolID,name\n10,North\n' >D/source/School.csv
printf 'calendarID,schoolID,endYear\n100,10,2027\n' >D/source/Calendar.csv
printf 'personID,lastName\n1001,A\n1002,B\n1003,C\n' >D/source/PersonIdentity.csv
printf 'incidentID,calendarID\n1,100\n' >D/source/BehaviorIncident.csv
printf 'eventID,incidentID,calendarID,stateEventCode\n11,1,100,FGT\n12,1,100,\n' \
	>D/source/BehaviorEvent.csv
printf 'roleID,eventID,personID\n21,11,1001\n22,12,1002\n' >D/source/BehaviorRole.csv
printf 'resolutionID,roleID,personID,stateResolutionCode\n31,21,1001,OSS\n32,21,1001,\n33,22,1002,OSS\n' \
	>D/source/BehaviorResolution.csv
printf 'planID,personID,locked\n41,1001,1\n42,1002,0\n43,1003,\n' >D/source/Plan.csv
printf 'progressReportID,planID,personID\n51,41,1001\n52,42,1002\n' >D/source/PlanProgressReport.csv

ok "$E" resync --full --home D
out_has "$(printf '  withheld %-24s %8s  %s' BehaviorEvent 1 'behavior event without a state event code')"
out_has "$(printf '  withheld %-24s %8s  %s' BehaviorRole 1 'references a withheld BehaviorEvent (eventID)')"
out_has "$(printf '  withheld %-24s %8s  %s' BehaviorResolution 1 'behavior resolution without a state resolution code')"
out_has "$(printf '  withheld %-24s %8s  %s' BehaviorResolution 1 'references a withheld BehaviorRole (roleID)')"
out_has "$(printf '  withheld %-24s %8s  %s' Plan 2 'special education plan not locked')"
out_has "$(printf '  withheld %-24s %8s  %s' PlanProgressReport 1 'references a withheld Plan (planID)')"
deliver
grep -q '^  held ' out && fail "records held"
ok "$E" export --district 0042 --object BehaviorEvent --home S
eq "$(tail -n +2 out | cut -d, -f1 | tr '\n' ' ')" "11 " "events at the state"
ok "$E" export --district 0042 --object BehaviorResolution --home S
eq "$(tail -n +2 out | cut -d, -f1 | tr '\n' ' ')" "31 " "resolutions at the state"
ok "$E" export --district 0042 --object Plan --home S
eq "$(tail -n +2 out | cut -d, -f1 | tr '\n' ' ')" "41 " "plans at the state"
ok "$E" export --district 0042 --object PlanProgressReport --home S
eq "$(tail -n +2 out | cut -d, -f1 | tr '\n' ' ')" "51 " "progress reports at the state"

# withheld after they were sent: removed at the state, with what references them
sed -i 's/^11,1,100,FGT$/11,1,100,/' D/source/BehaviorEvent.csv
sed -i 's/^41,1001,1$/41,1001,0/' D/source/Plan.csv
ok "$E" resync --full --home D
deliver
for o in BehaviorEvent BehaviorRole BehaviorResolution Plan PlanProgressReport; do
	ok "$E" export --district 0042 --object "$o" --home S
	eq "$(wc -l <out)" 1 "$o at the state after it was withheld"
done
