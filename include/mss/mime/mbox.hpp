// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::mbox_splitter`: cutting an mbox file (mboxo or mboxrd) into messages, and
 *         `unquote_mbox` for their `>From ` lines.
 *
 *  An mbox is a series of messages, each opened by an envelope line `From sender date` and
 *  followed by an empty line. Writers quote body lines that would look like an envelope line:
 *  mboxo turns `From ` into `>From `; mboxrd adds one `>` to any line matching `>*From `, so it
 *  can be undone exactly.
 */
#pragma once

#include <mss/config.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mss::mime
{

/** @brief The quoting convention of an mbox file. */
enum class mbox_format : unsigned char
{
    /** @brief `From ` was quoted as `>From `; other lines were left alone (not reversible when
     *         the body held `>From ` itself). */
    mboxo,
    /** @brief Every `>*From ` line got one more `>` (reversible). */
    mboxrd,
};

/** @brief One message of an mbox file, as views into it. */
struct mbox_entry
{
    /** @brief The envelope line (`From sender date`), without its line break. */
    std::string_view envelope;
    /** @brief The message, still quoted, without the empty line that separates it from the next. */
    std::string_view raw;
    /** @brief Offset of the envelope line in the file. */
    std::size_t offset = 0;
};

/** @brief Cuts an mbox held in memory into messages, without copying.
 *
 *  An envelope line is a line starting with `From ` at the start of the file or right after an
 *  empty line, which is how every writer separates messages; a `From ` line inside a body that a
 *  careless writer did not quote is then most often kept in its message. CRLF and LF files are
 *  both read. Text before the first envelope line is skipped.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API mbox_splitter
{
public:
    /** @brief Prepares to split `mbox`, which must outlive the splitter and the entries. */
    explicit mbox_splitter(std::string_view mbox) noexcept : mbox_(mbox) {}

    /** @brief The next message, or nothing at the end of the file. */
    [[nodiscard]] std::optional<mbox_entry> next() noexcept;

private:
    std::string_view mbox_;
    std::size_t pos_ = 0;
    bool started_ = false;
};

/** @brief Appends `raw` (a message of an mbox) to `out` with its `>From ` quoting undone
 *         according to `format`. */
MSS_API void unquote_mbox(std::string_view raw, mbox_format format, std::string& out);

}  // namespace mss::mime
