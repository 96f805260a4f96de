# SPDX-License-Identifier: Apache-2.0
# Install rules: headers, libraries, the exported targets (mss::core, mss::net, mss::sqlite,
# mss::mss), mssConfig.cmake + version file, and a pkg-config file.
include(CMakePackageConfigHelpers)

set(MSS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mss CACHE STRING "Where mssConfig.cmake is installed")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mss DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS mss_core mss_net mss_sqlite mss_service mss_mss
    EXPORT mss-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT mss-targets NAMESPACE mss:: DESTINATION ${MSS_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mssConfig.cmake.in
    ${PROJECT_BINARY_DIR}/mssConfig.cmake
    INSTALL_DESTINATION ${MSS_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mssConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mssConfig.cmake ${PROJECT_BINARY_DIR}/mssConfigVersion.cmake
    DESTINATION ${MSS_CMAKE_DIR})

configure_file(${PROJECT_SOURCE_DIR}/cmake/mss.pc.in ${PROJECT_BINARY_DIR}/mss.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mss.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
