// SPDX-License-Identifier: Apache-2.0
#include <mss/imap/envelope.hpp>
#include <mss/mime/encoded_word.hpp>

namespace mss::imap {

std::string decode_subject(const envelope& env)
{
    std::string out;
    mime::decode_header_text(env.subject, out);
    return out;
}

std::string decode_display_name(const address& a)
{
    std::string out;
    mime::decode_header_text(a.name, out);
    return out;
}

}  // namespace mss::imap
