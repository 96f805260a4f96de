// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/base64.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/service/read_receipt.hpp>

#include <doctest/doctest.h>

using namespace mss;

namespace {

domain::email_address addr(std::string_view s) { return domain::email_address::parse(s).value(); }

const std::string asking =
    "Return-Path: <dr.martin@regional.mssante.test>\r\n"
    "From: Dr Martin <dr.martin@regional.mssante.test>\r\n"
    "To: dr.bernard@national.mssante.test\r\n"
    "Subject: =?UTF-8?Q?R=C3=A9sultats?=\r\n"
    "Message-ID: <orig-1@regional.mssante.test>\r\n"
    "Disposition-Notification-To: <dr.martin@regional.mssante.test>\r\n\r\nCorps\r\n";

std::string b64(std::string_view bytes)
{
    std::string out;
    mime::base64_encoder encoder;
    encoder.encode(bytes, out);
    encoder.finish(out);
    return out;
}

}  // namespace

TEST_SUITE("compose: read receipts")
{
    TEST_CASE("a request is seen; automatic sending only when the address is the Return-Path")
    {
        auto request = service::receipt_requested(asking);
        REQUIRE(request.has_value());
        CHECK(request->notify.str() == "dr.martin@regional.mssante.test");
        CHECK(request->original_message_id == "orig-1@regional.mssante.test");
        CHECK(request->original_subject == "Résultats");
        CHECK(request->may_send_automatically);

        std::string elsewhere = asking;
        elsewhere.replace(elsewhere.find("Disposition-Notification-To: <dr.martin"),
                          std::string("Disposition-Notification-To: <dr.martin").size(),
                          "Disposition-Notification-To: <spy");
        elsewhere.replace(elsewhere.find("<spy@regional"), 13, "<spy@evil.tes");
        auto other = service::receipt_requested(elsewhere);
        REQUIRE(other.has_value());
        CHECK_FALSE(other->may_send_automatically);

        CHECK_FALSE(service::receipt_requested("From: a@b.fr\r\n\r\nx").has_value());
    }

    TEST_CASE("a receipt made by the library is read back and points at the original")
    {
        const auto request = service::receipt_requested(asking).value();
        const domain::mailbox bernard{addr("dr.bernard@national.mssante.test"), domain::mailbox_type::per, "", ""};
        diagnostics diag;
        auto mdn = service::make_read_receipt(request, bernard, "NIL-1", "mdn-1@national.mssante.test",
                                              std::chrono::sys_seconds(std::chrono::seconds(1'790'000'000)), diag);
        REQUIRE(mdn.has_value());
        REQUIRE(mdn->recipients.size() == 1);
        CHECK(mdn->recipients[0].address.str() == "dr.martin@regional.mssante.test");
        CHECK(mdn->data.find("report-type=disposition-notification") != std::string::npos);
        CHECK(mdn->data.find("X-MSS-NIL: NIL-1") != std::string::npos);
        const auto receipt = service::parse_read_receipt(mdn->data);
        REQUIRE(receipt.has_value());
        CHECK(receipt->original_message_id == "orig-1@regional.mssante.test");
        CHECK(receipt->final_recipient == "dr.bernard@national.mssante.test");
        CHECK(receipt->disposition == "displayed");
        CHECK(service::make_read_receipt(request, bernard, "", "x@y", {}, diag).error() == mss::errc::configuration_error);
    }

    TEST_CASE("the header alone tells a receipt from other mail, whatever the case of the type")
    {
        CHECK(service::is_read_receipt_header(
            "From: a@b.test\r\nContent-Type: multipart/report; report-type=disposition-notification;\r\n"
            " boundary=\"b\"\r\n\r\n"));
        CHECK(service::is_read_receipt_header(
            "Content-Type: Multipart/Report; boundary=x; Report-Type=\"Disposition-Notification\"\r\n\r\n"));
        CHECK(service::is_read_receipt_header(
            "Content-Type: multipart/report; report-type=global-disposition-notification; boundary=x\r\n\r\n"));
        // A delivery status notification (RFC 3464) is a report too, but not a read receipt.
        CHECK_FALSE(service::is_read_receipt_header(
            "Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n"));
        CHECK_FALSE(service::is_read_receipt_header("Content-Type: multipart/mixed; boundary=x\r\n\r\n"));
        CHECK_FALSE(service::is_read_receipt_header(asking));
        CHECK_FALSE(service::is_read_receipt_header(""));
    }

    TEST_CASE("a receipt from another user agent: encoded part, modifiers, no Original-Message-ID")
    {
        // The machine-readable part in base64, the human part quoting the content type as a decoy,
        // a disposition with a modifier, Final-Recipient in angle brackets; Original-Message-ID
        // missing: In-Reply-To names the original instead.
        const std::string fields =
            "Reporting-UA: other-mua.example; Other MUA 3.1\r\n"
            "Final-Recipient: RFC822; <Dr.Bernard@national.mssante.test>\r\n"
            "Disposition: automatic-action/MDN-sent-automatically; Displayed/error\r\n";
        const std::string mdn =
            "From: Dr Bernard <dr.bernard@national.mssante.test>\r\n"
            "To: dr.martin@regional.mssante.test\r\n"
            "Subject: Read: Resultats\r\n"
            "Date: Thu, 26 Nov 2026 10:15:00 +0100\r\n"
            "In-Reply-To: <orig-7@regional.mssante.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"rb\"\r\n\r\n"
            "--rb\r\nContent-Type: text/plain\r\n\r\n"
            "See the message/disposition-notification part.\r\n\r\nOriginal-Message-ID: <decoy@x>\r\n"
            "--rb\r\nContent-Type: message/disposition-notification\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            b64(fields) +
            "\r\n--rb--\r\n";
        const auto receipt = service::parse_read_receipt(mdn);
        REQUIRE(receipt.has_value());
        CHECK(receipt->original_message_id == "orig-7@regional.mssante.test");
        CHECK(receipt->final_recipient == "dr.bernard@national.mssante.test");
        CHECK(receipt->disposition == "displayed");
        REQUIRE(receipt->date.has_value());
        CHECK(*receipt->date == std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + std::chrono::hours(9) +
                                    std::chrono::minutes(15));

        // Without Final-Recipient, the reader is the receipt's sender.
        std::string no_recipient = mdn;
        const std::string encoded = b64(fields);
        no_recipient.replace(no_recipient.find(encoded), encoded.size(),
                             b64("Disposition: manual-action/MDN-sent-manually; deleted\r\n"));
        const auto deleted = service::parse_read_receipt(no_recipient);
        REQUIRE(deleted.has_value());
        CHECK(deleted->final_recipient == "dr.bernard@national.mssante.test");
        CHECK(deleted->disposition == "deleted");
    }

    TEST_CASE("a report that cannot be linked or has no disposition is not a usable receipt")
    {
        const auto report = [](std::string_view outer, std::string_view fields) {
            return std::string(outer) +
                   "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\r\n\r\n"
                   "--b\r\nContent-Type: text/plain\r\n\r\nLu.\r\n"
                   "--b\r\nContent-Type: message/disposition-notification\r\n\r\n" +
                   std::string(fields) + "\r\n--b--\r\n";
        };
        const std::string good_fields =
            "Final-Recipient: rfc822;dr.bernard@national.mssante.test\r\n"
            "Original-Message-ID: <orig-1@regional.mssante.test>\r\n"
            "Disposition: manual-action/MDN-sent-manually; displayed\r\n";
        REQUIRE(service::parse_read_receipt(report("From: b@x.test\r\n", good_fields)).has_value());
        // No original named anywhere.
        CHECK_FALSE(service::parse_read_receipt(
                        report("From: b@x.test\r\n",
                               "Final-Recipient: rfc822;b@x.test\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n"))
                        .has_value());
        // No disposition.
        CHECK_FALSE(service::parse_read_receipt(
                        report("From: b@x.test\r\n",
                               "Final-Recipient: rfc822;b@x.test\r\nOriginal-Message-ID: <orig-1@regional.mssante.test>\r\n"))
                        .has_value());
        // The report without its machine-readable part.
        CHECK_FALSE(service::parse_read_receipt(
                        "Content-Type: multipart/report; report-type=disposition-notification; boundary=b\r\n\r\n"
                        "--b\r\nContent-Type: text/plain\r\n\r\nmessage/disposition-notification\r\n\r\n"
                        "Original-Message-ID: <x@y>\r\nDisposition: a/b; displayed\r\n--b--\r\n")
                        .has_value());
        // Truncated or garbage input never crashes.
        const std::string whole = report("From: b@x.test\r\n", good_fields);
        for (std::size_t n = 0; n < whole.size(); n += 7)
            (void)service::parse_read_receipt(std::string_view(whole).substr(0, n));
    }

    TEST_CASE("an ordinary message is not a receipt")
    {
        CHECK_FALSE(service::parse_read_receipt(asking).has_value());
        CHECK_FALSE(service::parse_read_receipt("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b--\r\n")
                        .has_value());
    }
}
