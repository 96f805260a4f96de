// SPDX-License-Identifier: Apache-2.0
// What `mss` writes: human text or JSON on stdout, errors and progress on stderr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mss_cli {

/** Text safe for a terminal: control characters are shown escaped, so that a hostile subject or
 *  argument cannot rewrite the screen. `keep_newlines` keeps LF and TAB (message bodies). */
std::string printable(std::string_view text, bool keep_newlines = false);

/** `text` padded with spaces to `width` characters (UTF-8 aware: "é" is one column). */
std::string pad(std::string_view text, std::size_t width);

/** A small streaming JSON writer: commas and nesting are tracked, strings escaped. */
class json_writer
{
public:
    json_writer& begin_object();
    json_writer& end_object();
    json_writer& begin_array();
    json_writer& end_array();
    /** The key of the next member (inside an object). */
    json_writer& key(std::string_view name);
    json_writer& value(std::string_view text);
    json_writer& value(const char* text) { return value(std::string_view(text)); }
    json_writer& value(const std::string& text) { return value(std::string_view(text)); }
    json_writer& value(std::int64_t number);
    json_writer& value(std::uint64_t number);
    json_writer& value(int number) { return value(static_cast<std::int64_t>(number)); }
    json_writer& value(unsigned number) { return value(static_cast<std::uint64_t>(number)); }
    json_writer& value(bool flag);
    json_writer& null();
    /** `key(name).value(v)`. */
    template <class T>
    json_writer& member(std::string_view name, const T& v)
    {
        key(name);
        return value(v);
    }
    /** The document written so far. */
    const std::string& str() const { return out_; }

private:
    void separate();
    std::string out_;
    std::vector<bool> first_;  // per open container: no member written yet
    bool after_key_ = false;
};

/** JSON string escaping (UTF-8 passed through, control characters as \uXXXX). */
std::string json_escape(std::string_view text);

/** Where the tool writes. */
class output
{
public:
    explicit output(bool json);
    bool json() const { return json_; }
    /** A line of human text on stdout (ignored in JSON mode). */
    void say(std::string_view line) const;
    /** A finished JSON document on stdout, one line. */
    void emit(const json_writer& doc) const;
    /** An error on stderr, with its hint; in JSON mode also {"error":..,"hint":..} on stdout. */
    void error(std::string_view command, std::string_view message, std::string_view hint) const;

private:
    bool json_;
};

/** A progress bar on stderr, drawn only when stderr is a terminal (never in pipes or logs). */
class progress
{
public:
    explicit progress(std::string label);
    ~progress();
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;
    /** `done` of `total` (total 0: unknown, a counter is shown). */
    void update(std::size_t done, std::size_t total);
    /** A line of status instead of a bar ("sending 12.5 MB"). */
    void status(std::string_view text);
    /** Clears the bar. */
    void finish();

private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
};

}  // namespace mss_cli
