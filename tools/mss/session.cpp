// SPDX-License-Identifier: Apache-2.0
#include "session.hpp"

#include <mss/domain/errc.hpp>
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/smtp/errc.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include <fmt/core.h>

#include <filesystem>

namespace mss_cli {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

mss::domain::email_address parse_address(const config& cfg, std::string_view key)
{
    const std::string text = cfg.require(key);
    mss::diagnostics diag;
    auto address = mss::domain::email_address::parse(text, diag);
    if (!address)
        throw usage_error(fmt::format("`{}` ({}) is not a valid address: {}", key, cfg.origin(key), diag.client_message()));
    return *address;
}

bool implicit_tls(const config& cfg, std::string_view key)
{
    const std::string mode = cfg.get_or(key, "starttls");
    if (mode != "starttls" && mode != "implicit")
        throw usage_error(fmt::format("`{}` must be starttls or implicit, not {}", key, printable(mode)));
    return mode == "implicit";
}

mss::net::tls_options tls_of(const config& cfg)
{
    mss::net::tls_options tls;
    if (auto ca = cfg.get("ca_file"))
        tls.ca_file = *ca;
    else
        tls.use_system_trust_store = true;
    return tls;
}

}  // namespace

session::session(const config& cfg, const output& out, std::string command)
    : cfg_(cfg), out_(out), command_(std::move(command))
{
}

// The services hold references to the store and transports: destroy them first.
session::~session()
{
    sender_.reset();
    folders_.reset();
    sync_.reset();
    links_.reset();
}

const mss::domain::trust_space& session::trust()
{
    if (trust_)
        return *trust_;
    const std::string file = cfg_.require("trust_space");
    const auto checksum = cfg_.get("trust_space_checksum");
    mss::diagnostics diag;
    auto space = mss::domain::trust_space::load_file(file, diag, checksum);
    if (!space)
    {
        std::string hint = fmt::format("check trust_space in {} (or $MSS_TRUST_SPACE)", cfg_.file());
        if (space.error() == mss::domain::errc::trust_space_checksum_mismatch)
            hint = "download the whitelist and its checksum again; they must be from the same day";
        throw failure(fmt::format("cannot load the trust space: {} ({})", diag.client_message(), space.error().message()),
                      hint);
    }
    for (const auto& domain : cfg_.list("extra_domain"))
    {
        mss::domain::trust_space_entry entry;
        entry.domain = domain;
        entry.description = "added by the mss configuration";
        if (!space->add(std::move(entry)))
            throw usage_error(fmt::format("extra_domain {} ({}): not a valid domain name", printable(domain),
                                          cfg_.origin("extra_domain")));
    }
    trust_.emplace(std::move(*space));
    return *trust_;
}

mss::store::store& session::db()
{
    if (db_)
        return *db_;
    const std::filesystem::path path = cfg_.store_path();
    std::error_code fs_ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), fs_ec);
    mss::diagnostics diag;
    auto opened = mss::store::sqlite_store::open(path.string(), diag);
    if (!opened)
        throw failure(fmt::format("cannot open the store {}: {}", path.string(),
                                  diag.client_message().empty() ? opened.error().message() : diag.client_message()),
                      fmt::format("check `store` in {} and that its directory is writable", cfg_.file()));
    db_ = std::move(*opened);
    return *db_;
}

const mss::domain::person& session::person()
{
    if (person_)
        return *person_;
    mss::domain::person p;
    const std::string address = mailbox().address.str();
    p.id = cfg_.get_or("person_id", address);
    p.display_name = cfg_.get_or("person_name", address);
    if (auto text = cfg_.get("rpps"))
    {
        mss::diagnostics diag;
        auto number = mss::domain::rpps::parse(*text, diag);
        if (!number)
            throw usage_error(fmt::format("`rpps` ({}) is not a valid RPPS number: {}", cfg_.origin("rpps"),
                                          diag.client_message()));
        p.rpps_number = *number;
    }
    if (auto text = cfg_.get("adeli"))
    {
        mss::diagnostics diag;
        auto number = mss::domain::adeli::parse(*text, diag);
        if (!number)
            throw usage_error(fmt::format("`adeli` ({}) is not a valid ADELI number: {}", cfg_.origin("adeli"),
                                          diag.client_message()));
        p.adeli_number = *number;
    }
    person_ = std::move(p);
    return *person_;
}

const mss::domain::mailbox& session::mailbox()
{
    if (mailbox_)
        return *mailbox_;
    mss::domain::mailbox box{parse_address(cfg_, "mailbox"), mss::domain::mailbox_type::per, {}, {}};
    if (auto type = cfg_.get("mailbox_type"))
    {
        auto parsed = mss::domain::parse_mailbox_type(*type);
        if (!parsed)
            throw usage_error(fmt::format("`mailbox_type` must be PER, ORG, APP or CAB, not {}", printable(*type)));
        box.type = *parsed;
    }
    box.operator_name = cfg_.get_or("operator_name", cfg_.get_or("imap_host", "operator"));
    box.display_label = cfg_.get_or("mailbox_label", "");
    mailbox_ = std::move(box);
    return *mailbox_;
}

