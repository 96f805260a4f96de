// SPDX-License-Identifier: Apache-2.0
// Fault tests of the durable outbox against the real sandbox operator (Postfix -> LMTP -> Dovecot).
//
// A child process (this same program, run with `--child`) opens an SQLite store, sends one message
// (a unique subject and Message-ID, a 200 KB attachment) from Dr Martin to Dr Bernard with
// send_service + smtp_client + imap_client, and dies by SIGKILL at a chosen point:
//   (a) after the item is queued and marked `sending`, before anything is submitted;
//   (b) while the message data is on its way (the parent kills it, then drops the connection);
//   (c) after Postfix answered 250, before the outbox could record it.
// The parent then checks the SQLite file (PRAGMA integrity_check) and the item the crash left,
// starts a second child that opens the same file and runs async_process_outbox, and checks that
// the item ends `sent`, its copy is in Sent once, and Dr Bernard received it exactly once — twice
// at most for (c), where the server had accepted it but nobody lived to write that down.
//
// Only messages carrying this program's own Message-IDs are counted (doveadm search), so other
// users of the sandbox do not disturb it. "451 then 250" and "550 for one recipient of two" are
// covered over the in-memory operator by tests/unit/compose/send_test.cpp; Postfix cannot be made
// to answer 451 on demand, so they are not repeated here.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <mss/domain/draft.hpp>
#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/service/link_service.hpp>
#include <mss/service/send_service.hpp>
#include <mss/store/sqlite_store.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// The sandbox as the environment describes it (`eval "$(scripts/sandbox env)"`). A missing
// variable is an error, never a reason to skip.

std::string required_env(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        throw std::runtime_error(std::string(name) + " is not set: start the sandbox with `scripts/sandbox up` "
                                                     "and run this test after `eval \"$(scripts/sandbox env)\"`");
    return value;
}

struct sandbox_settings
{
    std::string host = required_env("MSS_SANDBOX_HOST");
    std::string tls_name = required_env("MSS_SANDBOX_TLS_NAME");
    std::string ca_file = required_env("MSS_SANDBOX_CA");
    std::uint16_t smtp_port = static_cast<std::uint16_t>(std::stoi(required_env("MSS_SANDBOX_SMTP_PORT")));
    std::uint16_t imap_port = static_cast<std::uint16_t>(std::stoi(required_env("MSS_SANDBOX_IMAP_PORT")));
    std::string martin = required_env("MSS_SANDBOX_DR_MARTIN_ADDRESS");
    std::string martin_password = required_env("MSS_SANDBOX_DR_MARTIN_PASSWORD");
    std::string bernard = required_env("MSS_SANDBOX_DR_BERNARD_ADDRESS");
    std::string dovecot_conf = required_env("MSS_SANDBOX_DOVECOT_CONF");
};

mss::domain::email_address address(const std::string& text) { return mss::domain::email_address::parse(text).value(); }

// ---------------------------------------------------------------------------------------------
// The child: one send that dies at a chosen point, or one recovery.

enum class kill_point
{
    before_submit,
    during_data,
    after_accept,
};

const char* mode_name(kill_point point)
{
    switch (point)
    {
    case kill_point::before_submit: return "kill-before-submit";
    case kill_point::during_data: return "kill-during-data";
    case kill_point::after_accept: return "kill-after-accept";
    }
    return "?";
}

// What the child tells the parent through its pipe.
constexpr char submission_started = 'S';
constexpr char server_accepted = 'A';
constexpr char not_killed = 'E';

void tell_parent(int fd, char what)
{
    if (fd >= 0)
        [[maybe_unused]] auto n = ::write(fd, &what, 1);
}

[[noreturn]] void die_now()
{
    // SIGKILL, not exit or abort: no destructor, no flush, no SQLite close — a power cut as far
    // as the process can tell.
    ::kill(::getpid(), SIGKILL);
    for (;;)
        ::pause();
}

