// quotaflow umbrella header: includes the whole public C++ API.
#pragma once

#include "quotaflow/version.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/calendar/date.hpp"
#include "quotaflow/calendar/grain.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/calendar/csv.hpp"
