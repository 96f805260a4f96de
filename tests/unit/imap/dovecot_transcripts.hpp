// SPDX-License-Identifier: Apache-2.0
// Server sides of conversations with Dovecot 2.3 (as it answers; synthetic identities only).
#pragma once

#include "imap_test_support.hpp"

#include <string>

namespace imap_test::dovecot {

inline const std::string greeting = crlf(
    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED] "
    "Dovecot ready.\n");

inline const std::string capabilities_after_tls =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER";

inline const std::string capabilities_after_login =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS "
    "THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED "
    "I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE "
    "SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE";

inline const std::string list_special_use = crlf(
    "* LIST (\\HasNoChildren) \"/\" INBOX\n"
    "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\n"
    "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\n"
    "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\n"
    "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\n"
    "* LIST (\\HasChildren) \"/\" \"Entw&APw-rfe\"\n"
    "* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe/Patients &- suivis\"\n"
    "* LIST (\\Noselect \\HasChildren) \"/\" ~peter/mail/&U,BTFw-/&ZeVnLIqe-\n"
    "A3 OK List completed (0.001 + 0.000 secs).\n");

inline const std::string select_qresync = crlf(
    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] Flags permitted.\n"
    "* 12 EXISTS\n"
    "* 0 RECENT\n"
    "* OK [UNSEEN 3] First unseen.\n"
    "* OK [UIDVALIDITY 1700000000] UIDs valid\n"
    "* OK [UIDNEXT 13] Predicted next UID\n"
    "* OK [HIGHESTMODSEQ 42] Highest\n"
    "* VANISHED (EARLIER) 1:2,5\n"
    "* 3 FETCH (UID 7 FLAGS (\\Seen) MODSEQ (40))\n"
    "A4 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).\n");

// ENVELOPE with a literal subject, NIL fields, group syntax and an escaped quote.
inline const std::string subject = "=?UTF-8?Q?R=C3=A9sultats_biologiques?= \"urgent\"";
inline const std::string fetch_envelope =
    "* 1 FETCH (UID 101 RFC822.SIZE 2345 FLAGS (\\Seen $Forwarded) INTERNALDATE \" 7-Jan-2024 09:15:02 +0100\" "
    "MODSEQ (12) ENVELOPE (\"Sun, 07 Jan 2024 09:15:00 +0100\" " +
    lit(subject) +
    " ((\"Dr Jean Martin\" NIL \"jean.martin\" \"medecin.mssante.fr\")) "
    "((\"Dr Jean Martin\" NIL \"jean.martin\" \"medecin.mssante.fr\")) "
    "((\"Dr Jean Martin\" NIL \"jean.martin\" \"medecin.mssante.fr\")) "
    "((NIL NIL \"equipe\" NIL)(\"Secr\\\"etariat\" NIL \"secretariat\" \"hopital.mssante.fr\")(NIL NIL NIL NIL)) "
    "NIL NIL NIL \"<abc123@medecin.mssante.fr>\"))\r\n";

// multipart/mixed: text/plain, a PDF attachment, a message/rfc822 holding a multipart/alternative.
inline const std::string fetch_bodystructure = crlf(
    "* 2 FETCH (UID 102 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" "
    "120 5 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"resultats.pdf\") NIL NIL \"base64\" 54000 NIL "
    "(\"attachment\" (\"filename\" \"resultats.pdf\" \"size\" \"39420\")) NIL NIL)(\"message\" \"rfc822\" NIL NIL "
    "NIL \"7bit\" 800 (\"Mon, 1 Jan 2024 10:00:00 +0100\" \"Compte rendu\" ((\"Labo\" NIL \"labo\" "
    "\"labo.mssante.fr\")) ((\"Labo\" NIL \"labo\" \"labo.mssante.fr\")) ((\"Labo\" NIL \"labo\" "
    "\"labo.mssante.fr\")) ((NIL NIL \"jean.martin\" \"medecin.mssante.fr\")) NIL NIL NIL "
    "\"<cr1@labo.mssante.fr>\") ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 200 10 NIL NIL "
    "NIL NIL)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 300 12 NIL NIL NIL NIL) "
    "\"alternative\" (\"boundary\" \"inner\") NIL NIL NIL) 30 NIL NIL (\"fr\" \"en\") NIL) \"mixed\" "
    "(\"boundary\" \"outer\") NIL NIL NIL))\n");

inline const std::string fetch_changedsince = crlf(
    "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\n"
    "* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\n"
    "A5 OK Fetch completed (0.001 + 0.000 secs).\n");

inline const std::string idle_events = crlf(
    "+ idling\n"
    "* 13 EXISTS\n"
    "* 4 FETCH (UID 9 FLAGS (\\Seen \\Deleted) MODSEQ (45))\n"
    "* VANISHED 9\n");

}  // namespace imap_test::dovecot