// Submits through the real client, but dies where the test wants it to.
class killing_submission final : public mss::transport::mail_submission
{
public:
    killing_submission(mss::transport::mail_submission& inner, kill_point point, int pipe_fd,
                       asio::any_io_executor ex)
        : inner_(inner), point_(point), pipe_fd_(pipe_fd), ex_(std::move(ex))
    {
    }

private:
    void do_submit(const mss::transport::outgoing_message& message, mss::diagnostics& diag,
                   asio::any_completion_handler<submit_signature> handler) override
    {
        tell_parent(pipe_fd_, submission_started);
        if (point_ == kill_point::before_submit)
            die_now();
        if (point_ == kill_point::after_accept)
        {
            // The server's 250 has arrived; the outbox would write `sent` as soon as this handler
            // runs. Die in between.
            auto ex = asio::get_associated_executor(handler, ex_);
            inner_.async_submit(message, diag,
                                asio::bind_executor(ex, [pipe_fd = pipe_fd_, h = std::move(handler)](
                                                            error_code ec, mss::transport::submission_result r) mutable {
                                    if (!ec)
                                    {
                                        tell_parent(pipe_fd, server_accepted);
                                        die_now();
                                    }
                                    std::move(h)(ec, std::move(r));
                                }));
            return;
        }
        // During DATA: the parent kills this process while the data flows.
        inner_.async_submit(message, diag, std::move(handler));
    }

    mss::transport::mail_submission& inner_;
    kill_point point_;
    int pipe_fd_;
    asio::any_io_executor ex_;
};

std::unique_ptr<mss::net::smtp_client> make_smtp(asio::any_io_executor ex, const sandbox_settings& s,
                                                 std::uint16_t port)
{
    mss::net::smtp_client_config config;
    config.host = s.host;
    config.port = port;
    config.tls_server_name = s.tls_name;
    config.tls_options.ca_file = s.ca_file;
    config.ehlo_domain = "outbox-faults.regional.mssante.test";
    config.credentials.user = s.martin;
    config.credentials.secret = s.martin_password;
    config.timeouts.reply = 15s;
    return std::make_unique<mss::net::smtp_client>(std::move(ex), std::move(config));
}

std::unique_ptr<mss::net::imap_client> make_imap(asio::any_io_executor ex, const sandbox_settings& s)
{
    mss::net::imap_client_config config;
    config.host = s.host;
    config.port = s.imap_port;
    config.tls_server_name = s.tls_name;
    config.tls_options.ca_file = s.ca_file;
    config.credentials = {s.martin, s.martin_password, {}};
    config.timeouts.reply = 15s;
    return std::make_unique<mss::net::imap_client>(std::move(ex), std::move(config));
}

