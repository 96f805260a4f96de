#!/usr/bin/env bash
# Checks the loopback MSSanté-like operator of scripts/sandbox for real: TLS (verified against the
# sandbox CA), authenticated submission, delivery into IMAP mailboxes, refusals at RCPT, sender
# ownership, no credentials before TLS, implicit TLS, TLS >= 1.2, special-use folders, IMAP
# extensions. Assumes the sandbox is up (`scripts/sandbox up`); reads `scripts/sandbox env`
# (MSS_SANDBOX_DIR selects the state directory as for the script). Exit 0 when every check passes,
# 1 otherwise; the last line reads "N passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if ! "$root/scripts/sandbox" status >/dev/null; then
  echo "sandbox_test: the sandbox is not up (run scripts/sandbox up first)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
eval "$("$root/scripts/sandbox" env)"

exec python3 - <<'PYEOF'
import email.utils, imaplib, os, re, smtplib, socket, ssl, sys, time, uuid, warnings

warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 are named on purpose below

E = os.environ
HOST = E["MSS_SANDBOX_HOST"]
CA = E["MSS_SANDBOX_CA"]
SMTP, SMTPS = int(E["MSS_SANDBOX_SMTP_PORT"]), int(E["MSS_SANDBOX_SMTPS_PORT"])
IMAP, IMAPS = int(E["MSS_SANDBOX_IMAP_PORT"]), int(E["MSS_SANDBOX_IMAPS_PORT"])
user = {k: (E[f"MSS_SANDBOX_{k}_ADDRESS"], E[f"MSS_SANDBOX_{k}_PASSWORD"])
        for k in E["MSS_SANDBOX_USERS"].split()}
TIMEOUT = 15
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail) if detail else ''}")


def ctx():
    c = ssl.create_default_context(cafile=CA)  # verification + hostname check on
    c.minimum_version = ssl.TLSVersion.TLSv1_2
    return c


def message(sender, rcpts, token):
    return (f"From: {sender}\r\nTo: {', '.join(rcpts)}\r\nSubject: sandbox test {token}\r\n"
            f"Date: {email.utils.formatdate()}\r\nMessage-ID: <{token}@sandbox.test>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\nBonjour, ceci est un test: é à ç.\r\n").encode()


def rcpt_code(s, addr):
    return s.rcpt(addr)[0]


def imap_find(mbox_user, token, port=IMAPS, implicit=True):
    """Seconds-bounded poll for the token's message in the user's INBOX; returns its body or None."""
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        if implicit:
            m = imaplib.IMAP4_SSL(HOST, port, ssl_context=ctx(), timeout=TIMEOUT)
        else:
            m = imaplib.IMAP4(HOST, port, timeout=TIMEOUT)
            m.starttls(ctx())
        try:
            m.login(*user[mbox_user])
            m.select("INBOX", readonly=True)
            typ, data = m.uid("SEARCH", None, "HEADER", "Message-ID", f"<{token}@sandbox.test>")
            uids = data[0].split()
            if uids:
                typ, msg = m.uid("FETCH", uids[-1], "(BODY.PEEK[])")
                return msg[0][1]
        finally:
            try:
                m.logout()
            except Exception:
                pass
        time.sleep(0.2)
    return None


def expect_error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any refusal counts, reported in the detail
        return e
    return None


martin, martin_pw = user["DR_MARTIN"]
bernard, bernard_pw = user["DR_BERNARD"]
patient1 = user["PATIENT_1"][0]
token1 = uuid.uuid4().hex
token2 = uuid.uuid4().hex

# --- SMTP submission with STARTTLS -------------------------------------------------------------
s = smtplib.SMTP(HOST, SMTP, timeout=TIMEOUT)
s.ehlo("client.test")
check("smtp: STARTTLS offered", s.has_extn("starttls"))
check("smtp: no AUTH before STARTTLS", not s.has_extn("auth"), s.esmtp_features.get("auth"))
code, text = s.mail(martin)
check("smtp: MAIL refused before STARTTLS", code == 530, (code, text))
s.rset()
s.starttls(context=ctx())
s.ehlo("client.test")
check("smtp: AUTH PLAIN offered after STARTTLS", "PLAIN" in s.esmtp_features.get("auth", "").upper().split())
for ext in ("pipelining", "8bitmime", "smtputf8", "dsn", "enhancedstatuscodes"):
    check(f"smtp: {ext.upper()} offered", s.has_extn(ext))
check("smtp: SIZE is 50 MB", s.esmtp_features.get("size") == "52428800", s.esmtp_features.get("size"))
tls = s.sock.version()
check("smtp: TLS >= 1.2 negotiated", tls in ("TLSv1.2", "TLSv1.3"), tls)
# Without AUTH, nothing is accepted.
code, _ = s.mail(martin)
check("smtp: unauthenticated RCPT refused", code == 250 and rcpt_code(s, bernard) >= 500)
s.rset()
e = expect_error(lambda: s.login(martin, "wrong-" + martin_pw))
check("smtp: wrong password refused (535)", isinstance(e, smtplib.SMTPAuthenticationError) and e.smtp_code == 535, e)
s.quit()

s = smtplib.SMTP(HOST, SMTP, timeout=TIMEOUT)
s.starttls(context=ctx())
s.ehlo("client.test")
s.user, s.password = martin, martin_pw
code, text = s.auth("PLAIN", s.auth_plain)
check("smtp: AUTH PLAIN as dr.martin", code == 235, (code, text))
code, _ = s.mail(martin)
check("smtp: MAIL FROM own address accepted", code == 250)
check("smtp: unknown recipient refused with 550 at RCPT",
      rcpt_code(s, "nobody@regional.mssante.test") == 550)
