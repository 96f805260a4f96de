# SPDX-License-Identifier: Apache-2.0
# mss_target_settings(<target>): the warnings every mss target is built with.
function(mss_target_settings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
        -Wno-sign-conversion)
    if(MSS_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