// argv: <self> --child <mode> <store file> <pipe fd> <smtp port> <tag>
int child_main(int argc, char** argv)
{
    if (argc != 7)
    {
        std::cerr << "child: usage: --child <mode> <store> <pipe fd> <smtp port> <tag>\n";
        return 2;
    }
    const std::string mode = argv[2];
    const std::string store_path = argv[3];
    const int pipe_fd = std::stoi(argv[4]);
    const auto smtp_port = static_cast<std::uint16_t>(std::stoi(argv[5]));
    const std::string tag = argv[6];
    try
    {
        const sandbox_settings s;
        asio::io_context io;
        mss::diagnostics diag;
        auto db = mss::store::sqlite_store::open(store_path, diag);
        if (!db)
        {
            std::cerr << "child: cannot open " << store_path << ": " << diag.client_message() << '\n';
            return 10;
        }
        mss::domain::trust_space space;
        for (const char* domain : {"regional.mssante.test", "national.mssante.test"})
            space.add({domain, "sandbox operator (scripts/sandbox)", "", "", "", "", 0}).value();
        auto smtp = make_smtp(io.get_executor(), s, smtp_port);
        auto imap = make_imap(io.get_executor(), s);
        mss::service::link_service links(io.get_executor(), **db, space, *smtp,
                                         mss::service::link_service_config{address(s.martin), "SPICO", {}, {}});
        mss::service::send_service sender(io.get_executor(), **db, space, links,
                                          mss::service::send_config{"MSS-TEST-OUTBOX-FAULTS", {}, {}, "Sent"});

        if (mode == "recover")
        {
            // A restarted process: whatever the crash left is due work.
            error_code result;
            std::size_t processed = 0;
            sender.async_process_outbox(
                [&](const std::string& mailbox) {
                    return mailbox == s.martin ? mss::service::mailbox_transports{smtp.get(), imap.get()}
                                               : mss::service::mailbox_transports{};
                },
                diag,
                [&](error_code ec, std::size_t n) {
                    result = ec;
                    processed = n;
                    io.stop();
                });
            io.run();
            if (result || processed != 1)
            {
                std::cerr << "child: recovery: " << result.message() << ", " << processed << " item(s) processed\n";
                return 4;
            }
            return 0;
        }

        kill_point point{};
        if (mode == mode_name(kill_point::before_submit))
            point = kill_point::before_submit;
        else if (mode == mode_name(kill_point::during_data))
            point = kill_point::during_data;
        else if (mode == mode_name(kill_point::after_accept))
            point = kill_point::after_accept;
        else
        {
            std::cerr << "child: unknown mode " << mode << '\n';
            return 2;
        }

        const mss::domain::mailbox martin_box{address(s.martin), mss::domain::mailbox_type::per, "Sandbox",
                                              "Dr_Jean_MARTIN_Cardiologie"};
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        if (auto ec = (*db)->save_link({{mss::domain::account_kind::person, "p-martin"}, martin_box,
                                        mss::domain::link_state::ready, now}))
        {
            std::cerr << "child: cannot save the link: " << ec.message() << '\n';
            return 11;
        }
        auto d = mss::domain::make_new_message(martin_box, "p-martin", true);
        d.add_recipient(mss::domain::recipient_field::to,
                        mss::domain::named_address::make("Dr Anne Bernard", address(s.bernard)).value());
        d.subject = "outbox faults " + tag;
        d.html_body = "<p>Bonjour,</p><p>Imagerie jointe (test de panne " + tag + ").</p>";
        // Incompressible bytes, so that the data phase lasts: about 270 KB once in base64.
        std::string image(200 * 1024, '\0');
        std::mt19937 random(std::random_device{}());
        for (auto& c : image)
            c = static_cast<char>(random() & 0xff);
        d.add_attachment({"imagerie.bin", "application/octet-stream", std::move(image), "", false});

        killing_submission submission(*smtp, point, pipe_fd, io.get_executor());
        sender.async_send(d, submission, *imap, diag, [&](error_code ec, mss::service::send_report report) {
            std::cerr << "child: the send completed (" << ec.message() << ", state "
                      << static_cast<int>(report.state) << ") instead of being killed\n";
            io.stop();
        });
        io.run();
        tell_parent(pipe_fd, not_killed);
        return 3;
    }
    catch (const std::exception& e)
    {
        std::cerr << "child: " << e.what() << '\n';
        return 5;
    }
}

// ---------------------------------------------------------------------------------------------
// The parent's tools.

// A TCP relay between the child and Postfix that forwards the client's bytes at a fixed rate and
// can cut the connection where it stands. Over loopback 270 KB take a millisecond or two, and a
// killed process's socket would still flush what the kernel holds: throttled and cut, the kill
// lands inside DATA for sure, and the relay knows how many bytes reached the server.
class throttled_relay
{
public:
    throttled_relay(const std::string& host, std::uint16_t upstream_port, std::size_t bytes_per_second)
        : rate_(bytes_per_second)
    {
        upstream_.sin_family = AF_INET;
        upstream_.sin_port = htons(upstream_port);
        if (::inet_pton(AF_INET, host.c_str(), &upstream_.sin_addr) != 1)
            throw std::runtime_error("the relay needs an IPv4 address, not " + host);
        // CLOEXEC everywhere: the children must not inherit the relay's sockets.
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof local;
        if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
            ::listen(listener_, 1) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&local), &length) != 0)
            throw std::runtime_error("cannot open the relay's listening socket");
        port_ = ntohs(local.sin_port);
        thread_ = std::thread([this] { run(); });
    }

    ~throttled_relay()
    {
        stop();
        ::close(listener_);
    }

    throttled_relay(const throttled_relay&) = delete;
    throttled_relay& operator=(const throttled_relay&) = delete;

    std::uint16_t port() const { return port_; }

    // Client bytes that reached the server so far.
    std::uint64_t forwarded() const { return forwarded_.load(); }

    // Nothing more reaches the server; the connection is reset.
    void cut() { cut_ = true; }

    void stop()
    {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }

