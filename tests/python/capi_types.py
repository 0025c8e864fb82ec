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


# --- hierarchies and target allocation -----------------------------------------------------------

QF_APPORTION_HAMILTON, QF_APPORTION_WEBSTER, QF_APPORTION_DHONDT, QF_APPORTION_HUNTINGTON_HILL = range(4)
QF_RECONCILE_BOTTOM_UP, QF_RECONCILE_TOP_DOWN, QF_RECONCILE_OLS, QF_RECONCILE_WLS_STRUCT = range(4)
QF_PLAN_SCALE, QF_PLAN_BLEND = range(2)
QF_TREE_OPTIONS_VERSION = 1
QF_PHASE_OPTIONS_VERSION = 1


class HierarchyHandle(ctypes.Structure):
    """Opaque `qf_hierarchy` (only ever used through pointers)."""


HierarchyPtr = ctypes.POINTER(HierarchyHandle)


class TreeOptions(ctypes.Structure):
    """`qf_tree_options` (version 1)."""

    _fields_ = [
        ("version", ctypes.c_uint32),
        ("method", ctypes.c_int32),
        ("over_assignment", ctypes.c_double),
        ("over_assignment_per_level", c_double_p),
        ("n_levels", ctypes.c_size_t),
        ("over_assignment_per_node", c_double_p),
        ("lower", c_int64_p),
        ("upper", c_int64_p),
    ]

    @classmethod
    def init(cls) -> "TreeOptions":  # QF_TREE_OPTIONS_INIT
        return cls(QF_TREE_OPTIONS_VERSION, QF_APPORTION_HAMILTON, 0.0, None, 0, None, None, None)


class PhaseOptions(ctypes.Structure):
    """`qf_phase_options` (version 1)."""

    _fields_ = [
        ("version", ctypes.c_uint32),
        ("grain", ctypes.c_int32),
        ("method", ctypes.c_int32),
        ("month_profile", c_double_p),
        ("weekday_profile", c_double_p),
        ("daily_profile", c_double_p),
        ("n_daily", ctypes.c_size_t),
    ]

    @classmethod
    def init(cls) -> "PhaseOptions":  # QF_PHASE_OPTIONS_INIT
        return cls(QF_PHASE_OPTIONS_VERSION, QF_GRAIN_MONTH, QF_APPORTION_HAMILTON, None, None, None, 0)


PROTOTYPES.update({
    "qf_hierarchy_create": (ctypes.c_int32, [ctypes.POINTER(HierarchyPtr), c_int32_p, ctypes.c_size_t]),
    "qf_hierarchy_destroy": (None, [HierarchyPtr]),
    "qf_hierarchy_info": (ctypes.c_int32, [HierarchyPtr, c_size_p, c_size_p, c_int32_p]),
    "qf_hierarchy_depths": (ctypes.c_int32, [HierarchyPtr, c_int32_p, ctypes.c_size_t]),
    "qf_hierarchy_leaves": (ctypes.c_int32, [HierarchyPtr, c_int32_p, ctypes.c_size_t]),
    "qf_hierarchy_preorder": (ctypes.c_int32, [HierarchyPtr, c_int32_p, ctypes.c_size_t]),
    "qf_hierarchy_rollup": (ctypes.c_int32, [HierarchyPtr, c_int64_p, ctypes.c_size_t, c_int64_p]),
    "qf_apportion": (ctypes.c_int32, [ctypes.c_int64, c_double_p, ctypes.c_size_t, ctypes.c_int32, c_int64_p,
                                      c_int64_p, c_int64_p]),
    "qf_allocate_tree": (ctypes.c_int32, [HierarchyPtr, ctypes.c_int64, c_double_p, ctypes.c_size_t,
                                          ctypes.POINTER(TreeOptions), c_int64_p, ctypes.c_size_t, c_double_p]),
    "qf_phase": (ctypes.c_int32, [CalendarPtr, ctypes.c_int64, ctypes.c_int32, ctypes.c_int32,
                                  ctypes.POINTER(PhaseOptions), c_int32_p, c_int32_p, c_int64_p, ctypes.c_size_t,
                                  c_size_p]),
    "qf_phase_many": (ctypes.c_int32, [CalendarPtr, c_int64_p, ctypes.c_size_t, ctypes.c_int32, ctypes.c_int32,
                                       ctypes.POINTER(PhaseOptions), c_int64_p, ctypes.c_size_t]),
    "qf_allocate_grid": (ctypes.c_int32, [c_int64_p, ctypes.c_size_t, c_int64_p, ctypes.c_size_t, c_double_p,
                                          c_int64_p]),
    "qf_reconcile": (ctypes.c_int32, [HierarchyPtr, c_double_p, ctypes.c_size_t, ctypes.c_int32, ctypes.c_int32,
                                      c_double_p, ctypes.c_size_t, c_double_p, c_int64_p]),
    "qf_reconcile_plan": (ctypes.c_int32, [HierarchyPtr, c_double_p, c_int64_p, ctypes.c_size_t, ctypes.c_int32,
                                           ctypes.c_double, c_int64_p, c_int64_p]),
})