check("smtp: unknown patient refused with 550 at RCPT",
      rcpt_code(s, "100000000000000@patient.mssante.fr") == 550)
check("smtp: domain outside the sandbox refused at RCPT", rcpt_code(s, "someone@example.com") >= 500)
s.rset()
r1 = s.sendmail(martin, [bernard, patient1], message(martin, [bernard, patient1], token1))
check("smtp: message to dr.bernard and patient accepted", r1 == {}, r1)
# Sending as another user: refused (at RCPT, smtpd_delay_reject).
code, _ = s.mail(bernard)
refused = code >= 500 or rcpt_code(s, patient1) >= 500
check("smtp: sending as another user refused", refused)
s.rset()
code, _ = s.mail("someone@example.com")
refused = code >= 500 or rcpt_code(s, bernard) >= 500
check("smtp: sending as a foreign address refused", refused)
s.quit()

# --- SMTP submission over implicit TLS ---------------------------------------------------------
s = smtplib.SMTP_SSL(HOST, SMTPS, context=ctx(), timeout=TIMEOUT)
s.ehlo("client.test")
check("smtps: implicit TLS, AUTH offered", s.has_extn("auth"))
s.login(bernard, bernard_pw)
r2 = s.sendmail(bernard, [martin], message(bernard, [martin], token2))
check("smtps: message dr.bernard -> dr.martin accepted", r2 == {}, r2)
s.quit()

# --- IMAP ---------------------------------------------------------------------------------------
m = imaplib.IMAP4(HOST, IMAP, timeout=TIMEOUT)
caps = m.capabilities
check("imap: STARTTLS offered", "STARTTLS" in caps, caps)
e = expect_error(lambda: m.login(martin, martin_pw))
check("imap: right credentials in clear refused", isinstance(e, imaplib.IMAP4.error), e)
m.logout()

m = imaplib.IMAP4(HOST, IMAP, timeout=TIMEOUT)
m.starttls(ctx())
typ, _ = m.login(martin, martin_pw)
check("imap: LOGIN after STARTTLS", typ == "OK")
caps = set(m.capabilities)
typ, data = m.capability()
caps |= set(data[0].decode().upper().split())
for cap in ("IDLE", "CONDSTORE", "QRESYNC", "UIDPLUS", "MOVE", "LITERAL+", "SPECIAL-USE", "ENABLE",
            "COMPRESS=DEFLATE"):
    check(f"imap: {cap} capability", cap in caps)
typ, data = m.list()
listing = b"\n".join(d for d in data if d).decode()
for name, flag in (("Sent", r"\Sent"), ("Drafts", r"\Drafts"), ("Trash", r"\Trash"), ("Junk", r"\Junk")):
    check(f"imap: {name} mailbox with {flag}", re.search(re.escape(flag) + r"\b.*\b" + name, listing) is not None,
          listing)
typ, data = m.lsub()
check("imap: special-use mailboxes subscribed", all(n.encode() in b"".join(d for d in data if d)
                                                    for n in ("Sent", "Drafts", "Trash", "Junk")))
m.logout()
e = expect_error(lambda: imaplib.IMAP4_SSL(HOST, IMAPS, ssl_context=ctx(), timeout=TIMEOUT).login(martin, "x"))
check("imaps: wrong password refused", isinstance(e, imaplib.IMAP4.error), e)

body = imap_find("DR_BERNARD", token1, IMAP, implicit=False)
check("delivery: dr.bernard got dr.martin's message (IMAP STARTTLS)", body is not None)
body = imap_find("PATIENT_1", token1)
check("delivery: patient got dr.martin's message (IMAPS)", body is not None)
if body is not None:
    check("delivery: 8-bit body intact", "é à ç".encode() in body)
body = imap_find("DR_MARTIN", token2)
check("delivery: dr.martin got dr.bernard's message (IMAPS)", body is not None)

# --- TLS below 1.2 refused by both servers ------------------------------------------------------
def old_tls_ctx():
    c = ssl.create_default_context(cafile=CA)
    c.set_ciphers("DEFAULT:@SECLEVEL=0")
    c.minimum_version = ssl.TLSVersion.TLSv1
    c.maximum_version = ssl.TLSVersion.TLSv1_1
    return c


for label, fn in (("smtps", lambda: smtplib.SMTP_SSL(HOST, SMTPS, context=old_tls_ctx(), timeout=TIMEOUT)),
                  ("imaps", lambda: imaplib.IMAP4_SSL(HOST, IMAPS, ssl_context=old_tls_ctx(), timeout=TIMEOUT))):
    e = expect_error(fn)
    if e is not None and "NO_PROTOCOLS_AVAILABLE" in str(e).upper().replace(" ", "_"):
        print(f"skip {label}: TLS 1.1 refused (this client cannot even offer TLS 1.1)")
    else:
        check(f"{label}: TLS 1.1 refused", isinstance(e, (ssl.SSLError, ConnectionError)), e)

# --- The certificate is the sandbox CA's, for localhost and 127.0.0.1 ----------------------------
with socket.create_connection((HOST, IMAPS), timeout=TIMEOUT) as raw:
    with ctx().wrap_socket(raw, server_hostname="localhost") as t:
        check("tls: certificate valid for localhost", t.version() is not None)
e = expect_error(lambda: ssl.create_default_context().wrap_socket(
    socket.create_connection((HOST, IMAPS), timeout=TIMEOUT), server_hostname="localhost"))
check("tls: certificate not trusted without the sandbox CA", isinstance(e, ssl.SSLCertVerificationError), e)

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
PYEOF