private:
    static bool send_all(int fd, const char* data, std::size_t size)
    {
        while (size > 0)
        {
            const auto n = ::send(fd, data, size, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            data += n;
            size -= static_cast<std::size_t>(n);
        }
        return true;
    }

    void run()
    {
        int client = -1;
        while (!stop_ && client < 0)
        {
            pollfd p{listener_, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0)
                client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        }
        if (client < 0)
            return;
        const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (server < 0 || ::connect(server, reinterpret_cast<const sockaddr*>(&upstream_), sizeof upstream_) != 0)
        {
            ::close(client);
            if (server >= 0)
                ::close(server);
            return;
        }
        char buffer[8192];
        while (!stop_ && !cut_)
        {
            pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
            if (::poll(p, 2, 10) <= 0)
                continue;
            if (p[1].revents != 0)
            {
                const auto n = ::recv(server, buffer, sizeof buffer, 0);
                if (n <= 0 || !send_all(client, buffer, static_cast<std::size_t>(n)))
                    break;
            }
            if (p[0].revents != 0)
            {
                const auto n = ::recv(client, buffer, sizeof buffer, 0);
                if (n <= 0 || cut_ || !send_all(server, buffer, static_cast<std::size_t>(n)))
                    break;
                forwarded_ += static_cast<std::uint64_t>(n);
                std::this_thread::sleep_for(std::chrono::microseconds(static_cast<std::int64_t>(n) * 1'000'000 /
                                                                      static_cast<std::int64_t>(rate_)));
            }
        }
        // A reset, not a polite close: the server sees the connection lost in the middle of DATA.
        const linger reset{1, 0};
        ::setsockopt(server, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        ::close(server);
        ::close(client);
    }

    std::size_t rate_;
    sockaddr_in upstream_{};
    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<bool> cut_{false};
    std::atomic<std::uint64_t> forwarded_{0};
    std::thread thread_;
};

// Starts this program again with `args`; `keep_fd` stays open in the child, every other
// descriptor of ours is close-on-exec.
pid_t spawn_self(const std::vector<std::string>& args, int keep_fd)
{
    static const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<std::string> owned{self};
    owned.insert(owned.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : owned)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0)
    {
        // Only async-signal-safe calls between fork and exec (the relay's thread is running).
        if (keep_fd >= 0)
            ::fcntl(keep_fd, F_SETFD, 0);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

// The child's wait status, or nothing after `limit` (the child is then killed).
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;)
    {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return status;
        if (std::chrono::steady_clock::now() > deadline)
        {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return std::nullopt;
        }
        std::this_thread::sleep_for(5ms);
    }
}

// The next byte from the child's pipe; 0 on time-out or end of file.
char read_from_child(int fd, std::chrono::milliseconds limit)
{
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0)
        return 0;
    char c = 0;
    return ::read(fd, &c, 1) == 1 ? c : 0;
}

bool killed_by_sigkill(std::optional<int> status)
{
    return status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL;
}

// How many messages of `user`'s `mailbox` carry `message_id`, as Dovecot itself sees them.
std::size_t count_messages(const sandbox_settings& s, const std::string& user, const std::string& mailbox,
                           const std::string& message_id)
{
    const std::string command = "doveadm -c '" + s.dovecot_conf + "' search -u '" + user + "' mailbox '" + mailbox +
                                "' header Message-ID '" + message_id + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr)
        throw std::runtime_error("cannot run doveadm");
    std::size_t lines = 0;
    char line[512];
    while (std::fgets(line, sizeof line, pipe))
        if (line[0] != '\n')
            ++lines;
    if (::pclose(pipe) != 0)
        throw std::runtime_error("doveadm search failed: " + command);
    return lines;
}

// Waits (LMTP delivery is asynchronous) until at least `expected` copies are there, or `limit`.
std::size_t wait_for_count(const sandbox_settings& s, const std::string& user, const std::string& mailbox,
                           const std::string& message_id, std::size_t expected, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;)
    {
        const auto n = count_messages(s, user, mailbox, message_id);
        if (n >= expected || std::chrono::steady_clock::now() > deadline)
            return n;
        std::this_thread::sleep_for(100ms);
    }
}

std::chrono::sys_seconds in_an_hour()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + 1h;
}

