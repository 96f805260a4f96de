// SPDX-License-Identifier: Apache-2.0
// Helpers of the IMAP tests: response dumps (to compare parses fed in different splits),
// a fluent FSM script with error injection at every step, printers for doctest.
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/imap/response.hpp>
#include <mss/imap/response_parser.hpp>
#include <mss/sansio/action.hpp>

#include <doctest/doctest.h>

#include <boost/system/error_code.hpp>

#include <functional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mss::sansio {
inline std::ostream& operator<<(std::ostream& os, const action& a)
{
    switch (a.type())
    {
    case action::kind::write: return os << "write(\"" << a.bytes() << "\")";
    case action::kind::read: return os << "read";
    case action::kind::start_tls: return os << "start_tls";
    case action::kind::done: return os << "done(" << a.error().message() << ")";
    }
    return os;
}
}  // namespace mss::sansio

namespace imap_test {

using namespace std::string_literals;
namespace imap = mss::imap;

// LF -> CRLF, so that transcripts can be written one line per line.
inline std::string crlf(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (char c : text)
    {
        if (c == '\n')
            out.push_back('\r');
        out.push_back(c);
    }
    return out;
}

// `{n}\r\n` + content: a literal whose size is always right.
inline std::string lit(std::string_view content)
{
    return "{" + std::to_string(content.size()) + "}\r\n" + std::string(content);
}

inline void dump_range(std::ostringstream& os, const char* name, const std::vector<std::string_view>& v)
{
    os << name << "=[";
    for (auto s : v)
        os << s << ';';
    os << "] ";
}

// A deterministic text form of every field of a response, for comparisons.
inline std::string describe(const imap::response& r)
{
    std::ostringstream os;
    os << "kind=" << int(r.kind) << " data=" << int(r.data) << " tag=" << r.tag << " name=" << r.name
       << " cond=" << int(r.status.condition) << " code=" << int(r.status.code.kind) << ':' << r.status.code.name
       << ':' << r.status.code.arguments << ':' << r.status.code.number << ':' << r.status.code.uidvalidity << ':'
       << r.status.code.source_uids << ':' << r.status.code.uids << " text=" << r.status.text << " n=" << r.number
       << ' ';
    dump_range(os, "code_atoms", r.status.code.atoms);
    dump_range(os, "atoms", r.atoms);
    if (r.data == imap::data_kind::list || r.data == imap::data_kind::lsub)
    {
        dump_range(os, "attrs", r.list.attributes);
        os << "bits=" << r.list.attribute_bits << " delim=" << int(r.list.delimiter) << " name=" << r.list.name
           << " raw=" << r.list.raw_name << ' ';
    }
    if (r.data == imap::data_kind::status)
    {
        const auto& s = r.status_data;
        os << "status=" << s.name << ',' << s.present << ',' << s.messages << ',' << s.uidnext << ','
           << s.uidvalidity << ',' << s.unseen << ',' << s.highestmodseq << ' ';
    }
    if (r.data == imap::data_kind::search)
    {
        os << "search=";
        for (auto n : r.search.numbers)
            os << n << ',';
        os << " modseq=" << r.search.modseq << ' ';
    }
    if (r.data == imap::data_kind::esearch)
    {
        const auto& e = r.esearch;
        os << "esearch=" << e.tag << ',' << e.uid << ',' << e.min << ',' << e.max << ',' << e.count << ','
           << e.all << ',' << e.modseq << ' ';
    }
    if (r.data == imap::data_kind::vanished)
        os << "vanished=" << r.vanished.earlier << ',' << r.vanished.uids.to_string() << ' ';
    if (r.data == imap::data_kind::fetch)
    {
        const auto& f = r.fetch;
        os << "fetch seq=" << f.sequence << " present=" << f.present << " uid=" << f.uid << " modseq=" << f.modseq
           << " size=" << f.rfc822_size << " date=" << f.internal_date.to_sys_seconds().time_since_epoch().count()
           << ' ';
        dump_range(os, "flags", f.flags);
        auto env = [&](const imap::envelope& e) {
            os << "env(" << e.date << '|' << e.subject << '|' << e.in_reply_to << '|' << e.message_id;
            for (auto range : {e.from, e.sender, e.reply_to, e.to, e.cc, e.bcc})
            {
                os << '|';
                for (const auto& a : f.addresses_of(range))
                    os << '<' << a.name << ',' << a.adl << ',' << a.mailbox << ',' << a.host << ',' << int(a.kind)
                       << '>';
            }
            os << ") ";
        };
        env(f.envelope);
        for (const auto& e : f.envelopes)
            env(e);
        for (std::size_t i = 0; i < f.body_structure.size(); ++i)
        {
            const auto& p = f.body_structure[i];
            os << "part[" << f.section_of(i) << "](" << p.type << '/' << p.subtype << ' ' << p.id << ' '
               << p.description << ' ' << p.encoding << ' ' << p.size << ' ' << p.lines << ' ' << p.md5 << ' '
               << p.disposition << ' ' << p.location << ' ' << p.child_count << ' ' << p.subtree_size << ' ';
            for (const auto& prm : f.params_of(p.params))
                os << prm.name << '=' << prm.value << ';';
            for (const auto& prm : f.params_of(p.disposition_params))
                os << prm.name << '=' << prm.value << ';';
            for (auto l : f.languages_of(p.languages))
                os << l << ';';
            os << ") ";
        }
        for (const auto& s : f.sections)
            os << "section[" << s.binary << ',' << s.section << ',' << s.partial << ',' << s.origin << ',' << s.nil
               << ',' << s.streamed << ',' << s.size << "]=" << s.data << ' ';
        for (const auto& b : f.binary_sizes)
            os << "bsize[" << b.section << "]=" << b.size << ' ';
    }
    return os.str();
}

struct parse_outcome
{
    std::vector<std::string> responses;  // describe() of each
    boost::system::error_code ec;
    std::size_t error_offset = 0;
};

// Feeds `input` in the chunks given by `sizes` (cycled), collecting every response.
inline parse_outcome parse_chunks(std::string_view input, const std::vector<std::size_t>& sizes,
                                  const imap::response_parser_options& options = {})
{
    imap::response_parser parser(options);
    imap::response r;
    mss::diagnostics diag;
    parse_outcome out;
    std::size_t pos = 0;
    std::size_t k = 0;
    while (pos < input.size() && !out.ec)
    {
        const std::size_t n = std::min(sizes[k++ % sizes.size()], input.size() - pos);
        parser.feed(input.substr(pos, n));
        pos += n;
        while (parser.next(r, out.ec, diag))
            out.responses.push_back(describe(r));
    }
    if (out.ec && diag.position())
        out.error_offset = diag.position()->offset;
    return out;
}

inline parse_outcome parse_whole(std::string_view input, const imap::response_parser_options& options = {})
{
    return parse_chunks(input, {input.size() == 0 ? 1 : input.size()}, options);
}

// Whole, byte by byte and in random splits: all must agree.
inline parse_outcome parse_every_way(std::string_view input, const imap::response_parser_options& options = {})
{
    const auto whole = parse_whole(input, options);
    const auto bytewise = parse_chunks(input, {1}, options);
    CHECK(bytewise.responses == whole.responses);
    CHECK(bytewise.ec == whole.ec);
    std::mt19937 rng(12345);
    for (int round = 0; round < 20; ++round)
    {
        std::vector<std::size_t> sizes;
        std::uniform_int_distribution<std::size_t> dist(1, 40);
        for (int i = 0; i < 64; ++i)
            sizes.push_back(dist(rng));
        const auto split = parse_chunks(input, sizes, options);
        CHECK(split.responses == whole.responses);
        CHECK(split.ec == whole.ec);
    }
    return whole;
}

// Parses exactly one response (whole input) and calls `check` on it.
template <class Check>
void with_response(std::string_view input, Check check, const imap::response_parser_options& options = {})
{
    imap::response_parser parser(options);
    imap::response r;
    mss::diagnostics diag;
    boost::system::error_code ec;
    parser.feed(input);
    const bool got = parser.next(r, ec, diag);
    INFO(diag.client_message());
    REQUIRE(got);
    REQUIRE_FALSE(ec);
    check(r);
    CHECK(parser.buffered() == 0);
}

// ---------------------------------------------------------------------------------------------
// FSM scripts: the expected conversation, played against an FSM, then replayed with an I/O
// error injected at each step (the FSM must end with exactly that error).

using resume_fn = std::function<mss::sansio::action(boost::system::error_code, std::string_view)>;

class fsm_script
{
public:
    fsm_script& expect_write(std::string bytes)
    {
        steps_.push_back({step::kind::write, std::move(bytes), {}, {}});
        return *this;
    }
    fsm_script& then_read(std::string bytes)
    {
        steps_.push_back({step::kind::read, std::move(bytes), {}, {}});
        return *this;
    }
    // The FSM asks to read; `before` runs, then the read ends with `ec` and no data.
    fsm_script& then_read_interrupted(std::function<void()> before, boost::system::error_code ec)
    {
        steps_.push_back({step::kind::read, {}, ec, std::move(before)});
        return *this;
    }
    fsm_script& expect_start_tls()
    {
        steps_.push_back({step::kind::start_tls, {}, {}, {}});
        return *this;
    }
    fsm_script& expect_done(boost::system::error_code ec = {})
    {
        steps_.push_back({step::kind::done, {}, ec, {}});
        return *this;
    }

