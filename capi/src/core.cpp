// C ABI: version, errors, memory, amounts and dates.
#include <cstdlib>

#include "guard.hpp"
#include "quotaflow/calendar/date.hpp"
#include "quotaflow/core/amount.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

extern "C" {

QF_API const char* qf_version(void) { return "0.1.0"; }
QF_API uint32_t qf_version_number(void) { return QF_VERSION_NUMBER; }

QF_API const char* qf_last_error_message(void) { return last_error_message(); }

QF_API const char* qf_status_name(qf_status status) {
  if (status > 0 || status < QF_ERR_INTERNAL) return "unknown";
  return errc_name(static_cast<errc>(status)).data();  // the names are string literals
}

QF_API void qf_free(void* p) { std::free(p); }

QF_API qf_status qf_amount_parse(const char* text, int32_t scale, int64_t* out) {
  return guard([&] {
    require(text, "text");
    require(out, "out");
    *out = Amount::parse(text, scale).minor();
  });
}

QF_API qf_status qf_amount_format(int64_t minor, int32_t scale, char* buf, size_t capacity, size_t* needed) {
  return guard([&] { write_string(Amount{minor}.format(scale), buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_amount_add(int64_t a, int64_t b, int64_t* out) {
  return guard([&] {
    require(out, "out");
    *out = (Amount{a} + Amount{b}).minor();
  });
}
QF_API qf_status qf_amount_sub(int64_t a, int64_t b, int64_t* out) {
  return guard([&] {
    require(out, "out");
    *out = (Amount{a} - Amount{b}).minor();
  });
}
QF_API qf_status qf_amount_mul(int64_t a, int64_t k, int64_t* out) {
  return guard([&] {
    require(out, "out");
    *out = (Amount{a} * k).minor();
  });
}

QF_API qf_status qf_date_from_ymd(int32_t year, int32_t month, int32_t day, int32_t* out) {
  return guard([&] {
    require(out, "out");
    *out = date_from_ymd(year, month, day);
  });
}

QF_API qf_status qf_date_to_ymd(int32_t date, int32_t* year, int32_t* month, int32_t* day) {
  return guard([&] {
    require(year, "year");
    require(month, "month");
    require(day, "day");
    YearMonthDay ymd = date_to_ymd(date);
    *year = ymd.year;
    *month = ymd.month;
    *day = ymd.day;
  });
}

QF_API qf_status qf_date_parse(const char* text, int32_t* out) {
  return guard([&] {
    require(text, "text");
    require(out, "out");
    *out = date_from_string(text);
  });
}

}  // extern "C"
