#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `mss` end to end against the sandbox operator (scripts/sandbox): Dr Martin links his box (the
# one-time code mailed by LIAISON, read from the box), syncs, lists his folders, writes to
# Dr Bernard with an attachment; Dr Bernard links hers and replies; Dr Martin forwards; documents
# of a patient's file; a new message to a patient is refused.
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

echo "7. Unlink"
step "Dr Bernard unlinks" 0 'is unlinked' bernard unlink
step "her folders are gone" 1 'not linked.*hint: link it first' bernard folders
echo "every step of mss worked"
