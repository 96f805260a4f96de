// SPDX-License-Identifier: Apache-2.0
// `mss search`: professionals and structures in the MSSanté directories configured — extraction
// files (`directory = FILE`, searched offline) and/or the Annuaire Santé FHIR API (`directory_url`,
// key in $MSS_DIRECTORY_API_KEY).
#include "commands.hpp"
#include "session.hpp"

#include <mss/directory/extraction_index.hpp>
#include <mss/directory/query.hpp>
#include <mss/net/directory_client.hpp>
#include <mss/transport/offline_directory.hpp>

#include <fmt/core.h>

#include <memory>

namespace mss_cli {
namespace {

using boost::system::error_code;
namespace dir = mss::directory;

dir::query query_of(const arguments& args)
{
    dir::query q;
    for (const auto& word : args.positional())
        q.text += (q.text.empty() ? "" : " ") + word;
    q.family_name = args.value("family").value_or("");
    q.given_name = args.value("given").value_or("");
    q.organisation = args.value("organisation").value_or("");
    q.city = args.value("city").value_or("");
    q.profession_code = args.value("profession").value_or("");
    q.specialty_code = args.value("specialty").value_or("");
    q.postal_code = args.value("postal-code").value_or("");
    q.department = args.value("department").value_or("");
    q.identifier = args.value("identifier").value_or("");
    q.mailbox_address = args.value("address").value_or("");
    if (auto type = args.value("type"))
    {
        auto parsed = mss::domain::parse_mailbox_type(*type);
        if (!parsed)
            throw usage_error(fmt::format("--type must be PER, ORG, APP or CAB, not {}", printable(*type)));
        q.mailbox_type = *parsed;
    }
    if (auto limit = args.value("limit"))
    {
        try
        {
            q.limit = std::stoul(*limit);
        }
        catch (const std::exception&)
        {
            throw usage_error("--limit takes a number");
        }
    }
    if (dir::is_empty(q))
        throw usage_error("search needs a criterion: words of a name, or --family, --city, --profession...");
    mss::diagnostics diag;
    if (dir::validate(q, diag))
        throw usage_error(diag.client_message());
    return q;
}

std::string name_of(const dir::entry& e)
{
    if (e.holder == dir::holder_kind::person)
        return fmt::format("{}{}{} {}", e.civility, e.civility.empty() ? "" : " ", e.given_name, e.family_name);
    return e.trade_name.empty() ? e.organisation : e.trade_name;
}

int run_search(session& s, const arguments& args)
{
    const auto q = query_of(args);
    const auto files = s.cfg().list("directory");
    const auto url = s.cfg().get("directory_url");
    if (files.empty() && !url)
        throw usage_error(fmt::format("no directory configured: add `directory = Extraction_Correspondance_MSSante_*.txt` "
                                      "or `directory_url = ...` to {}",
                                      s.cfg().file()));

    std::vector<std::unique_ptr<mss::transport::directory_search>> sources;
    std::vector<std::string> names;
    for (const auto& file : files)
    {
        auto index = std::make_shared<dir::live_index>();
        dir::load_report report;
        mss::diagnostics diag;
        if (auto ec = index->reload(file, report, diag))
            throw failure(fmt::format("cannot load the directory {}: {}", printable(file),
                                      diag.client_message().empty() ? ec.message() : diag.client_message()),
                          fmt::format("check `directory` in {}", s.cfg().file()));
        sources.push_back(std::make_unique<mss::transport::offline_directory>(s.io().get_executor(), index,
                                                                              dir::directory_kind::national));
        names.push_back(file);
    }
    if (url)
    {
        mss::net::directory_client_config c;
        c.base_url = *url;
        c.api_key = credential("MSS_DIRECTORY_API_KEY", "the Annuaire Santé API key");
        if (auto ca = s.cfg().get("ca_file"))
            c.tls_options.ca_file = *ca;
        else
            c.tls_options.use_system_trust_store = true;
        sources.push_back(std::make_unique<mss::net::directory_client>(s.io().get_executor(), std::move(c)));
        names.push_back(*url);
    }

    std::vector<dir::entry> found;
    for (std::size_t i = 0; i < sources.size(); ++i)
    {
        mss::diagnostics diag;
        auto [ec, result] = s.wait<error_code, dir::search_result>(
            [&](auto handler) { sources[i]->async_search(q, diag, std::move(handler)); });
        if (ec)
            throw failure(fmt::format("search in {} failed: {}", printable(names[i]),
                                      diag.client_message().empty() ? ec.message() : diag.client_message()),
                          i < files.size() ? "" : "check directory_url and $MSS_DIRECTORY_API_KEY");
        for (auto& e : result.entries)
            if (std::none_of(found.begin(), found.end(), [&](const dir::entry& f) { return f.address == e.address; }))
                found.push_back(std::move(e));
    }

    if (s.out().json())
    {
        json_writer doc;
        doc.begin_object().member("ok", true).key("entries").begin_array();
        for (const auto& e : found)
            doc.begin_object()
                .member("address", e.address)
                .member("type", mss::domain::to_code(e.type))
                .member("name", name_of(e))
                .member("family_name", e.family_name)
                .member("given_name", e.given_name)
                .member("profession", e.profession.label)
                .member("specialty", e.specialty.label)
                .member("organisation", e.organisation)
                .member("city", e.city)
                .member("rpps", e.identifiers.person)
                .end_object();
        s.out().emit(doc.end_array().end_object());
        return exit_ok;
    }
    s.out().say(fmt::format("{} result(s)", found.size()));
    for (const auto& e : found)
        s.out().say(fmt::format("{:<40} {} {}{}{}", e.address, mss::domain::to_code(e.type), printable(name_of(e)),
                                e.profession.label.empty() ? "" : ", " + printable(e.profession.label),
                                e.city.empty() ? "" : ", " + printable(e.city)));
    return exit_ok;
}

constexpr option_spec search_options[] = {
    {"family", true, false, "family name (word prefixes, accents ignored)"},
    {"given", true, false, "given name"},
    {"organisation", true, false, "organisation name"},
    {"city", true, false, "city"},
    {"profession", true, false, "profession code (10 Médecin, 21 Pharmacien, 60 Infirmier...)"},
    {"specialty", true, false, "specialty code (e.g. SM26)"},
    {"postal-code", true, false, "postal code"},
    {"department", true, false, "department (75, 2A, 971...)"},
    {"type", true, false, "mailbox type: PER, ORG, APP, CAB"},
    {"identifier", true, false, "RPPS number or structure identifier"},
    {"address", true, false, "a whole mailbox address"},
    {"limit", true, false, "at most this many entries per directory (default 20)"},
};

}  // namespace

const command cmd_search{"search", "[WORDS...] [--family NAME] [--city CITY] [--profession CODE] ...",
                         "search the MSSanté directory", search_options, &run_search};

}  // namespace mss_cli
