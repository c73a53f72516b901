#pragma once

// Times as the CIB writes them in date expressions: ISO 8601 with a
// calendar ("2019-09-20"), ordinal ("2005-020") or week ("2005-W03-4")
// date, an optional time after "T" or a space ("15:10:52", "12:30"), and an
// optional zone ("Z", "+02:00", "+0200", "+02", possibly after a space).
// Without a zone the time is taken as UTC (Pacemaker takes the local zone).

#include <string_view>

#include "common/core/result.h"
#include "common/core/timestamp.h"

namespace tandem::cib::detail {

Result<Timestamp> parse_pacemaker_time(std::string_view text);

}  // namespace tandem::cib::detail
