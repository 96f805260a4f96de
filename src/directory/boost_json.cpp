// SPDX-License-Identifier: Apache-2.0
// Boost.JSON, compiled into mss::core once (its header-only mode: this file is the only one to
// include src.hpp; the FHIR decoder includes the ordinary headers). No library to link.
#include <boost/json/src.hpp>
