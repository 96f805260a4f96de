// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Build configuration shared by every public header: the export macro.
 */
#pragma once

#if defined(MSS_SHARED_LIBRARY)
#    if defined(MSS_BUILDING_LIBRARY)
#        define MSS_API __attribute__((visibility("default")))
#    else
#        define MSS_API
#    endif
#else
/** @brief Marks a declaration as part of the library's binary interface. */
#    define MSS_API
#endif
