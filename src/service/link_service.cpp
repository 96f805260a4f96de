// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/address_classification.hpp>
#include <mss/domain/errc.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/service/link_service.hpp>

#include "service/detail/message_date.hpp"

#include "net/detail/complete_later.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace mss::service {
namespace {

std::chrono::sys_seconds system_now()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

void openssl_random(std::span<std::uint8_t> out)
{
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
        throw std::runtime_error("the CSPRNG failed");
}

std::string hex(std::span<const std::uint8_t> bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes)
    {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

// The French message that carries the code. Plain UTF-8 text sent as 8bit.
std::string code_message(const link_service_config& config, const domain::email_address& to,
                         const std::string& message_id, std::chrono::sys_seconds now, const std::string& code)
{
    std::string subject;
    mime::encode_header_text("Code d'association de votre BAL MSSanté", 9, subject);
    std::string m;
    m += "From: " + config.code_sender.str() + "\r\n";
    m += "To: " + to.str() + "\r\n";
    m += "Subject: " + subject + "\r\n";
    m += "Date: " + detail::rfc5322_date(now) + "\r\n";
    m += "Message-ID: <" + message_id + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: 8bit\r\n";
    m += "Auto-Submitted: auto-generated\r\n\r\n";
    m += "Bonjour,\r\n\r\n";
    m += "Une demande d'association de cette boîte aux lettres MSSanté à un compte " + config.platform_name +
         " a été faite.\r\n\r\n";
    m += "Code à usage unique : " + code + "\r\n\r\n";
    m += "Ce code est valable une heure. Saisissez-le dans " + config.platform_name +
         " pour terminer l'association.\r\n";
    m += "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucune association ne sera "
         "faite sans ce code.\r\n";
    return m;
}

}  // namespace

link_service::link_service(boost::asio::any_io_executor executor, store::store& db, const domain::trust_space& space,
                           transport::mail_submission& sender, link_service_config config, clock now,
                           random_source random)
    : executor_(std::move(executor)),
      db_(db),
      space_(space),
      sender_(sender),
      config_(std::move(config)),
      now_(now ? std::move(now) : clock(&system_now)),
      random_(random ? std::move(random) : random_source(&openssl_random))
{
}

void link_service::emit(link_event::kind what, const domain::account_ref& account, std::string_view address)
{
    if (on_event_)
        on_event_(link_event{what, account, std::string(address)});
}

boost::system::error_code link_service::audit(std::string_view person_id, const domain::account_ref& account,
                                              std::string_view address, std::string_view action,
                                              std::string_view detail)
{
    return db_.append_audit({now_(), std::string(person_id), account, std::string(address), std::string(action),
                             std::string(detail)});
}

boost::system::error_code link_service::check_acting(std::string_view person_id, const domain::account_ref& account)
{
    // The rights on an account do not depend on the mailbox: check them on a stand-in link.
    const domain::mailbox_link stand_in{account, {config_.code_sender, domain::mailbox_type::per, {}, {}}, {}, {}};
    std::vector<domain::delegation> delegations;
    if (account.kind == domain::account_kind::structure)
    {
        auto found = db_.delegations_of_structure(account.id);
        if (!found)
            return found.error();
        delegations = std::move(*found);
    }
    return domain::check_access(person_id, stand_in, delegations, domain::mailbox_action::link_unlink);
}

boost::system::error_code link_service::check_request(const link_request& request, diagnostics& diag)
{
    auto refuse = [&](boost::system::error_code ec) {
        diag.set_client_message(ec.message());
        return ec;
    };
    if (auto ec = check_acting(request.person_id, request.account))
        return refuse(ec);
    const auto verdict = domain::classify_address(request.mailbox.address, space_);
    if (verdict.kind != domain::address_kind::professional)
        return refuse(domain::errc::address_outside_trust_space);
    if (auto ec = config_.policy.check(request.account.kind, request.mailbox.type))
        return refuse(ec);
    const std::string address = request.mailbox.address.str();
    auto holder = db_.link_of_mailbox(address);
    if (!holder)
        return holder.error();
    if (*holder && (*holder)->account != request.account)
        return refuse(domain::errc::mailbox_linked_elsewhere);
    auto mine = db_.links_of(request.account);
    if (!mine)
        return mine.error();
    if (*holder || mine->size() >= config_.policy.max_mailboxes_per_account)
        return refuse(domain::errc::account_already_linked);
    auto earlier = db_.code_requests(request.account, address, now_() - std::chrono::hours(1));
    if (!earlier)
        return earlier.error();
    if (auto ec = domain::check_code_request(*earlier, now_(), config_.codes))
        return refuse(ec);
    return {};
}

void link_service::request_code(const link_request& request, diagnostics& diag,
                                boost::asio::any_completion_handler<void(boost::system::error_code)> handler)
{
    diag.clear();
    const auto address = request.mailbox.address.str();
    if (auto ec = check_request(request, diag))
    {
        audit(request.person_id, request.account, address, "link_code_refused", ec.message());
        net::detail::complete_later(executor_, std::move(handler), ec);
        return;
    }

    // A fresh code and salt; only the hash is stored. Saving it voids any earlier code.
    std::array<std::uint8_t, 8> code_bytes{};
    std::array<std::uint8_t, 16> salt{};
    std::array<std::uint8_t, 16> id_bytes{};
    random_(code_bytes);
    random_(salt);
    random_(id_bytes);
    const std::string code = domain::make_link_code(code_bytes, config_.codes.digits);
    const auto now = now_();
    domain::pending_link_code pending{request.account, address, std::string(salt.begin(), salt.end()), {}, now, 0,
                                      false};
    pending.hash = domain::hash_link_code(code, pending.salt, config_.codes.hash_iterations);
    // The request counts for throttling even if sending fails: it resists a flood of requests.
    if (auto ec = db_.save_pending_code(pending); ec || (ec = db_.record_code_request(request.account, address, now)))
    {
        diag.set_client_message("the link state could not be stored");
        net::detail::complete_later(executor_, std::move(handler), ec);
        return;
    }

    const std::string message_id = hex(id_bytes) + "@" + std::string(config_.code_sender.domain());
    auto message = std::make_shared<transport::outgoing_message>(transport::outgoing_message{
        config_.code_sender, {{request.mailbox.address}}, message_id,
        code_message(config_, request.mailbox.address, message_id, now, code), true, false});
    sender_.async_submit(
        *message, diag,
        [this, message, request_copy = request, &diag, h = std::move(handler)](
            boost::system::error_code ec, transport::submission_result) mutable {
            const auto where = request_copy.mailbox.address.str();
            if (ec)
            {
                // The code never reached the mailbox: nobody may use it.
                db_.delete_pending_code(request_copy.account, where);
                if (diag.client_message().empty())
                    diag.set_client_message("the one-time code could not be sent");
                audit(request_copy.person_id, request_copy.account, where, "link_code_send_failed", ec.message());
            }
            else
            {
                audit(request_copy.person_id, request_copy.account, where, "link_code_sent");
                emit(link_event::kind::code_sent, request_copy.account, where);
            }
            std::move(h)(ec);
        });
}

boost::system::error_code link_service::confirm_code(const link_request& request, std::string_view code)
{
    const auto address = request.mailbox.address.str();
    if (auto ec = check_acting(request.person_id, request.account))
        return ec;
    auto pending = db_.pending_code(request.account, address);
    if (!pending)
        return pending.error();
    if (!*pending)
        return domain::errc::link_code_missing;
    const auto now = now_();
    const auto verdict = domain::verify_link_code(**pending, code, now, config_.codes);
    if (verdict)
    {
        // Attempts and voiding must be stored, or a guesser could retry forever.
        if (auto ec = db_.save_pending_code(**pending))
            return ec;
        audit(request.person_id, request.account, address, "link_code_refused", verdict.message());
        return verdict;
    }
    if (auto ec = db_.delete_pending_code(request.account, address))
        return ec;
    if (auto ec = db_.save_link({request.account, request.mailbox, domain::link_state::synchronising, now}))
        return ec;
    audit(request.person_id, request.account, address, "linked");
    emit(link_event::kind::linked, request.account, address);
    return {};
}

boost::system::error_code link_service::mark_ready(const domain::account_ref& account, std::string_view address)
{
    auto link = db_.link_of_mailbox(address);
    if (!link)
        return link.error();
    if (!*link || (*link)->account != account)
        return domain::errc::link_not_found;
    (*link)->state = domain::link_state::ready;
    if (auto ec = db_.save_link(**link))
        return ec;
    emit(link_event::kind::ready, account, address);
    return {};
}

boost::system::error_code link_service::unlink(std::string_view person_id, const domain::account_ref& account,
                                               std::string_view address)
{
    if (auto ec = check_acting(person_id, account))
        return ec;
    if (auto ec = db_.delete_link(account, address))
        return ec;
    audit(person_id, account, address, "unlinked");
    emit(link_event::kind::unlinked, account, address);
    return {};
}

boost::system::result<domain::link_state> link_service::state(const domain::account_ref& account,
                                                              std::string_view address)
{
    auto link = db_.link_of_mailbox(address);
    if (!link)
        return link.error();
    if (*link && (*link)->account == account)
        return (*link)->state;
    auto pending = db_.pending_code(account, address);
    if (!pending)
        return pending.error();
    if (*pending && !(*pending)->is_void && now_() < (*pending)->issued_at + config_.codes.validity)
        return domain::link_state::code_sent;
    return domain::link_state::not_linked;
}

boost::system::error_code link_service::grant_delegation(const domain::delegation& grant)
{
    domain::delegation d = grant;
    d.revoked_at.reset();
    if (auto ec = db_.save_delegation(d))
        return ec;
    return audit(grant.granted_by, {domain::account_kind::structure, grant.structure_id}, {}, "delegation_granted",
                 grant.person_id);
}

boost::system::error_code link_service::revoke_delegation(std::string_view structure_id, std::string_view person_id,
                                                          std::string_view revoked_by)
{
    domain::delegation d;
    d.structure_id = std::string(structure_id);
    d.person_id = std::string(person_id);
    d.revoked_at = now_();
    d.revoked_by = std::string(revoked_by);
    if (auto ec = db_.save_delegation(d))
        return ec;
    return audit(revoked_by, {domain::account_kind::structure, std::string(structure_id)}, {}, "delegation_revoked",
                 person_id);
}

boost::system::error_code link_service::check_access(std::string_view person_id, std::string_view address,
                                                     domain::mailbox_action action)
{
    auto link = db_.link_of_mailbox(address);
    if (!link)
        return link.error();
    if (!*link)
        return domain::errc::link_not_found;
    std::vector<domain::delegation> delegations;
    if ((*link)->account.kind == domain::account_kind::structure)
    {
        auto found = db_.delegations_of_structure((*link)->account.id);
        if (!found)
            return found.error();
        delegations = std::move(*found);
    }
    return domain::check_access(person_id, **link, delegations, action);
}

boost::system::result<std::vector<domain::mailbox_link>> link_service::mailboxes_of(std::string_view person_id)
{
    auto own = db_.links_of({domain::account_kind::person, std::string(person_id)});
    if (!own)
        return own.error();
    auto delegations = db_.delegations_of_person(person_id);
    if (!delegations)
        return delegations.error();
    std::vector<domain::mailbox_link> out = std::move(*own);
    for (const auto& d : *delegations)
    {
        if (!d.active())
            continue;
        auto links = db_.links_of({domain::account_kind::structure, d.structure_id});
        if (!links)
            return links.error();
        for (auto& l : *links)
        {
            const bool seen = std::any_of(out.begin(), out.end(), [&](const auto& o) { return o.box.address == l.box.address; });
            if (!seen)
                out.push_back(std::move(l));
        }
    }
    return out;
}

}  // namespace mss::service
