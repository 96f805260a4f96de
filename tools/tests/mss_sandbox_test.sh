#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `mss` end to end against the sandbox operator (scripts/sandbox): Dr Martin links his box (the
# one-time code mailed by LIAISON, read from the box), syncs, lists his folders, writes to
# Dr Bernard with an attachment; Dr Bernard links hers and replies; Dr Martin forwards; documents
# of a patient's file; a new message to a patient is refused; Dr Bernard watches her box (IDLE) and
# sees Dr Martin's next message arrive; the cardiology department's ORG box is linked by its first
# administrator, a delegate sees its folders until revoked.
#   mss_sandbox_test.sh MSS SANDBOX_SCRIPT SOURCE_DIR TRUST_SPACE_DIR WORK_DIR
set -u
MSS=$1 SANDBOX=$2 SRC=$3 TRUST=$4 WORK=$5
eval "$("$SANDBOX" env)" || { echo "the sandbox is not up"; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
unset MSS_CONFIG MSS_TRUST_SPACE MSS_TRUST_SPACE_CHECKSUM MSS_DIRECTORY_API_KEY
export HOME="$WORK/home"
TAG="cli-$(date +%s)-$$"

fail() {
    echo "FAIL: $1"
    [ -f out.txt ] && sed 's/^/    /' out.txt
    exit 1
}
# step DESCRIPTION EXIT_CODE REGEX COMMAND...
step() {
    what=$1 want=$2 pattern=$3
    shift 3
    "$@" >out.txt 2>&1
    got=$?
    [ "$got" = "$want" ] || fail "$what: exit $got, expected $want"
    # The pattern may match one line, or span lines (stderr's message and its hint).
    { grep -Eq -- "$pattern" out.txt || tr '\n' ' ' <out.txt | grep -Eq -- "$pattern"; } || fail "$what: output does not match /$pattern/"
    echo "ok: $what"
}
# json_field FIELD: the first "FIELD":"value" of out.txt.
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" out.txt | head -n 1; }
# id_of SUBJECT: the id of the message with that subject in out.txt (a `list --json`).
id_of() { tr '{' '\n' <out.txt | grep -F "\"subject\":\"$1\"" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n 1; }

config() {  # config FILE MAILBOX PERSON RPPS STORE
    cat >"$1" <<CFG
mailbox = $2
person_id = $3
rpps = $4
imap_host = $MSS_SANDBOX_HOST
imap_port = $MSS_SANDBOX_IMAP_PORT
smtp_host = $MSS_SANDBOX_HOST
smtp_port = $MSS_SANDBOX_SMTP_PORT
tls_name = $MSS_SANDBOX_TLS_NAME
ca_file = $MSS_SANDBOX_CA
trust_space = $TRUST/listeblanchemssante.xml
trust_space_checksum = $TRUST/checksum
extra_domain = regional.mssante.test
extra_domain = national.mssante.test
store = $5
code_sender = $MSS_SANDBOX_LIAISON_ADDRESS
product_reference = MSS-CLI-TEST-0001
directory = $SRC/examples/data/national_directory.txt
CFG
}
config martin.config "$MSS_SANDBOX_DR_MARTIN_ADDRESS" p-martin 10000000009 "$WORK/martin.db"
config bernard.config "$MSS_SANDBOX_DR_BERNARD_ADDRESS" p-bernard 10000000108 "$WORK/bernard.db"
export MSS_CODE_SENDER_PASSWORD="$MSS_SANDBOX_LIAISON_PASSWORD"
martin() { env MSS_PASSWORD="$MSS_SANDBOX_DR_MARTIN_PASSWORD" "$MSS" --config martin.config "$@"; }
bernard() { env MSS_PASSWORD="$MSS_SANDBOX_DR_BERNARD_PASSWORD" "$MSS" --config bernard.config "$@"; }

echo "1. Dr Martin links his box"
step "the link state starts empty" 0 'not_linked' martin link --status
step "a code is mailed into the box by LIAISON" 0 "mailed into $MSS_SANDBOX_DR_MARTIN_ADDRESS by $MSS_SANDBOX_LIAISON_ADDRESS" martin link
step "a wrong code is refused with a hint" 1 'the one-time code is wrong.*hint:' martin link --code 00000000
step "the code read from the box links it, first sync done" 0 '"state":"ready"' martin --json link --from-mailbox --wait 30
step "the link is ready" 0 'ready' martin link --status
step "linking again is refused" 1 'hint: `mss unlink`' martin link

echo "2. Folders"
step "sync" 0 '"ok":true,"mailbox":"dr.martin@regional.mssante.test","added":[0-9]+' martin --json sync
step "folders with total and unread counts" 0 '"key":"inbox","name":"Boîte de réception","parent":null,"total":[1-9][0-9]*,"unread":[0-9]+' martin --json folders
step "folders as text" 0 'professionals-received +Reçus' martin folders

echo "3. Dr Martin writes to Dr Bernard, found in the directory"
step "search" 0 "\"address\":\"$MSS_SANDBOX_DR_BERNARD_ADDRESS\"" martin --json search --family bernard --profession 10
printf '%%PDF-1.4\n%% bilan\n' >bilan.pdf
step "send with an attachment" 0 '"ok":true,"state":"sent"' martin --json send --to "Dr Anne Bernard <$MSS_SANDBOX_DR_BERNARD_ADDRESS>" \
    --subject "Avis $TAG" --body "Bonjour, pouvez-vous revoir ce patient ?" --attach bilan.pdf
step "the copy is in professionals-sent" 0 "\"subject\":\"Avis $TAG\"" martin --json list professionals-sent
step "a new message to a patient is refused" 1 'conversation with a patient cannot be started' \
    martin send --to "$MSS_SANDBOX_PATIENT_2_ADDRESS" --subject "Rappel" --body "x"

echo "4. Dr Bernard links her box and replies"
step "Dr Bernard links with the code from her box" 0 'is linked to your account' bernard link --from-mailbox --wait 30
i=0
while :; do
    bernard sync >/dev/null 2>&1
    bernard --json list professionals-received >out.txt 2>&1
    ID=$(id_of "Avis $TAG")
    [ -n "$ID" ] && break
    i=$((i + 1))
    [ $i -lt 20 ] || fail "Dr Bernard never received «Avis $TAG»"
    sleep 0.5
done
echo "ok: Dr Bernard received it as $ID"
step "she reads it: body and attachment" 0 'Attachment: bilan.pdf \(application/pdf' bernard read "$ID"
step "it is now read" 0 "\"id\":\"$ID\"[^}]*\"seen\":true" bernard --json list professionals-received
step "she replies" 0 '"ok":true,"state":"sent".*"subject":"RE : Avis '"$TAG"'"' bernard --json reply "$ID" --body "D'accord, je le vois la semaine prochaine."

echo "5. Dr Martin gets the reply and forwards his message with its attachment"
i=0
while :; do
    martin sync >/dev/null 2>&1
    martin --json list professionals-received >out.txt 2>&1
    REPLY_ID=$(id_of "RE : Avis $TAG")
    [ -n "$REPLY_ID" ] && break
    i=$((i + 1))
    [ $i -lt 20 ] || fail "Dr Martin never received the reply"
    sleep 0.5
done
echo "ok: the reply arrived as $REPLY_ID"
step "Dr Martin reads the reply, subject prefixed once" 0 'Subject: RE : Avis '"$TAG" martin read "$REPLY_ID"
martin --json list professionals-sent >out.txt 2>&1
SENT_ID=$(id_of "Avis $TAG")
[ -n "$SENT_ID" ] || fail "no sent message «Avis $TAG»"
step "forward to the pharmacy, attachment included" 0 '"ok":true,"state":"sent".*"subject":"TR : Avis '"$TAG"'".*"accepted":true' \
    martin --json forward "$SENT_ID" --to "$MSS_SANDBOX_PHARMACIE_CENTRALE_ADDRESS" --body "Pour information."
martin --json list professionals-sent >out.txt 2>&1
FWD_ID=$(id_of "TR : Avis $TAG")
[ -n "$FWD_ID" ] || fail "the forward is not in professionals-sent"
step "the forward carries bilan.pdf" 0 '"attachments":\[\{"file_name":"bilan.pdf"' martin --json read "$FWD_ID"

echo "6. Documents of a patient's file"
printf '<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><code code="11490-0" codeSystem="2.16.840.1.113883.6.1"/><title>Lettre de sortie</title></ClinicalDocument>' >lettre.xml
step "send-documents with the default subject" 0 '"ok":true,"state":"sent".*"subject":"Lettre de sortie – DUPONT Marie 01/02/1950"' \
    martin --json send-documents --to "$MSS_SANDBOX_DR_BERNARD_ADDRESS" --document lettre.xml --category "Lettre de sortie" \
    --patient-family Dupont --patient-given Marie --patient-birth-date 1950-02-01 --patient-ins 279035121518989 --body "$TAG"

# wait_for FILE REGEX SECONDS: until a line of FILE matches.
wait_for() {
    n=0
    while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
        n=$((n + 1))
        [ $n -lt $(($3 * 10)) ] || return 1
        sleep 0.1
    done
}

echo "7. Dr Bernard watches her box while Dr Martin writes"
step "a watch with --for stops by itself" 0 'watching .*stopped \(time\) after 1 synchronisation' bernard sync --watch --for 2
step "--for needs --watch" 2 '--for goes with --watch' bernard sync --for 2
# Started directly (not through the shell function): $! is then the tool itself, which gets the signal.
env MSS_PASSWORD="$MSS_SANDBOX_DR_BERNARD_PASSWORD" "$MSS" --config bernard.config --json sync --watch --for 120 \
    >watch.txt 2>watch.err &
WATCH=$!
if ! wait_for watch.txt '"event":"watching"' 30; then
    kill "$WATCH" 2>/dev/null
    cat watch.txt watch.err >out.txt
    fail "the watch did not start"
fi
echo "ok: the watch caught up and idles"
step "Dr Martin writes while she watches" 0 '"ok":true,"state":"sent"' martin --json send --to "$MSS_SANDBOX_DR_BERNARD_ADDRESS" \
    --subject "Push $TAG" --body "Arrive-t-il tout de suite ?"
if ! wait_for watch.txt "\"event\":\"new\",\"id\":\"INBOX:[0-9]+:[0-9]+\".*\"subject\":\"Push $TAG\"" 15; then
    kill "$WATCH" 2>/dev/null
    cat watch.txt watch.err >out.txt
    fail "the new message was not reported by the watch within 15 s"
fi
echo "ok: the watch printed the new message"
kill -TERM "$WATCH"
wait "$WATCH"
got=$?
cat watch.txt watch.err >out.txt
[ "$got" = 0 ] || fail "the watch stopped by SIGTERM exited $got"
grep -q '"event":"stopped","reason":"SIGTERM"' watch.txt || fail "the watch did not say it stopped on SIGTERM"
echo "ok: SIGTERM stops the watch cleanly (exit 0)"
step "the pushed message is in the index" 0 "\"subject\":\"Push $TAG\"" bernard --json list professionals-received

echo "8. The cardiology department's ORG box and its delegates"
org_config() {  # org_config FILE PERSON
    config "$1" "$MSS_SANDBOX_CARDIOLOGIE_CHU_ADDRESS" "$2" "" "$WORK/chu.db"
    sed -i '/^rpps = $/d' "$1"
    printf 'mailbox_type = ORG\nstructure_id = s-chu-cardio\nmailbox_label = Cardiologie CHU\n' >>"$1"
}
org_config cadre.config p-cadre
org_config durand.config p-durand
cadre() { env MSS_PASSWORD="$MSS_SANDBOX_CARDIOLOGIE_CHU_PASSWORD" "$MSS" --config cadre.config "$@"; }
durand() { env -u MSS_PASSWORD "$MSS" --config durand.config "$@"; }
step "an ORG box is linked by an administrator only" 1 'neither owns the mailbox nor is a delegate.*hint: .*mss delegate' cadre link
step "no delegate before the structure has an administrator" 1 'has no administrator yet.*hint: name the first one' \
    cadre delegate add p-durand
step "the first administrator names herself" 0 'p-cadre is now an administrator of s-chu-cardio.*first administrator' \
    cadre delegate add p-cadre --role administrator
step "she links the ORG box with the code read from it" 0 '"state":"ready"' cadre --json link --from-mailbox --wait 30
step "the box is linked to the structure" 0 'ready' cadre link --status
step "Durand does not see the box yet" 1 'p-durand may not read.*hint: an administrator of s-chu-cardio' durand folders
step "Durand cannot make himself a delegate" 1 'p-durand may not manage the delegates' durand delegate add p-durand
step "the administrator makes Durand a delegate" 0 '"action":"granted","structure":"s-chu-cardio".*"person":"p-durand","role":"delegate"' \
    cadre --json delegate add p-durand
step "the delegates are listed" 0 '"person":"p-cadre","role":"administrator".*"person":"p-durand","role":"delegate"' \
    durand --json delegate list
step "Durand sees the ORG box's folders" 0 '"mailbox":"cardiologie.chu@regional.mssante.test".*"key":"all","name":"[^"]*","parent":null,"total":[1-9][0-9]*' \
    durand --json folders
step "a delegate cannot revoke" 1 'p-durand may not manage the delegates' durand delegate remove p-cadre
step "the administrator revokes Durand" 0 'p-durand is no longer a delegate' cadre delegate remove p-durand
step "revoked, Durand sees nothing at once" 1 'p-durand may not read.*revoked' durand folders
step "the revocation stays on record" 0 '"person":"p-durand","role":"delegate".*"active":false,"revoked_at"' \
    cadre --json delegate list --all
step "the administrator unlinks the ORG box" 0 'is unlinked' cadre unlink

echo "9. Unlink"
step "Dr Bernard unlinks" 0 'is unlinked' bernard unlink
step "her folders are gone" 1 'not linked.*hint: link it first' bernard folders
echo "every step of mss worked"
