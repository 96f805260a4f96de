// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
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

    TEST_CASE("an ordinary message is not a receipt")
    {
        CHECK_FALSE(service::parse_read_receipt(asking).has_value());
        CHECK_FALSE(service::parse_read_receipt("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b--\r\n")
                        .has_value());
    }
}
