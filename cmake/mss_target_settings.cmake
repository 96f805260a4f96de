# SPDX-License-Identifier: Apache-2.0
# mss_target_settings(<target>): the warnings every mss target is built with.
function(mss_target_settings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
        -Wno-sign-conversion)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        # g++ 12 reports a false "mismatched new/delete" on Asio's awaitable frames (which define
        # their own sized operator new/delete) when optimising with sanitizers.
        target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
    endif()
    if(MSS_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