std::unique_ptr<mss::store::sqlite_store> open_store(const std::filesystem::path& path)
{
    mss::diagnostics diag;
    auto db = mss::store::sqlite_store::open(path.string(), diag);
    REQUIRE_MESSAGE(db.has_value(), "cannot open " << path << ": " << diag.client_message());
    return std::move(*db);
}

// One kill and one recovery.
struct run_outcome
{
    std::string message_id;
    std::size_t message_bytes = 0;
    std::uint64_t bytes_at_kill = 0;  // (b): client bytes that reached Postfix
};

// A private directory for the store files, removed afterwards.
struct scratch_dir
{
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("mss-outbox-faults-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(std::random_device{}()));
    scratch_dir() { std::filesystem::create_directories(path); }
    ~scratch_dir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// Client bytes that must have reached Postfix before a kill counts as "during DATA": the TLS
// handshake, EHLO, AUTH, MAIL, RCPT and DATA together stay well under this.
constexpr std::uint64_t past_the_data_command = 16 * 1024;

run_outcome kill_and_recover(const sandbox_settings& s, const scratch_dir& dir, kill_point point,
                             std::chrono::milliseconds delay, int run)
{
    run_outcome out;
    const std::string tag = std::string(mode_name(point)) + "-" + std::to_string(run) + "-" +
                            std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
    const auto store_path = dir.path / (tag + ".db");
    INFO("run " << tag);

    // 1. The child sends and dies.
    std::optional<throttled_relay> relay;
    std::uint16_t port = s.smtp_port;
    if (point == kill_point::during_data)
    {
        relay.emplace(s.host, s.smtp_port, 512 * 1024);  // 512 KB/s: DATA lasts about half a second
        port = relay->port();
    }
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    const pid_t sender = spawn_self({"--child", mode_name(point), store_path.string(), std::to_string(fds[1]),
                                     std::to_string(port), tag},
                                    fds[1]);
    ::close(fds[1]);
    REQUIRE(sender > 0);
    const char first = read_from_child(fds[0], 30s);
    if (first != submission_started)
        ::kill(sender, SIGKILL);
    REQUIRE_MESSAGE(first == submission_started, "the child did not reach the submission");
    if (point == kill_point::during_data)
    {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (relay->forwarded() < past_the_data_command && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(delay);
        // Kill first, then cut: cut first, the child could see the error and record `retry`.
        ::kill(sender, SIGKILL);
        relay->cut();
        relay->stop();
        out.bytes_at_kill = relay->forwarded();
    }
    else if (point == kill_point::after_accept)
    {
        const char second = read_from_child(fds[0], 30s);
        if (second != server_accepted)
            ::kill(sender, SIGKILL);
        REQUIRE_MESSAGE(second == server_accepted, "Postfix did not accept the message");
    }
    const auto status = wait_for(sender, 30s);
    ::close(fds[0]);
    REQUIRE_MESSAGE(killed_by_sigkill(status), "the child was not killed where planned");

    // 2. The file as the crash left it: sound, and the item in `sending`.
    std::int64_t id = 0;
    {
        auto db = open_store(store_path);
        CHECK(db->integrity_check());
        const auto due = db->due_outbox(in_an_hour()).value();
        REQUIRE(due.size() == 1);
        CHECK(due[0].state == mss::domain::outbox_state::sending);
        CHECK(due[0].attempts == 1);
        id = due[0].id;
        out.message_id = due[0].message.message_id;
        out.message_bytes = due[0].message.data.size();
    }
    if (point == kill_point::during_data)
    {
        // The end of the data (and so the final dot) never reached Postfix: it cannot have
        // queued the message, and a second copy would be a bug.
        CHECK(out.bytes_at_kill >= past_the_data_command);
        CHECK(out.bytes_at_kill < out.message_bytes);
    }

    // 3. Restart: a new process opens the same file and does the due work.
    const pid_t recoverer = spawn_self({"--child", "recover", store_path.string(), "-1", std::to_string(s.smtp_port), tag}, -1);
    REQUIRE(recoverer > 0);
    const auto recovered = wait_for(recoverer, 60s);
    REQUIRE_MESSAGE((recovered && WIFEXITED(*recovered) && WEXITSTATUS(*recovered) == 0),
                    "the recovery failed (status " << (recovered ? *recovered : -1) << ")");

    // 4. The outbox's word: sent, copy made, nothing left to do.
    {
        auto db = open_store(store_path);
        CHECK(db->integrity_check());
        const auto item = db->outbox_item_by_id(id).value();
        REQUIRE(item.has_value());
        CHECK(item->state == mss::domain::outbox_state::sent);
        CHECK_FALSE(item->copy_pending);
        CHECK(item->attempts == 2);
        CHECK(db->due_outbox(in_an_hour()).value().empty());
        CHECK(db->pending_copies().value().empty());
    }
    CHECK_MESSAGE(wait_for_count(s, s.bernard, "INBOX", out.message_id, 1, 20s) >= 1,
                  "never delivered to Dr Bernard");
    return out;
}

// After every run of a kill point: counts each message at the recipient and in Sent, once late
// deliveries had time to land.
void check_counts(const sandbox_settings& s, const std::vector<run_outcome>& runs, std::size_t at_most,
                  std::vector<std::size_t>& received)
{
    std::this_thread::sleep_for(1500ms);
    for (const auto& r : runs)
    {
        INFO("Message-ID " << r.message_id);
        const auto n = wait_for_count(s, s.bernard, "INBOX", r.message_id, at_most, 1s);
        received.push_back(n);
        CHECK(n >= 1);
        CHECK(n <= at_most);
        CHECK(count_messages(s, s.martin, "Sent", r.message_id) == 1);
    }
}

std::string joined(const std::vector<std::size_t>& values)
{
    std::ostringstream out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out << (i ? " " : "") << values[i];
    return out.str();
}

}  // namespace

TEST_SUITE("outbox faults: SIGKILL at each stage of a send, then restart, against the sandbox")
{
    TEST_CASE("(a) killed after queueing, before submission: sent once after the restart")
    {
        const sandbox_settings s;
        scratch_dir dir;
        std::vector<run_outcome> runs;
        for (int run = 0; run < 3; ++run)
            runs.push_back(kill_and_recover(s, dir, kill_point::before_submit, 0ms, run));
        std::vector<std::size_t> received;
        check_counts(s, runs, 1, received);
        std::cout << "outbox faults (a) before submission: " << runs.size()
                  << " runs, copies received per run: " << joined(received) << '\n';
    }

    TEST_CASE("(b) killed during DATA: the message is not duplicated")
    {
        const sandbox_settings s;
        scratch_dir dir;
        std::vector<run_outcome> runs;
        std::vector<std::size_t> bytes;
        int run = 0;
        for (const auto delay : {40ms, 160ms, 320ms})
            for (int again = 0; again < 2; ++again)
            {
                runs.push_back(kill_and_recover(s, dir, kill_point::during_data, delay, run++));
                bytes.push_back(static_cast<std::size_t>(runs.back().bytes_at_kill));
            }
        std::vector<std::size_t> received;
        check_counts(s, runs, 1, received);
        std::cout << "outbox faults (b) during DATA: " << runs.size()
                  << " runs (killed 40/160/320 ms after 16 KiB had passed, twice each), client bytes through at the kill: "
                  << joined(bytes) << " of " << (runs.empty() ? 0 : runs.front().message_bytes)
                  << "-byte messages, copies received per run: " << joined(received) << '\n';
    }

    TEST_CASE("(c) killed after the server's 250, before the state is written: at most two copies, same Message-ID")
    {
        const sandbox_settings s;
        scratch_dir dir;
        std::vector<run_outcome> runs;
        for (int run = 0; run < 3; ++run)
            runs.push_back(kill_and_recover(s, dir, kill_point::after_accept, 0ms, run));
        std::vector<std::size_t> received;
        check_counts(s, runs, 2, received);
        std::cout << "outbox faults (c) after 250: " << runs.size()
                  << " runs, copies received per run: " << joined(received)
                  << " (the restart found no copy in Sent, so it sent again)\n";
    }
}

int main(int argc, char** argv)
{
    if (argc >= 2 && std::string_view(argv[1]) == "--child")
        return child_main(argc, argv);
    doctest::Context context(argc, argv);
    return context.run();
}
