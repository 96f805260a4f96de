// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::draft`: a message being written — new, reply, reply all, forward, or
 *         documents of a coordination file — and the functions that create each kind.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/attachment.hpp>
#include <mss/domain/mailbox.hpp>
#include <mss/domain/named_address.hpp>
#include <mss/domain/original_message.hpp>
#include <mss/domain/patient_info.hpp>
#include <mss/domain/send_policy.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mss::domain {

/** @brief Which field a recipient is in. */
enum class recipient_field
{
    /** @brief To. */
    to,
    /** @brief Cc. */
    cc,
    /** @brief Bcc (never written into the message; envelope only). */
    bcc,
};

/** @brief A message being written. Every field can be edited after creation (body, attachments,
 *         recipients, subject), as the seed requires for replies and forwards. */
struct draft
{
    /** @brief How it was created; decides the send policy's rules. */
    draft_kind kind = draft_kind::new_message;
    /** @brief The mailbox it is sent from. */
    mailbox from;
    /** @brief The person acting (on a structure's mailbox, the delegate): recorded in the audit. */
    std::string acting_person_id{};
    /** @brief To. */
    std::vector<named_address> to{};
    /** @brief Cc. */
    std::vector<named_address> cc{};
    /** @brief Bcc. */
    std::vector<named_address> bcc{};
    /** @brief Subject (UTF-8). */
    std::string subject{};
    /** @brief HTML body (formatted). */
    std::string html_body{};
    /** @brief Plain-text body; generated from the HTML when empty. */
    std::string text_body{};
    /** @brief Attachments. */
    std::vector<attachment> attachments{};
    /** @brief A forwarded original attached whole (message/rfc822), when chosen. */
    std::optional<std::string> attached_message{};
    /** @brief Ask for a read receipt (`Disposition-Notification-To`). */
    bool read_receipt = false;
    /** @brief Ask for delivery status notifications (SMTP DSN) on success and failure. */
    bool delivery_notification = false;
    /** @brief `In-Reply-To` (replies). */
    std::string in_reply_to{};
    /** @brief `References` (replies), oldest first. */
    std::vector<std::string> references{};
    /** @brief For replies to a patient: who wrote the original and from which folder. */
    send_context context{};
    /** @brief The patient the documents concern (documents drafts). */
    std::optional<patient_info> patient{};
    /** @brief Close a conversation with a patient (`X-MSS-MES: FIN`; ANS baseline profile). */
    bool close_patient_conversation = false;

    /** @brief Adds a recipient (ignored when already in that field). */
    void add_recipient(recipient_field field, named_address address);
    /** @brief Removes a recipient from every field.
     *  @return `errc::draft_item_not_found` when it is in none. */
    boost::system::error_code remove_recipient(const email_address& address);
    /** @brief Adds an attachment. */
    void add_attachment(attachment a) { attachments.push_back(std::move(a)); }
    /** @brief Removes the attachment named `file_name`.
     *  @return `errc::draft_item_not_found` when there is none. */
    boost::system::error_code remove_attachment(std::string_view file_name);
    /** @brief Every envelope recipient: To, Cc and Bcc, without duplicates. */
    [[nodiscard]] std::vector<email_address> all_recipients() const;
};

/** @brief A new message from `from`, acted by `person_id`. */
MSS_API draft make_new_message(const mailbox& from, std::string person_id, bool sender_is_rpps);

/** @brief A reply (or reply all) to `original`, sent from `from`.
 *
 *  Reply: to `Reply-To`, else `From`. Reply all: also every To and Cc, minus `own_addresses`
 *  (the person's addresses and the shared mailbox they act through) and duplicates. The subject
 *  gets one `RE : ` prefix; the original is quoted below the (empty) new text; `In-Reply-To` and
 *  `References` thread the reply.
 */
MSS_API draft make_reply(const original_message& original, const mailbox& from, std::string person_id,
                         bool sender_is_rpps, bool reply_all, std::span<const email_address> own_addresses);

/** @brief How a forward carries the original. */
enum class forward_mode
{
    /** @brief The original's attachments are carried over; its text is quoted. */
    inline_with_attachments,
    /** @brief The original is attached whole as message/rfc822. */
    as_attachment,
};

/** @brief A forward of `original` (no recipients yet: they are chosen again). Subject `TR : `. */
MSS_API draft make_forward(const original_message& original, const mailbox& from, std::string person_id,
                           bool sender_is_rpps, forward_mode mode);

/** @brief A message carrying documents of one patient's coordination file, with the default subject
 *         `<category> – <FAMILY NAME> <Given name> <dd/mm/yyyy>` (editable afterwards), the
 *         category being the first document's.
 *  @par Errors
 *  `errc::draft_item_not_found` when there is no document.
 */
MSS_API boost::system::result<draft> make_documents_message(const mailbox& from, std::string person_id,
                                                            bool sender_is_rpps, const patient_info& patient,
                                                            std::vector<attachment> documents);

/** @brief Like `make_documents_message`, but each document names its own patient: documents of
 *         two different patients are refused (`errc::documents_of_several_patients`). */
MSS_API boost::system::result<draft> make_documents_message(
    const mailbox& from, std::string person_id, bool sender_is_rpps,
    std::span<const std::pair<patient_info, attachment>> documents);

}  // namespace mss::domain
