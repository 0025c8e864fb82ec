// quotaflow umbrella header: includes the whole public C++ API.
#pragma once

#include "quotaflow/version.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/calendar/date.hpp"
#include "quotaflow/calendar/grain.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/calendar/csv.hpp"
#include "quotaflow/core/intern.hpp"
#include "quotaflow/process/event_log.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/temporal.hpp"