mss::transport::mailbox_access& session::imap()
{
    if (imap_)
        return *imap_;
    mss::net::imap_client_config c;
    c.host = cfg_.require("imap_host");
    const bool implicit = implicit_tls(cfg_, "imap_tls");
    c.tls = implicit ? mss::imap::tls_mode::implicit : mss::imap::tls_mode::starttls;
    c.port = cfg_.port("imap_port", implicit ? 993 : 143);
    c.tls_server_name = cfg_.get_or("tls_name", c.host);
    c.tls_options = tls_of(cfg_);
    c.credentials = {mailbox().address.str(), credential("MSS_PASSWORD", "the mailbox's password"), {}};
    auto client = std::make_unique<mss::net::imap_client>(io_.get_executor(), std::move(c));
    imap_client_ = client.get();
    imap_ = std::move(client);
    return *imap_;
}

void session::close_imap()
{
    if (imap_client_)
        imap_client_->close();
}

std::unique_ptr<mss::transport::mail_submission> session::make_smtp(const std::string& user, const std::string& secret)
{
    mss::net::smtp_client_config c;
    c.host = cfg_.require("smtp_host");
    const bool implicit = implicit_tls(cfg_, "smtp_tls");
    c.tls = implicit ? mss::smtp::tls_mode::implicit : mss::smtp::tls_mode::starttls;
    c.port = cfg_.port("smtp_port", implicit ? 465 : 587);
    c.tls_server_name = cfg_.get_or("tls_name", c.host);
    c.tls_options = tls_of(cfg_);
    c.ehlo_domain = "mss-cli.invalid";
    c.credentials = {mss::smtp::auth_mechanism::automatic, user, secret, mss::smtp::secret_kind::password};
    return std::make_unique<mss::net::smtp_client>(io_.get_executor(), std::move(c));
}

mss::transport::mail_submission& session::smtp()
{
    if (!smtp_)
        smtp_ = make_smtp(mailbox().address.str(), credential("MSS_PASSWORD", "the mailbox's password"));
    return *smtp_;
}

mss::service::link_service& session::links()
{
    if (links_)
        return *links_;
    // Only `mss link` sends codes; other commands need the service for who-sees-what and never
    // use the sender, so its password is only required when a code is asked for.
    const auto sender_text = cfg_.get("code_sender");
    const mss::domain::email_address sender = sender_text ? parse_address(cfg_, "code_sender") : mailbox().address;
    const char* secret = std::getenv("MSS_CODE_SENDER_PASSWORD");
    code_sender_ = make_smtp(sender.str(), secret ? secret : "");
    links_ = std::make_unique<mss::service::link_service>(
        io_.get_executor(), db(), trust(), *code_sender_,
        mss::service::link_service_config{sender, cfg_.get_or("platform_name", "mss"), {}, {}});
    return *links_;
}

mss::service::sync_service& session::syncer()
{
    if (!sync_)
        sync_ = std::make_unique<mss::service::sync_service>(io_.get_executor(), db());
    return *sync_;
}

mss::service::folder_service& session::folders()
{
    if (!folders_)
        folders_ = std::make_unique<mss::service::folder_service>(io_.get_executor(), db(), links());
    return *folders_;
}

mss::service::send_service& session::sender()
{
    if (sender_)
        return *sender_;
    const std::string reference = cfg_.require("product_reference");
    sender_ = std::make_unique<mss::service::send_service>(
        io_.get_executor(), db(), trust(), links(),
        mss::service::send_config{reference, {}, {}, cfg_.get_or("sent_folder", "Sent")});
    return *sender_;
}

bool session::structure_mailbox()
{
    const auto type = mailbox().type;
    return type == mss::domain::mailbox_type::org || type == mss::domain::mailbox_type::app;
}

mss::domain::account_ref session::account()
{
    if (!structure_mailbox())
        return person().ref();
    const auto id = cfg_.get("structure_id");
    if (!id || id->empty())
        throw usage_error(fmt::format("an {} mailbox is linked to a structure's account: set `structure_id` in {}",
                                      mss::domain::to_code(mailbox().type), cfg_.file()));
    return {mss::domain::account_kind::structure, *id};
}

