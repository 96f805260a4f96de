// SPDX-License-Identifier: Apache-2.0
// The commands of `mss`, one file per group: cmd_link.cpp (link, unlink), cmd_delegate.cpp
// (delegate), cmd_mailbox.cpp (sync, folders, list, read; watch.cpp for sync --watch),
// cmd_compose.cpp (send, reply, forward, send-documents), cmd_search.cpp (search),
// cmd_classify.cpp (classify), cmd_config.cpp (config).
#pragma once

#include "cli.hpp"

#include <span>
#include <string_view>

namespace mss_cli {

class session;

/** One command of the tool. */
struct command
{
    std::string_view name;
    std::string_view synopsis;  // arguments after the name
    std::string_view summary;   // one line
    std::span<const option_spec> options;
    int (*run)(session& s, const arguments& args);
};

extern const command cmd_link;
extern const command cmd_unlink;
extern const command cmd_delegate;
extern const command cmd_sync;
extern const command cmd_folders;
extern const command cmd_list;
extern const command cmd_read;
extern const command cmd_send;
extern const command cmd_reply;
extern const command cmd_forward;
extern const command cmd_send_documents;
extern const command cmd_search;
extern const command cmd_classify;
extern const command cmd_config;

}  // namespace mss_cli
