"""ctypes declarations of the quotaflow C ABI (capi/include/quotaflow.h), as an integrator in
another language would write them. Used by the `capi` fixture in conftest.py."""

from __future__ import annotations

import ctypes

# Status codes (QF_ERR_*), never renumbered.
QF_OK = 0
QF_ERR_INVALID_ARGUMENT = -1
QF_ERR_OUT_OF_RANGE = -2
QF_ERR_OVERFLOW = -3
QF_ERR_NOT_FOUND = -4
QF_ERR_IO = -5
QF_ERR_PARSE = -6
QF_ERR_NO_MEMORY = -7
QF_ERR_BUFFER_TOO_SMALL = -8
QF_ERR_NULL_POINTER = -9
QF_ERR_INTERNAL = -10

QF_GRAIN_YEAR, QF_GRAIN_HALF, QF_GRAIN_QUARTER, QF_GRAIN_MONTH, QF_GRAIN_WEEK, QF_GRAIN_DAY = range(6)
QF_WEEKEND_SAT_SUN = 0x60
QF_WEEKEND_FRI_SAT = 0x30


class CalendarHandle(ctypes.Structure):
    """Opaque `qf_calendar` (only ever used through pointers)."""


CalendarPtr = ctypes.POINTER(CalendarHandle)
c_int32_p = ctypes.POINTER(ctypes.c_int32)
c_int64_p = ctypes.POINTER(ctypes.c_int64)
c_uint8_p = ctypes.POINTER(ctypes.c_uint8)
c_double_p = ctypes.POINTER(ctypes.c_double)
c_size_p = ctypes.POINTER(ctypes.c_size_t)


class CalendarOptions(ctypes.Structure):
    """`qf_calendar_options` (version 1)."""

    _fields_ = [
        ("version", ctypes.c_uint32),
        ("weekend_mask", ctypes.c_uint32),
        ("fiscal_year_start_month", ctypes.c_int32),
        ("valid_from", ctypes.c_int32),
        ("valid_until", ctypes.c_int32),
    ]

    @classmethod
    def init(cls) -> "CalendarOptions":  # QF_CALENDAR_OPTIONS_INIT
        return cls(1, 0x60, 1, -25567, 84006)


PROTOTYPES = {
    # name: (restype, argtypes)
    "qf_version": (ctypes.c_char_p, []),
    "qf_version_number": (ctypes.c_uint32, []),
    "qf_last_error_message": (ctypes.c_char_p, []),
    "qf_status_name": (ctypes.c_char_p, [ctypes.c_int32]),
    "qf_free": (None, [ctypes.c_void_p]),
    "qf_amount_parse": (ctypes.c_int32, [ctypes.c_char_p, ctypes.c_int32, c_int64_p]),
    "qf_amount_format": (ctypes.c_int32, [ctypes.c_int64, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t, c_size_p]),
    "qf_amount_add": (ctypes.c_int32, [ctypes.c_int64, ctypes.c_int64, c_int64_p]),
    "qf_amount_sub": (ctypes.c_int32, [ctypes.c_int64, ctypes.c_int64, c_int64_p]),
    "qf_amount_mul": (ctypes.c_int32, [ctypes.c_int64, ctypes.c_int64, c_int64_p]),
    "qf_date_from_ymd": (ctypes.c_int32, [ctypes.c_int32, ctypes.c_int32, ctypes.c_int32, c_int32_p]),
    "qf_date_to_ymd": (ctypes.c_int32, [ctypes.c_int32, c_int32_p, c_int32_p, c_int32_p]),
    "qf_date_parse": (ctypes.c_int32, [ctypes.c_char_p, c_int32_p]),
    "qf_calendar_create": (ctypes.c_int32, [ctypes.POINTER(CalendarPtr), ctypes.POINTER(CalendarOptions), c_int32_p,
                                            ctypes.c_size_t, c_int32_p, ctypes.c_size_t]),
    "qf_calendar_preset": (ctypes.c_int32, [ctypes.POINTER(CalendarPtr), ctypes.c_char_p]),
    "qf_calendar_from_csv": (ctypes.c_int32, [ctypes.POINTER(CalendarPtr), ctypes.c_char_p,
                                              ctypes.POINTER(CalendarOptions)]),
    "qf_calendar_destroy": (None, [CalendarPtr]),
    "qf_calendar_info": (ctypes.c_int32, [CalendarPtr, c_int32_p, c_int32_p, c_int32_p]),
    "qf_calendar_is_working_day": (ctypes.c_int32, [CalendarPtr, ctypes.c_int32, c_int32_p]),
    "qf_calendar_working_days": (ctypes.c_int32, [CalendarPtr, ctypes.c_int32, ctypes.c_int32, c_int32_p]),
    "qf_calendar_add_working_days": (ctypes.c_int32, [CalendarPtr, ctypes.c_int32, ctypes.c_int32, c_int32_p]),
    "qf_calendar_elapsed_fraction": (ctypes.c_int32, [CalendarPtr, ctypes.c_int32, ctypes.c_int32, ctypes.c_int32,
                                                      c_double_p]),
    "qf_calendar_is_working_day_bulk": (ctypes.c_int32, [CalendarPtr, c_int32_p, ctypes.c_size_t, c_uint8_p]),
    "qf_calendar_working_days_bulk": (ctypes.c_int32, [CalendarPtr, c_int32_p, c_int32_p, ctypes.c_size_t,
                                                       c_int32_p]),
    "qf_calendar_add_working_days_bulk": (ctypes.c_int32, [CalendarPtr, c_int32_p, c_int32_p, ctypes.c_size_t,
                                                           c_int32_p]),
    "qf_calendar_elapsed_fraction_bulk": (ctypes.c_int32, [CalendarPtr, c_int32_p, c_int32_p, c_int32_p,
                                                           ctypes.c_size_t, c_double_p]),
    "qf_calendar_periods": (ctypes.c_int32, [CalendarPtr, ctypes.c_int32, ctypes.c_int32, ctypes.c_int32, c_int32_p,
                                             c_int32_p, c_int32_p, ctypes.c_size_t, c_size_p]),
    "qf_calendar_period_label": (ctypes.c_int32, [CalendarPtr, ctypes.c_int32, ctypes.c_int32, ctypes.c_char_p,
                                                  ctypes.c_size_t, c_size_p]),
}


def declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Sets restype/argtypes of every function used by the tests."""
    for name, (restype, argtypes) in PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib
