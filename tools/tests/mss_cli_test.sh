#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Unit-level checks of the `mss` tool, no sandbox needed: usage errors, configuration parsing,
# the --json shape, credentials never shown, errors with hints.
#   mss_cli_test.sh MSS SOURCE_DIR TRUST_SPACE_DIR WORK_DIR CASE
set -u
MSS=$1 SRC=$2 TRUST=$3 WORK=$4 CASE=$5
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1
# Nothing from the caller's environment or home may leak into the checks.
unset MSS_CONFIG MSS_PASSWORD MSS_CODE_SENDER_PASSWORD MSS_DIRECTORY_API_KEY MSS_TRUST_SPACE MSS_TRUST_SPACE_CHECKSUM
export HOME="$WORK/home" XDG_CONFIG_HOME= XDG_DATA_HOME=

failures=0
# expect EXIT_CODE REGEX COMMAND...: runs COMMAND, checks its exit code and that stdout+stderr
# match the extended regular expression.
expect() {
    want=$1 pattern=$2
    shift 2
    "$@" >out.txt 2>&1
    got=$?
    # The pattern may match one line, or span lines (stderr's message and its hint).
    if [ "$got" != "$want" ] || ! { grep -Eq -- "$pattern" out.txt || tr '\n' ' ' <out.txt | grep -Eq -- "$pattern"; }; then
        echo "FAIL: $* -> exit $got (want $want), output:"
        sed 's/^/    /' out.txt
        echo "    (expected /$pattern/)"
        failures=$((failures + 1))
    else
        echo "ok: $*"
    fi
}
# refute REGEX: the last output does not match.
refute() {
    if grep -Eq -- "$1" out.txt; then
        echo "FAIL: output matches /$1/:"
        sed 's/^/    /' out.txt
        failures=$((failures + 1))
    fi
}

write_config() {
    cat >config <<CFG
# a comment
; another comment
mailbox = dr.martin@regional.mssante.test
person_id = p-martin
rpps = 10000000009
imap_host = 127.0.0.1
imap_port = 1
smtp_host = 127.0.0.1
smtp_port = 1
tls_name = "localhost"
trust_space = $TRUST/listeblanchemssante.xml
trust_space_checksum = $TRUST/checksum
extra_domain = regional.mssante.test
extra_domain = national.mssante.test
store = $WORK/store/mss.db
code_sender = liaison@regional.mssante.test
product_reference = MSS-CLI-TEST
directory = $SRC/examples/data/national_directory.txt
directory = $SRC/examples/data/regional_directory.txt
CFG
}

case $CASE in
usage)
    expect 2 'usage: mss .*COMMAND' "$MSS"
    expect 0 'commands:' "$MSS" --help
    expect 2 'mss frobnicate: unknown command' "$MSS" frobnicate
    expect 2 'unknown option --nope' "$MSS" folders --nope
    expect 2 'send needs at least one --to' "$MSS" send --subject x
    expect 2 '--subject is given twice' "$MSS" send --to a@b.fr --subject x --subject y
    expect 2 '--limit needs a value' "$MSS" list inbox --limit
    expect 2 'unknown folder nosuch; folders are: professionals' "$MSS" list nosuch
    expect 2 'is not a message id' "$MSS" read not-an-id --mailbox a@b.fr
    expect 2 'is not a message id' "$MSS" reply INBOX:0:3 --mailbox a@b.fr
    expect 2 'expected YYYY-MM-DD' "$MSS" send-documents --to a@b.fr --document x --category c \
        --patient-family F --patient-given G --patient-birth-date 1950-13-45
    expect 0 'usage: mss send --to' "$MSS" help send
    expect 0 'imap_host .*IMAP' "$MSS" help config
    ;;
config)
    write_config
    expect 0 '"imap_port":"1"' "$MSS" --config config config --json
    expect 0 '"extra_domain":\["regional.mssante.test","national.mssante.test"\]' "$MSS" --config config config --json
    expect 0 '"tls_name":"localhost"' "$MSS" --config config config --json
    # A flag overrides the file, wherever it is on the command line.
    expect 0 'imap_port += 2000 +# --imap-port' "$MSS" --config config config --imap-port 2000
    expect 0 '"imap_port":"2000"' "$MSS" --imap-port=2000 --config config --json config
    # MSS_CONFIG names the file too; the default store follows XDG_DATA_HOME.
    expect 0 '"mailbox":"dr.martin@regional.mssante.test"' env MSS_CONFIG=config "$MSS" config --json
    expect 0 '"store":"/data/mss/mss.db"' env XDG_DATA_HOME=/data "$MSS" config --json
    expect 0 "\"store\":\"$WORK/home/.local/share/mss/mss.db\"" "$MSS" config --json
    printf 'mailbox = a@b.fr\n\nimap_hots = x\n' >bad.config
    expect 2 'bad.config:3: unknown key `imap_hots`' "$MSS" --config bad.config config
    printf 'password = hunter2\n' >secret.config
    expect 2 'credentials are never read from the configuration file' "$MSS" --config secret.config config
    refute hunter2
    printf 'just words\n' >syntax.config
    expect 2 'syntax.config:1: expected `key = value`' "$MSS" --config syntax.config config
    expect 2 'cannot read the configuration file' "$MSS" --config missing.config config
    expect 2 '`imap_port` must be a port number' "$MSS" --config config sync --imap-port 70000
    expect 2 'unknown option --password' "$MSS" --config config sync --password x
    expect 2 '`mailbox` is not set: add `mailbox = ...`' "$MSS" folders
    ;;
json)
    write_config
    expect 0 '^\{"ok":true,"entries":\[\{"address":"dr.bernard@national.mssante.test","type":"PER","name":"DR Anne BERNARD",.*"rpps":"10000000108"\}\]\}$' \
        "$MSS" --config config --json search --family bernard --profession 10
    expect 0 '2 result\(s\)' "$MSS" --config config search bernard
    expect 0 'infirmier.durand@regional.mssante.test' "$MSS" --config config search durand
    expect 2 '^\{"ok":false,"error":"unknown folder nosuch[^"]*","hint":"[^"]*"\}$' "$MSS" --config config --json list nosuch
    expect 1 '\{"ok":false,"error":"dr.martin@regional.mssante.test is not linked to your account in [^"]*","hint":"link it first' \
        "$MSS" --config config --json folders
    expect 0 '"address":"279035121518989@patient.mssante.fr","kind":"patient"' \
        "$MSS" --config config --json classify 279035121518989@patient.mssante.fr
    ;;
secrets)
    write_config
    export MSS_PASSWORD=s3cr3t-pw-9f2 MSS_CODE_SENDER_PASSWORD=s3cr3t-code-7a1
    expect 0 'MSS_PASSWORD is set' "$MSS" --config config config
    refute 's3cr3t'
    expect 0 '"credentials":\{"MSS_PASSWORD":true,"MSS_CODE_SENDER_PASSWORD":true,"MSS_DIRECTORY_API_KEY":false\}' \
        "$MSS" --config config --json config
    refute 's3cr3t'
    expect 1 'cannot connect' "$MSS" --config config link
    refute 's3cr3t'
    unset MSS_CODE_SENDER_PASSWORD
    expect 1 'MSS_CODE_SENDER_PASSWORD is not set.*hint: export MSS_CODE_SENDER_PASSWORD' "$MSS" --config config link
    ;;
network)
    write_config
    export MSS_PASSWORD=x MSS_CODE_SENDER_PASSWORD=y
    # Nothing listens on port 1: the error says where, why, and what to check.
    expect 1 "mss link: cannot connect to 127.0.0.1:1: Connection refused hint: is the operator up\\? check smtp_host and smtp_port in config" \
        "$MSS" --config config link
    expect 1 'codes are requested too often.*hint: wait a minute' "$MSS" --config config link
    expect 1 'no one-time code is pending.*hint: ask for a code first' "$MSS" --config config link --code 12345678
    expect 1 'not linked to your account.*hint: link it first' "$MSS" --config config sync
    expect 1 'a recipient is outside the MSSante trust space|not linked' "$MSS" --config config send --to x@gmail.com --subject s --body b
    ;;
*)
    echo "unknown case $CASE"
    exit 2
    ;;
esac
[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