    // Plays the script; with `fail_at`, step number `fail_at` ends with `injected` instead.
    void play(const resume_fn& fsm, std::size_t fail_at = SIZE_MAX) const
    {
        const boost::system::error_code injected(ECONNRESET, boost::system::system_category());
        auto act = fsm({}, {});
        for (std::size_t i = 0; i < steps_.size(); ++i)
        {
            const auto& s = steps_[i];
            INFO("step " << i);
            if (i == fail_at)
            {
                REQUIRE(act.type() != mss::sansio::action::kind::done);
                act = fsm(injected, {});
                CHECK(act == mss::sansio::action::done(injected));
                return;
            }
            switch (s.type)
            {
            case step::kind::write:
                REQUIRE(act == mss::sansio::action::write(s.bytes));
                act = fsm({}, {});
                break;
            case step::kind::read:
                REQUIRE(act == mss::sansio::action::read());
                if (s.before)
                    s.before();
                act = fsm(s.ec, s.bytes);
                break;
            case step::kind::start_tls:
                REQUIRE(act == mss::sansio::action::start_tls());
                act = fsm({}, {});
                break;
            case step::kind::done: CHECK(act == mss::sansio::action::done(s.ec)); return;
            }
        }
        FAIL("script ended without expect_done");
    }

    // Plays the script, then again with an error injected at every step.
    void check(const std::function<resume_fn()>& make) const
    {
        play(make());
        for (std::size_t i = 0; i + 1 < steps_.size(); ++i)
            play(make(), i);
    }

private:
    struct step
    {
        enum class kind
        {
            write,
            read,
            start_tls,
            done,
        };
        kind type;
        std::string bytes;
        boost::system::error_code ec;
        std::function<void()> before;
    };
    std::vector<step> steps_;
};

}  // namespace imap_test