mss::domain::mailbox_link session::require_link()
{
    const std::string address = mailbox().address.str();
    const auto owner = account();
    auto link = db().link_of_mailbox(address);
    if (!link)
        throw failure(fmt::format("cannot read the store {}: {}", cfg_.store_path(), link.error().message()));
    if (!*link || (*link)->account != owner || (*link)->state == mss::domain::link_state::unlinked ||
        (*link)->state == mss::domain::link_state::code_sent)
        throw failure(fmt::format("{} is not linked to {} in {}", address,
                                  structure_mailbox() ? "structure " + owner.id : std::string("your account"),
                                  cfg_.store_path()),
                      "link it first: `mss link`, then `mss link --code CODE` with the code mailed into it");
    // A structure's box: only its delegates see it, and a revoked one at once no more.
    if (structure_mailbox())
        if (auto ec = links().check_access(person().id, address, mss::domain::mailbox_action::read))
        {
            auto refused = refusal(fmt::format("{} may not read {}", person().id, address), ec, {});
            refused.hint = fmt::format("an administrator of {} can grant access: `mss delegate add {}`", owner.id,
                                       person().id);
            throw refused;
        }
    return **link;
}

mss::service::sync_report session::sync(const mss::domain::mailbox_link& link)
{
    progress bar("synchronising " + link.box.address.str());
    mss::diagnostics diag;
    auto [ec, report] = wait<error_code, mss::service::sync_report>([&](auto handler) {
        syncer().async_sync(link, imap(), diag, [&bar](std::size_t done, std::size_t total) { bar.update(done, total); },
                            std::move(handler));
    });
    bar.finish();
    if (ec)
        throw network_failure("imap", ec, diag);
    return report;
}

failure session::network_failure(std::string_view server, const error_code& ec, const mss::diagnostics& diag) const
{
    const bool is_imap = server == "imap";
    const std::string prefix = is_imap ? "imap" : "smtp";
    const std::string host = cfg_.get_or(prefix + "_host", "?");
    const std::string port = cfg_.get_or(prefix + "_port", is_imap ? "143" : "587");
    const std::string where = fmt::format("{}:{}", host, port);
    const std::string detail = diag.client_message().empty() ? ec.message() : diag.client_message();

    if (ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
        ec == asio::error::network_unreachable || ec == asio::error::host_not_found ||
        ec == asio::error::host_not_found_try_again || ec == mss::errc::connect_timeout)
        return failure(fmt::format("cannot connect to {}: {}", where, ec.message()),
                       fmt::format("is the operator up? check {0}_host and {0}_port in {1}", prefix, cfg_.file()));
    if (ec.category() == asio::error::get_ssl_category() || ec == asio::ssl::error::stream_truncated ||
        ec == mss::errc::tls_handshake_timeout)
        return failure(fmt::format("TLS with {} failed: {}", where, detail),
                       fmt::format("check ca_file (the operator's CA) and tls_name (the name in its certificate) in {}",
                                   cfg_.file()));
    if (ec == mss::imap::errc::auth_failed || ec == mss::smtp::errc::auth_failed)
        return failure(fmt::format("{} refused the login: {}", where, detail),
                       server == "code_sender" ? "check MSS_CODE_SENDER_PASSWORD and code_sender"
                                               : "check MSS_PASSWORD and the mailbox address");
    if (ec == mss::errc::starttls_not_offered)
        return failure(fmt::format("{} does not offer STARTTLS: {}", where, detail),
                       fmt::format("if the port uses implicit TLS, set {}_tls = implicit", prefix));
    return failure(fmt::format("{} ({}): {}", is_imap ? "IMAP" : "SMTP submission", where, detail));
}

failure session::refusal(std::string_view doing, const error_code& ec, const mss::diagnostics& diag) const
{
    using mss::domain::errc;
    std::string message = fmt::format("{}: {}", doing, ec.message());
    if (!diag.client_message().empty() && diag.client_message() != ec.message())
        message += fmt::format(" ({})", diag.client_message());
    if (ec.category() == mss::domain::domain_category())
        message += fmt::format(" — « {} »", mss::domain::message_fr(static_cast<errc>(ec.value())));
    std::string hint;
    if (ec == errc::link_code_missing)
        hint = "ask for a code first: `mss link`";
    else if (ec == errc::link_code_wrong)
        hint = "enter the code of the latest message mailed into the mailbox";
    else if (ec == errc::link_code_expired || ec == errc::link_code_too_many_attempts)
        hint = "ask for a new code: `mss link`";
    else if (ec == errc::link_code_throttled)
        hint = "wait a minute before asking for another code";
    else if (ec == errc::account_already_linked || ec == errc::mailbox_linked_elsewhere)
        hint = "`mss unlink` removes the existing link first";
    else if (ec == errc::address_outside_trust_space || ec == errc::recipient_outside_trust_space)
        hint = "MSSanté mail only goes to addresses of the trust space (see `mss classify ADDRESS`)";
    else if (ec == errc::patient_exchange_requires_rpps)
        hint = fmt::format("set your RPPS number (`rpps = ...`) in {}", cfg_.file());
    else if (ec == errc::access_not_allowed || ec == errc::access_reserved_to_administrators ||
             ec == errc::access_delegation_revoked)
        hint = "a structure's box is for its delegates: `mss delegate list` shows them, its administrators add them";
    else if (ec == mss::errc::configuration_error)
        hint = fmt::format("check {}", cfg_.file());
    return failure(message, hint);
}

}  // namespace mss_cli
