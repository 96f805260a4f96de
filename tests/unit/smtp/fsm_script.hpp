// SPDX-License-Identifier: Apache-2.0
// Transcript-driven tests for the SMTP state machines (after Boost.MySQL's algo_test): a script
// of `S:` (server) and `C:` (client) lines, checked action by action, plus a pass that injects
// an I/O error at every step.
#pragma once

#include <mss/sansio/action.hpp>

#include <boost/system/error_code.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smtp_test
{

using mss::sansio::action;

/** Printable form of an action, so that a failed CHECK shows what the machine asked for. */
inline std::string describe(const action& a)
{
    switch (a.type())
    {
    case action::kind::write:
    {
        std::string s = "write \"";
        for (char c : a.bytes())
        {
            if (c == '\r')
                s += "\\r";
            else if (c == '\n')
                s += "\\n";
            else
                s += c;
        }
        return s + '"';
    }
    case action::kind::read:
        return "read";
    case action::kind::start_tls:
        return "start_tls";
    case action::kind::done:
        return "done(" + std::string(a.error().category().name()) + ":" + std::to_string(a.error().value()) +
               " " + a.error().message() + ")";
    }
    return "?";
}

/** One step of a transcript: what the machine must ask for, and what it then receives. */
struct step
{
    action::kind type;
    std::string bytes;  // written by the client (write) or sent by the server (read)
};

/** Stops reading a transcript step by step: reads are given whole or one byte at a time. */
enum class read_mode
{
    whole,
    byte_by_byte,
};

/** A scripted exchange. */
class transcript
{
public:
    /** Builds a transcript from lines such as:
     *
     *      S: 220 mail.example ESMTP       (server line; CRLF added)
     *      C: EHLO client.example          (client line; CRLF added)
     *      TLS                             (the machine asks for the TLS handshake)
     *      --                              (ends the current group)
     *
     *  Consecutive lines of one side form one step: one write, or one read carrying them all. */
    static transcript parse(std::string_view text)
    {
        transcript t;
        bool group_open = false;
        while (!text.empty())
        {
            std::size_t end = text.find('\n');
            std::string_view line = text.substr(0, end);
            text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
            while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
            if (line.empty())
                continue;
            if (line == "--")
            {
                group_open = false;
                continue;
            }
            if (line == "TLS")
            {
                t.expect_start_tls();
                group_open = false;
                continue;
            }
            REQUIRE_MESSAGE((line.substr(0, 2) == "S:" || line.substr(0, 2) == "C:"),
                            "bad transcript line: ", std::string(line));
            const auto kind = line[0] == 'S' ? action::kind::read : action::kind::write;
            std::string_view content = line.substr(2);
            if (!content.empty() && content.front() == ' ')
                content.remove_prefix(1);
            std::string bytes = std::string(content) + "\r\n";
            if (group_open && t.steps_.back().type == kind)
                t.steps_.back().bytes += bytes;
            else
                t.steps_.push_back({kind, std::move(bytes)});
            group_open = true;
        }
        return t;
    }

    transcript& expect_write(std::string bytes)
    {
        steps_.push_back({action::kind::write, std::move(bytes)});
        return *this;
    }

    transcript& then_read(std::string bytes)
    {
        steps_.push_back({action::kind::read, std::move(bytes)});
        return *this;
    }

    transcript& expect_start_tls()
    {
        steps_.push_back({action::kind::start_tls, {}});
        return *this;
    }

    [[nodiscard]] const std::vector<step>& steps() const noexcept { return steps_; }

private:
    std::vector<step> steps_;
};

/** Runs the first `count` steps of `t` on `fsm` (which must not have been resumed yet), checking
 *  every action; returns the action that follows them. */
template <class Fsm>
action drive(Fsm& fsm, const transcript& t, std::size_t count, read_mode mode = read_mode::whole)
{
    action act = fsm.resume({}, {});
    for (std::size_t i = 0; i < count; ++i)
    {
        const step& s = t.steps()[i];
        INFO("transcript step ", i);
        switch (s.type)
        {
        case action::kind::write:
            REQUIRE(describe(act) == describe(action::write(s.bytes)));
            act = fsm.resume({}, {});
            break;
        case action::kind::read:
            REQUIRE(describe(act) == "read");
            if (mode == read_mode::whole)
            {
                act = fsm.resume({}, s.bytes);
            }
            else
            {
                for (std::size_t j = 0; j < s.bytes.size(); ++j)
                {
                    INFO("byte ", j);
                    REQUIRE(describe(act) == "read");
                    act = fsm.resume({}, std::string_view(s.bytes).substr(j, 1));
                }
            }
            break;
        case action::kind::start_tls:
            REQUIRE(describe(act) == "start_tls");
            act = fsm.resume({}, {});
            break;
        case action::kind::done:
            FAIL("a transcript has no done step");
            break;
        }
    }
    return act;
}

/** Runs the whole transcript and checks that the machine then ends with `expected`, and keeps
 *  answering the same `done` afterwards. */
template <class Fsm>
void run(Fsm& fsm, const transcript& t, boost::system::error_code expected, read_mode mode = read_mode::whole)
{
    const action last = drive(fsm, t, t.steps().size(), mode);
    CHECK(describe(last) == describe(action::done(expected)));
    CHECK(describe(fsm.resume({}, "250 2.0.0 Ok\r\n")) == describe(action::done(expected)));
}

/** Injects an I/O error at every step of `t` on a fresh machine from `make()`: each must end with
 *  that very error, and stay ended. */
template <class MakeFsm>
void check_io_errors(MakeFsm make, const transcript& t)
{
    const auto injected = boost::system::errc::make_error_code(boost::system::errc::connection_reset);
    for (std::size_t k = 0; k < t.steps().size(); ++k)
    {
        INFO("error injected at step ", k);
        auto fsm = make();
        const action before = drive(fsm, t, k);
        // The machine must be asking for the step that fails.
        REQUIRE(before.type() == t.steps()[k].type);
        CHECK(describe(fsm.resume(injected, {})) == describe(action::done(injected)));
        CHECK(describe(fsm.resume({}, "250 2.0.0 Ok\r\n")) == describe(action::done(injected)));
        CHECK_FALSE(fsm.diag().client_message().empty());
    }
}

}  // namespace smtp_test
