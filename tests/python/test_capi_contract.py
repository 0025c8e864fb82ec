"""The C ABI contract as a table: every exported qf_* function is called with each kind of bad
argument it can receive, and the test asserts the status code and that qf_last_error_message()
names the argument. test_every_exported_function_has_a_row fails when libquotaflow_c.so exports a
function that has no row here.

HOW TO ADD A ROW (one per exported function, in ROWS below):

    "qf_thing_create": Row(lambda f: [f.out(), f.hierarchy, f.f64([1.0, 2.0]), 2, None],
                           nullable={"options"},
                           bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n"),
                                Bad("weights", lambda f: f.f64([NAN, 1.0]), QF_ERR_INVALID_ARGUMENT, "weights[0]")]),

  - The lambda returns the arguments of one VALID call (it must return QF_OK). `f` is the Fixtures
    object below: ready handles (f.calendar, f.hierarchy, f.log, f.model, f.fit, f.check, ...),
    column makers (f.i32, f.i64, f.f64, f.u8, f.chars), f.out() for a `T** out` argument (the
    created handle is destroyed with qf_T_destroy after the call), f.size() / f.i32_out() for
    scalar outputs, f.struct("qf_x_options", field=value) for an options struct (filled from
    its _INIT macro, then the fields given).
  - Prototypes come from capi/include/quotaflow.h: nothing to declare.
  - Generated for you, from the header's parameter list: every pointer parameter set to NULL
    must give QF_ERR_NULL_POINTER naming it (list the ones the header says "may be NULL" in
    `nullable`); every `double` parameter set to NaN must be rejected naming it (list exceptions
    in `nan_ok`); every struct parameter with `version` 999 must give QF_ERR_INVALID_ARGUMENT
    naming "<param>->version".
  - `bad` adds the rest: Bad(param, value, status, text) replaces one argument (value may be a
    function of f) and expects `status` and `text` in the message (the argument's name, or a
    more exact "weights[0] is NaN"). Use them for lengths, NaN in columns, out-of-range enums,
    extreme int64 and unknown names.
  - Functions that return no qf_status (names, destroys, qf_free) use Plain(...) with a check.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from capi_types import (QF_ERR_BUFFER_TOO_SMALL, QF_ERR_INVALID_ARGUMENT, QF_ERR_IO, QF_ERR_NOT_FOUND,
                        QF_ERR_NULL_POINTER, QF_ERR_OUT_OF_RANGE, QF_ERR_OVERFLOW, QF_ERR_PARSE, QF_OK)

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = REPO_ROOT / "capi" / "include" / "quotaflow.h"
NAN = float("nan")
INF = float("inf")
I64_MIN, I64_MAX = -(2**63), 2**63 - 1



# --- the header, parsed -----------------------------------------------------------------------

@dataclass
class Param:
    ctype: str  # as written, e.g. "const qf_calendar*"
    name: str

    @property
    def stars(self) -> int:
        return self.ctype.count("*")

    @property
    def base(self) -> str:
        return self.ctype.replace("const", "").replace("*", "").strip()


@dataclass
class Function:
    name: str
    ret: str
    params: list[Param]


def _strip_comments(text: str) -> str:
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", text, flags=re.S))


def parse_header(text: str):
    body = _strip_comments(text).replace("\\\n", " ")  # macros continued over lines
    functions: dict[str, Function] = {}
    for m in re.finditer(r"QF_API\s+([\w\s\*]+?)\s*\b(qf_\w+)\s*\(([^)]*)\)\s*;", body):
        params = []
        for p in m.group(3).split(","):
            p = " ".join(p.split())
            if p in ("", "void"):
                continue
            pm = re.match(r"(.*?)\s*(\w+)$", p)
            params.append(Param(pm.group(1).replace(" *", "*"), pm.group(2)))
        functions[m.group(2)] = Function(m.group(2), " ".join(m.group(1).split()), params)
    constants: dict[str, Any] = {"NULL": None, "INT64_MIN": I64_MIN, "INT64_MAX": I64_MAX}
    for m in re.finditer(r"#define\s+(QF_\w+)\s+\(?(-?(?:0x[0-9a-fA-F]+|\d+))u?\)?\s*$", body, flags=re.M):
        constants[m.group(1)] = int(m.group(2), 0)
    for m in re.finditer(r"\b(QF_\w+)\s*=\s*(-?\d+)", body):
        constants[m.group(1)] = int(m.group(2))
    structs: dict[str, list[tuple[str, str]]] = {}
    for m in re.finditer(r"typedef struct (qf_\w+)\s*\{(.*?)\}\s*\1\s*;", body, flags=re.S):
        fields = []
        for decl in m.group(2).split(";"):
            decl = " ".join(decl.split())
            if decl:  # "int32_t from, to" declares two fields of one type
                first, *more = [part.strip() for part in decl.split(",")]
                fm = re.match(r"(.*?)\s*(\w+)$", first)
                ftype = fm.group(1).replace(" *", "*")
                fields += [(ftype, fm.group(2))] + [(ftype, name) for name in more]
        structs[m.group(1)] = fields
    inits: dict[str, list[str]] = {}
    for m in re.finditer(r"#define\s+(QF_\w+)_INIT\s+\{(.*)\}", body):
        inits[m.group(1)] = [v.strip() for v in m.group(2).split(",")]
    return functions, constants, structs, inits


FUNCTIONS, CONSTANTS, STRUCTS, INITS = parse_header(HEADER.read_text())
SCALARS = {"int32_t": ctypes.c_int32, "uint32_t": ctypes.c_uint32, "int64_t": ctypes.c_int64,
           "uint64_t": ctypes.c_uint64, "size_t": ctypes.c_size_t, "double": ctypes.c_double,
           "qf_status": ctypes.c_int32, "uint8_t": ctypes.c_uint8, "char": ctypes.c_char, "int": ctypes.c_int}


def ctype_of(ctype: str):
    base = ctype.replace("const", "").replace("*", "").strip()
    if "*" in ctype:
        return ctypes.c_char_p if base == "char" and ctype.count("*") == 1 and "const" in ctype else ctypes.c_void_p
    if base == "void":
        return None
    return SCALARS[base]


def is_struct_param(p: Param) -> bool:
    """A pointer to a versioned struct (options, stage, ...) as opposed to an opaque handle."""
    return p.stars == 1 and p.base in STRUCTS and STRUCTS[p.base][0][1] == "version"


def is_handle_out(p: Param) -> bool:
    return p.stars == 2 and p.base.startswith("qf_") and p.base not in STRUCTS


_struct_types: dict[str, type] = {}


def struct_type(name: str) -> type:
    if name not in _struct_types:
        fields = [(fname, ctypes.c_char_p if ("char" in t and t.count("*") == 1) else ctype_of(t))
                  for t, fname in STRUCTS[name]]
        _struct_types[name] = type(name, (ctypes.Structure,), {"_fields_": fields})
    return _struct_types[name]


def init_values(name: str) -> list:
    out = []
    for token in INITS[name.upper()]:
        token = token.rstrip("u") if re.fullmatch(r"-?\d+u", token) else token
        if token in CONSTANTS:
            out.append(CONSTANTS[token])
        elif re.fullmatch(r"-?\d+", token):
            out.append(int(token))
        else:
            out.append(float(token))
    return out


# --- fixtures: valid handles and argument makers -----------------------------------------------

class Fixtures:
    """Everything a row needs for one valid call. Handles are built once per session through the
    C ABI itself and destroyed at the end."""

    def __init__(self, lib: ctypes.CDLL, tmp: Path):
        self.lib, self.tmp = lib, tmp
        self._owned: list[tuple[str, ctypes.c_void_p]] = []  # fixture handles, destroyed by close()
        self.created: list[ctypes.c_void_p] = []  # the `out` of the current call
        self.calendar = self._make("qf_calendar_preset", "qf_calendar_destroy", b"CN")
        self.hierarchy = self._make("qf_hierarchy_create", "qf_hierarchy_destroy", self.i32([-1, 0, 0]), 3)
        # Two cases: 1 goes lead -> payment (won), 2 goes lead -> lost. Times in ns, an hour apart.
        hour = 3_600_000_000_000
        self.log = self._make("qf_log_create", "qf_log_destroy", self.i64([1, 1, 2, 2]), self.i32([0, 1, 0, 2]),
                              self.i64([0, hour, 2 * hour, 3 * hour]), 4, self.chars(["lead", "payment", "lost"]), 3,
                              None)
        self.model_json = MODEL_JSON.encode()
        self.model = self._make("qf_process_model_from_json", "qf_process_model_destroy", self.model_json,
                                len(self.model_json))
        self.fit = self._make("qf_process_fit_create", "qf_process_fit_destroy", self.model, self.log)
        self.check = self._make("qf_process_check_create", "qf_process_check_destroy", self.model, self.log, None)
        self.problems = self._make("qf_process_model_validate", "qf_process_problems_destroy", self.model, out_last=True)
        self.dfg = self._make("qf_dfg_create", "qf_dfg_destroy", self.log)
        self.variants = self._make("qf_variants_create", "qf_variants_destroy", self.log)
        self.profile = self._make("qf_temporal_profile_create", "qf_temporal_profile_destroy", self.log)
        self.deviations = self._make("qf_temporal_conformance_create", "qf_temporal_deviations_destroy", self.log,
                                     self.profile, 3.0)
        self.signals = self._make("qf_control_chart", "qf_chart_signals_destroy", self.f64([1.0, 2.0, 1.5, 9.0]), 4,
                                  None)
        # Three nodes x three months of 2025 (CN calendar), as of 2025-02-15.
        self.track = self._make("qf_track_create", "qf_track_destroy", self.hierarchy, self.calendar,
                                self.i64([900, 300, 300, 600, 300, 300, 300, 0, 0] * 1), self.i64([100] * 9), 9,
                                DAY_2025_01_01, DAY_2025_04_01, DAY_2025_02_15, None)
        self.plan_json = PLAN_JSON.encode()
        self.plan = self._make("qf_plan_create_json", "qf_plan_destroy", self.plan_json, len(self.plan_json), None)
        self.plans = (ctypes.c_void_p * 1)(self.plan.value)
        self._quota = (self.i32([0]), self.i32([DAY_2025_01_01]), self.i64([100_000]))  # kept alive
        self.payout_input = self.struct("qf_payout_input", n_people=1, n_quotas=1,
                                        **{k: ctypes.addressof(a) for k, a in zip(
                                            ("quota_person", "quota_from", "quota_amount"), self._quota)})
        self.payout_options = self.struct("qf_payout_options", start=DAY_2025_01_01, end=d(2025, 3, 1))
        self.payout = self._make("qf_payout_run", "qf_payout_destroy", self.plans, 1, self.calendar, self.payout_input,
                                 self.payout_options)
        n_lines = ctypes.c_size_t()
        assert lib.qf_payout_size(self.payout, None, None, ctypes.byref(n_lines)) == QF_OK
        self.n_payout_lines = n_lines.value
        self.monitor_plan = self.i64([900, 300, 300, 600, 300, 300, 300, 0, 0])
        self.monitor = self._make("qf_monitor_create", "qf_monitor_destroy", self.hierarchy, self.calendar,
                                  self.monitor_plan, 9, DAY_2025_01_01, DAY_2025_04_01, None)
        self.monitor_changes = self._make("qf_monitor_advance", "qf_monitor_changes_destroy", self.monitor,
                                          DAY_2025_02_15, out_last=True)
        n = ctypes.c_size_t()
        assert lib.qf_monitor_changes_count(self.monitor_changes, ctypes.byref(n)) == QF_OK
        self.n_monitor_changes = n.value
        assert lib.qf_monitor_save_to(self.monitor, None, 0, ctypes.byref(n)) == QF_OK
        self.monitor_blob = self.u8([0] * n.value)
        assert lib.qf_monitor_save_to(self.monitor, self.monitor_blob, n.value, None) == QF_OK
        self.calendar_csv = str(REPO_ROOT / "data" / "calendars" / "cn_official_2007_2026.csv").encode()
        self.model_path = str(tmp / "model.json").encode()
        (tmp / "model.json").write_bytes(self.model_json)
        self.log_csv = str(tmp / "log.csv").encode()
        (tmp / "log.csv").write_text("case:concept:name,concept:name,time:timestamp\n"
                                     "a,lead,2025-01-02T10:00:00\na,payment,2025-01-03T10:00:00\n")

    def _make(self, create: str, destroy: str, *args, out_last: bool = False) -> ctypes.c_void_p:
        handle = ctypes.c_void_p()
        full = [*args, ctypes.byref(handle)] if out_last else [ctypes.byref(handle), *args]
        status = getattr(self.lib, create)(*full)
        assert status == QF_OK, f"fixture {create}: {status} {self.lib.qf_last_error_message()!r}"
        self._owned.append((destroy, handle))
        return handle

    def close(self) -> None:
        for destroy, handle in reversed(self._owned):
            getattr(self.lib, destroy)(handle)

    # Argument makers. Columns are ctypes arrays; they stay alive as long as the argument list.
    @staticmethod
    def column(ctype, values):
        return (ctype * max(len(values), 1))(*values)

    i32 = staticmethod(lambda values: Fixtures.column(ctypes.c_int32, values))
    i64 = staticmethod(lambda values: Fixtures.column(ctypes.c_int64, values))
    f64 = staticmethod(lambda values: Fixtures.column(ctypes.c_double, values))
    u8 = staticmethod(lambda values: Fixtures.column(ctypes.c_uint8, values))
    chars = staticmethod(lambda names: Fixtures.column(ctypes.c_char_p, [n.encode() for n in names]))
    # Output columns of n zeros.
    i32s = staticmethod(lambda n: (ctypes.c_int32 * n)())
    i64s = staticmethod(lambda n: (ctypes.c_int64 * n)())
    f64s = staticmethod(lambda n: (ctypes.c_double * n)())

    @staticmethod
    def buf(n=4096):
        return ctypes.create_string_buffer(n)

    @staticmethod
    def size():
        return ctypes.byref(ctypes.c_size_t())

    @staticmethod
    def u32_out():
        return ctypes.byref(ctypes.c_uint32())

    @staticmethod
    def ptr_out():
        return ctypes.byref(ctypes.c_void_p())

    def out(self):
        """A `T** out` argument; the handle a successful call creates is destroyed afterwards."""
        holder = ctypes.c_void_p()
        self.created.append(holder)
        return ctypes.byref(holder)

    @staticmethod
    def struct(type_name: str, **fields):
        s = struct_type(type_name)()
        for (_, fname), value in zip(STRUCTS[type_name], init_values(type_name)):
            if isinstance(s, ctypes.Structure) and dict(s._fields_)[fname] is ctypes.c_char:
                value = bytes([value or 0])
            setattr(s, fname, value)
        for fname, value in fields.items():
            setattr(s, fname, value)
        return ctypes.pointer(s)


def d(y, m, dd):
    import datetime as dt
    return (dt.date(y, m, dd) - dt.date(1970, 1, 1)).days


DAY_2025_01_01, DAY_2025_02_15, DAY_2025_04_01 = d(2025, 1, 1), d(2025, 2, 15), d(2025, 4, 1)
PLAN_JSON = """{"name": "AE", "components": [{"name": "sales", "type": "commission", "method": "marginal",
 "tiers": [{"from": 0, "rate": 0.02}, {"from": 1, "rate": 0.05}], "cap": 30000}]}"""
MODEL_JSON = """{"schema": "quotaflow.process_model/1", "name": "m", "start": "lead",
 "stages": [{"name": "lead", "expected_duration": 1, "max_duration": 3, "required": true},
            {"name": "payment", "terminal": "won", "required": true}, {"name": "lost", "terminal": "lost"}],
 "transitions": [{"from": "lead", "to": "payment"}, {"from": "lead", "to": "lost"}]}"""
SCORECARD_JSON = (b'{"kpis": [{"measure": "attainment", "weight": 100, '
                  b'"curve": {"kind": "linear", "threshold": 0.8, "target": 1}}, '
                  b'{"measure": "collection_rate", "weight": 0, "gate": {"below": 0.8}}]}')


# --- the table --------------------------------------------------------------------------------

@dataclass
class Bad:
    param: str
    value: Any  # or a function of the Fixtures
    status: int
    text: str  # must occur in qf_last_error_message()


@dataclass
class Row:
    call: Callable[[Fixtures], list]
    nullable: set = field(default_factory=set)  # pointer parameters the header allows to be NULL
    nan_ok: set = field(default_factory=set)  # double parameters where NaN means "not set"
    bad: list = field(default_factory=list)


@dataclass
class Plain:
    """A function without a qf_status: check(f, lib) exercises its bad arguments."""
    check: Callable[[Fixtures, ctypes.CDLL], None]


def _names_unknown(fn):
    def check(f, lib):
        assert getattr(lib, fn)(-1) == b"unknown"
        assert getattr(lib, fn)(1 << 30) == b"unknown"
    return Plain(check)


def _destroy_accepts_null(fn):
    return Plain(lambda f, lib: getattr(lib, fn)(None))


def _version(f, lib):
    assert lib.qf_version().decode().count(".") == 2
    assert lib.qf_version_number() == CONSTANTS["QF_VERSION_MAJOR"] * 10000 + CONSTANTS["QF_VERSION_MINOR"] * 100


def _last_error(f, lib):
    assert lib.qf_amount_add(I64_MAX, 1, None) == QF_ERR_NULL_POINTER
    assert b"out" in lib.qf_last_error_message()


def _status_name(f, lib):
    assert lib.qf_status_name(QF_ERR_NULL_POINTER) == b"null_pointer"
    assert lib.qf_status_name(1) == b"unknown" and lib.qf_status_name(-1000) == b"unknown"


def _unknown_alert(lib, status):
    """Snoozing or acknowledging a key no alert has is an error with a message, not a crash."""
    assert status not in (QF_OK, -10) and lib.qf_last_error_message(), (status, lib.qf_last_error_message())


def _free(f, lib):
    lib.qf_free(None)



_kept_alive: list = []


def _sale_columns(f, nodes):
    """A qf_monitor_sale_columns over one batch of sales at `nodes` (its arrays kept alive)."""
    cols = (f.i32(nodes), f.i32([DAY_2025_01_01 + 3] * len(nodes)), f.i64([5] * len(nodes)))
    _kept_alive.append(cols)
    return f.struct("qf_monitor_sale_columns", n=len(nodes),
                    **{k: ctypes.addressof(a) for k, a in zip(("node", "date", "amount"), cols)})

ROWS: dict[str, Row | Plain] = {
    # core
    "qf_version": Plain(_version),
    "qf_version_number": Plain(_version),
    "qf_last_error_message": Plain(_last_error),
    "qf_status_name": Plain(_status_name),
    "qf_free": Plain(_free),
    "qf_amount_parse": Row(lambda f: [b"12.34", 2, f.i64s(1)],
                           bad=[Bad("text", b"12.3.4", QF_ERR_PARSE, "12.3.4"),
                                Bad("text", b"99999999999999999999", QF_ERR_OVERFLOW, "99999999999999999999"),
                                Bad("scale", -1, QF_ERR_INVALID_ARGUMENT, "scale is -1")]),
    "qf_amount_format": Row(lambda f: [1234, 2, f.buf(), 64, f.size()], nullable={"needed"},
                            bad=[Bad("capacity", 3, QF_ERR_BUFFER_TOO_SMALL, "buf"),
                                 Bad("scale", 99, QF_ERR_INVALID_ARGUMENT, "scale is 99")]),
    "qf_amount_add": Row(lambda f: [1, 2, f.i64s(1)], bad=[Bad("b", I64_MAX, QF_ERR_OVERFLOW, "overflow")]),
    "qf_amount_sub": Row(lambda f: [1, 2, f.i64s(1)], bad=[Bad("b", I64_MIN, QF_ERR_OVERFLOW, "overflow")]),
    "qf_amount_mul": Row(lambda f: [3, 2, f.i64s(1)], bad=[Bad("k", I64_MAX, QF_ERR_OVERFLOW, "overflow")]),
    "qf_date_from_ymd": Row(lambda f: [2025, 2, 28, f.i32s(1)],
                            bad=[Bad("month", 13, QF_ERR_INVALID_ARGUMENT, "13"),
                                 Bad("day", 29, QF_ERR_INVALID_ARGUMENT, "29")]),
    "qf_date_to_ymd": Row(lambda f: [20000, f.i32s(1), f.i32s(1), f.i32s(1)]),
    "qf_date_parse": Row(lambda f: [b"2025-02-28", f.i32s(1)],
                         bad=[Bad("text", b"2025-02-30", QF_ERR_PARSE, "2025-02-30")]),
    # calendars
    "qf_calendar_create": Row(lambda f: [f.out(), f.struct("qf_calendar_options"), f.i32([20000]), 1, None, 0],
                              nullable={"workdays", "options"},
                              bad=[Bad("n_workdays", 2, QF_ERR_NULL_POINTER, "workdays"),
                                   Bad("holidays", lambda f: f.i32([10**8]), QF_ERR_OUT_OF_RANGE, "holidays[0]")]),
    "qf_calendar_preset": Row(lambda f: [f.out(), b"CN"], bad=[Bad("name", b"Atlantis", QF_ERR_NOT_FOUND, "Atlantis")]),
    "qf_calendar_from_csv": Row(lambda f: [f.out(), f.calendar_csv, f.struct("qf_calendar_options")],
                                nullable={"options"},
                                bad=[Bad("path", b"/nonexistent/cal.csv", QF_ERR_IO, "/nonexistent/cal.csv")]),
    "qf_calendar_destroy": _destroy_accepts_null("qf_calendar_destroy"),
    "qf_calendar_info": Row(lambda f: [f.calendar, f.i32s(1), f.i32s(1), f.i32s(1)],
                            nullable={"valid_from", "valid_until", "fiscal_year_start_month"}),
    "qf_calendar_is_working_day": Row(lambda f: [f.calendar, DAY_2025_02_15, f.i32s(1)],
                                      bad=[Bad("date", 0, QF_ERR_OUT_OF_RANGE, "date")]),
    "qf_calendar_working_days": Row(lambda f: [f.calendar, DAY_2025_01_01, DAY_2025_04_01, f.i32s(1)],
                                    bad=[Bad("end", 0, QF_ERR_INVALID_ARGUMENT, "end")]),
    "qf_calendar_add_working_days": Row(lambda f: [f.calendar, DAY_2025_01_01, 5, f.i32s(1)],
                                        bad=[Bad("n", 1 << 30, QF_ERR_OUT_OF_RANGE, "n")]),
    "qf_calendar_elapsed_fraction": Row(lambda f: [f.calendar, DAY_2025_01_01, DAY_2025_04_01, DAY_2025_02_15,
                                                   f.f64s(1)],
                                        bad=[Bad("end", 0, QF_ERR_INVALID_ARGUMENT, "end")]),
    "qf_calendar_is_working_day_bulk": Row(lambda f: [f.calendar, f.i32([DAY_2025_01_01]), 1, f.u8([0])],
                                           bad=[Bad("dates", lambda f: f.i32([0]), QF_ERR_OUT_OF_RANGE, "dates[0]")]),
    "qf_calendar_working_days_bulk": Row(lambda f: [f.calendar, f.i32([DAY_2025_01_01]), f.i32([DAY_2025_04_01]), 1,
                                                    f.i32s(1)],
                                         bad=[Bad("ends", lambda f: f.i32([0]), QF_ERR_INVALID_ARGUMENT, "[0]")]),
    "qf_calendar_add_working_days_bulk": Row(lambda f: [f.calendar, f.i32([DAY_2025_01_01]), f.i32([3]), 1, f.i32s(1)],
                                             bad=[Bad("dates", lambda f: f.i32([0]), QF_ERR_OUT_OF_RANGE, "[0]")]),
    "qf_calendar_elapsed_fraction_bulk": Row(lambda f: [f.calendar, f.i32([DAY_2025_01_01]), f.i32([DAY_2025_04_01]),
                                                        f.i32([DAY_2025_02_15]), 1, f.f64s(1)],
                                             bad=[Bad("ends", lambda f: f.i32([0]), QF_ERR_INVALID_ARGUMENT, "[0]")]),
    "qf_calendar_periods": Row(lambda f: [f.calendar, DAY_2025_01_01, DAY_2025_04_01, CONSTANTS["QF_GRAIN_MONTH"],
                                          f.i32s(3), f.i32s(3), f.i32s(3), 3, f.size()],
                               nullable={"count"},
                               bad=[Bad("grain", 99, QF_ERR_INVALID_ARGUMENT, "grain"),
                                    Bad("capacity", 2, QF_ERR_BUFFER_TOO_SMALL, "capacity"),
                                    Bad("end", 0, QF_ERR_INVALID_ARGUMENT, "end")]),
    "qf_calendar_period_label": Row(lambda f: [f.calendar, DAY_2025_02_15, CONSTANTS["QF_GRAIN_MONTH"], f.buf(), 64,
                                               f.size()],
                                    nullable={"needed"},
                                    bad=[Bad("grain", -1, QF_ERR_INVALID_ARGUMENT, "grain"),
                                         Bad("capacity", 2, QF_ERR_BUFFER_TOO_SMALL, "buf")]),
    # hierarchies and allocation
    "qf_hierarchy_create": Row(lambda f: [f.out(), f.i32([-1, 0, 0]), 3],
                               bad=[Bad("parents", lambda f: f.i32([-1, 5, 0]), QF_ERR_INVALID_ARGUMENT, "parents[1]"),
                                    Bad("parents", lambda f: f.i32([1, 0, 0]), QF_ERR_INVALID_ARGUMENT, "parents")]),
    "qf_hierarchy_destroy": _destroy_accepts_null("qf_hierarchy_destroy"),
    "qf_hierarchy_info": Row(lambda f: [f.hierarchy, f.size(), f.size(), f.i32s(1)],
                             nullable={"n_nodes", "n_leaves", "max_depth"}),
    "qf_hierarchy_depths": Row(lambda f: [f.hierarchy, f.i32s(3), 3], bad=[Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_hierarchy_leaves": Row(lambda f: [f.hierarchy, f.i32s(2), 2], bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_hierarchy_preorder": Row(lambda f: [f.hierarchy, f.i32s(3), 3], bad=[Bad("n", 4, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_hierarchy_rollup": Row(lambda f: [f.hierarchy, f.i64([0, 1, 2]), 3, f.i64s(3)],
                               bad=[Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n"),
                                    Bad("values", lambda f: f.i64([0, I64_MAX, 1]), QF_ERR_OVERFLOW, "")]),
    "qf_apportion": Row(lambda f: [100, f.f64([1.0, 2.0]), 2, 0, None, None, f.i64s(2)], nullable={"lower", "upper"},
                        bad=[Bad("weights", lambda f: f.f64([NAN, 1.0]), QF_ERR_INVALID_ARGUMENT, "weights[0] is NaN"),
                             Bad("weights", lambda f: f.f64([1.0, -INF]), QF_ERR_INVALID_ARGUMENT, "weights[1]"),
                             Bad("method", 9, QF_ERR_INVALID_ARGUMENT, "method is 9")]),
    "qf_allocate_tree": Row(lambda f: [f.hierarchy, 100, f.f64([1.0, 3.0]), 2, None, f.i64s(3), 3, None],
                            nullable={"options", "quotas"},
                            bad=[Bad("weights", lambda f: f.f64([NAN, 1.0]), QF_ERR_INVALID_ARGUMENT, "weights[0]"),
                                 Bad("n_weights", 1, QF_ERR_INVALID_ARGUMENT, "weights has 1 elements"),
                                 Bad("n_out", 2, QF_ERR_INVALID_ARGUMENT, "out has length 2")]),
    "qf_phase": Row(lambda f: [f.calendar, 300, DAY_2025_01_01, DAY_2025_04_01, None, f.i32s(3), f.i32s(3),
                               f.i64s(3), 3, f.size()],
                    nullable={"options", "period_starts", "period_ends"},
                    bad=[Bad("end", 0, QF_ERR_INVALID_ARGUMENT, "end"),
                         Bad("capacity", 2, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_phase_many": Row(lambda f: [f.calendar, f.i64([300, 30]), 2, DAY_2025_01_01, DAY_2025_04_01, None,
                                    f.i64s(6), 3],
                         nullable={"options"},
                         bad=[Bad("n_periods", 4, QF_ERR_INVALID_ARGUMENT, "n_periods")]),
    "qf_allocate_grid": Row(lambda f: [f.i64([10, 20]), 2, f.i64([15, 15]), 2, f.f64([1.0] * 4), f.i64s(4)],
                            bad=[Bad("col_totals", lambda f: f.i64([15, 16]), QF_ERR_INVALID_ARGUMENT, ""),
                                 Bad("seed", lambda f: f.f64([1.0, NAN, 1.0, 1.0]), QF_ERR_INVALID_ARGUMENT, "seed")]),
    "qf_reconcile": Row(lambda f: [f.hierarchy, f.f64([10.0, 4.0, 5.0]), 3, CONSTANTS["QF_RECONCILE_OLS"], 0, None, 0,
                                   f.f64s(3), f.i64s(3)],
                        nullable={"history", "out_real", "out_int"},
                        bad=[Bad("base", lambda f: f.f64([NAN, 4.0, 5.0]), QF_ERR_INVALID_ARGUMENT, "base[0]"),
                             Bad("method", 9, QF_ERR_INVALID_ARGUMENT, "method"),
                             Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_reconcile_plan": Row(lambda f: [f.hierarchy, f.f64([10.0, 4.0, 6.0]), f.i64([0, 5, 5]), 3,
                                        CONSTANTS["QF_PLAN_SCALE"], 0.5, f.i64s(3), f.i64s(3)],
                             nullable={"bottom_up_rollup"}, nan_ok=set(),
                             bad=[Bad("method", 9, QF_ERR_INVALID_ARGUMENT, "method"),
                                  Bad("top_down", lambda f: f.f64([INF, 4.0, 6.0]), QF_ERR_INVALID_ARGUMENT, "top_down[0] is inf"),
                                  Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n")]),
    # event logs
    "qf_log_create": Row(lambda f: [f.out(), f.i64([1, 1]), f.i32([0, 1]), f.i64([0, 10]), 2, f.chars(["a", "b"]), 2,
                                    None],
                         nullable={"options"},
                         bad=[Bad("activities", lambda f: f.i32([0, 7]), QF_ERR_OUT_OF_RANGE, "activities[1]"),
                              Bad("timestamps_ns", lambda f: f.i64([0, I64_MIN]), QF_ERR_INVALID_ARGUMENT, "1"),
                              Bad("n", 0, QF_ERR_INVALID_ARGUMENT, "empty")]),
    "qf_log_read_csv": Row(lambda f: [f.out(), f.log_csv, None], nullable={"options"},
                           bad=[Bad("path", b"/nonexistent/log.csv", QF_ERR_IO, "/nonexistent/log.csv")]),
    "qf_log_destroy": _destroy_accepts_null("qf_log_destroy"),
    "qf_log_info": Row(lambda f: [f.log, f.size(), f.size(), f.size(), f.size()],
                       nullable={"n_events", "n_cases", "n_activities", "n_resources"}),
    "qf_log_activity_name": Row(lambda f: [f.log, 1, f.buf(), 64, f.size()], nullable={"needed"},
                                bad=[Bad("activity", 3, QF_ERR_OUT_OF_RANGE, "activity")]),
    "qf_log_case_name": Row(lambda f: [f.log, 1, f.buf(), 64, f.size()], nullable={"needed"},
                            bad=[Bad("case_index", 2, QF_ERR_OUT_OF_RANGE, "case 2")]),
    "qf_log_find_activity": Row(lambda f: [f.log, b"lost", f.i32s(1)],
                                bad=[Bad("name", b"nope", QF_ERR_NOT_FOUND, "nope")]),
    "qf_log_case_offsets": Row(lambda f: [f.log, f.i64s(3), 3], bad=[Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_log_events": Row(lambda f: [f.log, f.i32s(4), f.i64s(4), f.i64s(4), 4],
                         nullable={"activities", "timestamps_ns", "source_rows"},
                         bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_log_start_activities": Row(lambda f: [f.log, f.i32s(3), f.i64s(3), 3, f.size()],
                                   nullable={"activity", "count", "n"},
                                   bad=[Bad("capacity", 0, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_log_end_activities": Row(lambda f: [f.log, f.i32s(3), f.i64s(3), 3, f.size()],
                                 nullable={"activity", "count", "n"},
                                 bad=[Bad("capacity", 1, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_dfg_create": Row(lambda f: [f.out(), f.log]),
    "qf_dfg_destroy": _destroy_accepts_null("qf_dfg_destroy"),
    "qf_dfg_size": Row(lambda f: [f.dfg, f.size()]),
    "qf_dfg_edges": Row(lambda f: [f.dfg, f.i32s(4), f.i32s(4), f.i64s(4), 4], nullable={"source", "target", "count"},
                        bad=[Bad("capacity", 1, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_dfg_times": Row(lambda f: [f.dfg, *[f.f64s(4) for _ in range(6)], 4],
                        nullable={"mean", "median", "min", "max", "sum", "stdev"},
                        bad=[Bad("capacity", 1, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_variants_create": Row(lambda f: [f.out(), f.log]),
    "qf_variants_destroy": _destroy_accepts_null("qf_variants_destroy"),
    "qf_variants_size": Row(lambda f: [f.variants, f.size(), f.size()], nullable={"n_variants", "n_activities"}),
    "qf_variants_columns": Row(lambda f: [f.variants, f.i64s(3), f.i64s(2), f.i64s(2), 2, f.i32s(4), 4],
                               nullable={"offsets", "count", "first_case", "activities"},
                               bad=[Bad("n_variants", 1, QF_ERR_INVALID_ARGUMENT, "n_variants"),
                                    Bad("n_activities", 3, QF_ERR_BUFFER_TOO_SMALL, "activities has capacity 3")]),
    "qf_variants_of_cases": Row(lambda f: [f.variants, f.i32s(2), 2],
                                bad=[Bad("n_cases", 3, QF_ERR_INVALID_ARGUMENT, "n_cases")]),
    "qf_temporal_profile_create": Row(lambda f: [f.out(), f.log]),
    "qf_temporal_profile_from_columns": Row(
        lambda f: [f.out(), f.chars(["lead", "payment"]), 2, f.i32([0]), f.i32([1]), f.f64([3600.0]), f.f64([60.0]), 1],
        bad=[Bad("mean", lambda f: f.f64([NAN]), QF_ERR_INVALID_ARGUMENT, "mean[0]"),
             Bad("stdev", lambda f: f.f64([-1.0]), QF_ERR_INVALID_ARGUMENT, "stdev[0]"),
             Bad("target", lambda f: f.i32([2]), QF_ERR_OUT_OF_RANGE, "target[0]")]),
    "qf_temporal_profile_destroy": _destroy_accepts_null("qf_temporal_profile_destroy"),
    "qf_temporal_profile_size": Row(lambda f: [f.profile, f.size()]),
    "qf_temporal_profile_columns": Row(lambda f: [f.profile, f.i32s(9), f.i32s(9), f.i64s(9), f.f64s(9), f.f64s(9), 9],
                                       nullable={"source", "target", "count", "mean", "stdev"},
                                       bad=[Bad("capacity", 0, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_temporal_conformance_create": Row(lambda f: [f.out(), f.log, f.profile, 3.0],
                                          bad=[Bad("zeta", -1.0, QF_ERR_INVALID_ARGUMENT, "zeta")]),
    "qf_temporal_deviations_destroy": _destroy_accepts_null("qf_temporal_deviations_destroy"),
    "qf_temporal_deviations_size": Row(lambda f: [f.deviations, f.size()]),
    "qf_temporal_deviations_columns": Row(lambda f: [f.deviations, f.i64s(9), f.i32s(9), f.i32s(9), f.i32s(9),
                                                     f.i32s(9), f.f64s(9), f.f64s(9), 9],
                                          nullable={"case_index", "source_position", "target_position", "source",
                                                    "target", "seconds", "zeta"}),
    # process models
    "qf_process_model_create": Row(lambda f: [f.out(), b"m", 0], nullable={"name"},
                                   bad=[Bad("duration_unit", 7, QF_ERR_INVALID_ARGUMENT, "duration_unit")]),
    "qf_process_model_destroy": _destroy_accepts_null("qf_process_model_destroy"),
    "qf_process_model_add_stage": Row(lambda f: [f.scratch_model(), f.struct("qf_process_stage", name=b"s"), f.i32s(1)],
                                      nullable={"index"},
                                      bad=[Bad("stage", lambda f: f.struct("qf_process_stage", name=b"s",
                                                                           win_probability=2.0),
                                               QF_ERR_INVALID_ARGUMENT, "win_probability")]),
    "qf_process_model_add_activity": Row(lambda f: [f.scratch_model(), 0, f.struct("qf_process_activity", name=b"a"),
                                                    f.i32s(1)],
                                         nullable={"index"},
                                         bad=[Bad("stage", 5, QF_ERR_OUT_OF_RANGE, "stage")]),
    "qf_process_model_add_transition": Row(lambda f: [f.scratch_model(), f.struct("qf_process_transition", **{
        "from": 0, "to": 1}), f.i32s(1)], nullable={"index"}),
    "qf_process_model_set_start": Row(lambda f: [f.scratch_model(), 0],
                                      bad=[Bad("stage", 5, QF_ERR_OUT_OF_RANGE, "stage")]),
    "qf_process_model_find_stage": Row(lambda f: [f.model, b"lost", f.i32s(1)],
                                       bad=[Bad("name", b"nope", QF_ERR_NOT_FOUND, "nope")]),
    "qf_process_model_info": Row(lambda f: [f.model, f.size(), f.size(), f.size(), f.i32s(1), f.i32s(1)],
                                 nullable={"n_stages", "n_activities", "n_transitions", "start", "duration_unit"}),
    "qf_process_model_stage_name": Row(lambda f: [f.model, 1, f.buf(), 64, f.size()], nullable={"needed"},
                                       bad=[Bad("stage", 3, QF_ERR_OUT_OF_RANGE, "stage")]),
    "qf_process_model_from_json": Row(lambda f: [f.out(), f.model_json, len(f.model_json)],
                                      bad=[Bad("length", 5, QF_ERR_PARSE, "line 1")]),
    "qf_process_model_load": Row(lambda f: [f.out(), f.model_path],
                                 bad=[Bad("path", b"/nonexistent/m.json", QF_ERR_IO, "/nonexistent/m.json")]),
    "qf_process_model_save": Row(lambda f: [f.model, str(f.tmp / "saved.json").encode()],
                                 bad=[Bad("path", b"/nonexistent/dir/m.json", QF_ERR_IO, "/nonexistent/dir/m.json")]),
    "qf_process_model_to_json": Row(lambda f: [f.model, f.buf(8192), 8192, f.size()], nullable={"needed"},
                                    bad=[Bad("capacity", 4, QF_ERR_BUFFER_TOO_SMALL, "buf")]),
    "qf_process_model_to_dot": Row(lambda f: [f.model, f.fit, f.buf(16384), 16384, f.size()],
                                   nullable={"fit", "needed"},
                                   bad=[Bad("capacity", 4, QF_ERR_BUFFER_TOO_SMALL, "buf")]),
    "qf_process_model_validate": Row(lambda f: [f.model, f.out()]),
    "qf_process_problems_destroy": _destroy_accepts_null("qf_process_problems_destroy"),
    "qf_process_problems_count": Row(lambda f: [f.problems, f.size()]),
    "qf_process_problems_get": Row(lambda f: [f.invalid_problems(), 0, f.i32s(1), f.i32s(1), f.ptr_out()],
                                   nullable={"kind", "stage", "message"},
                                   bad=[Bad("i", 99, QF_ERR_OUT_OF_RANGE, "i")]),
    "qf_process_model_mandatory_stages": Row(lambda f: [f.model, f.i32s(3), 3, f.size()],
                                             bad=[Bad("capacity", 1, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_process_model_critical_path": Row(lambda f: [f.model, f.i32s(3), 3, f.size(), f.f64s(1)],
                                          nullable={"total"},
                                          bad=[Bad("capacity", 1, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_process_fit_create": Row(lambda f: [f.out(), f.model, f.log]),
    "qf_process_fit_destroy": _destroy_accepts_null("qf_process_fit_destroy"),
    "qf_process_fit_stages": Row(lambda f: [f.fit, *[f.f64s(3) for _ in range(4)], f.i64s(3), 3],
                                 nullable={"win_probability", "expected_seconds_to_terminal", "sojourn_mean_seconds",
                                           "sojourn_median_seconds", "stays"},
                                 bad=[Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_fit_funnel": Row(lambda f: [f.fit, *[f.i64s(3) for _ in range(4)], 3],
                                 nullable={"entered", "won", "lost", "open"},
                                 bad=[Bad("n", 4, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_fit_moves": Row(lambda f: [f.fit, f.i64s(9), f.f64s(9), f.f64s(9), 9],
                                nullable={"counts", "probabilities", "mean_seconds"},
                                bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_deviation_kind_name": _names_unknown("qf_deviation_kind_name"),
    "qf_process_check_create": Row(lambda f: [f.out(), f.model, f.log, None], nullable={"options"}),
    "qf_process_check_destroy": _destroy_accepts_null("qf_process_check_destroy"),
    "qf_process_check_info": Row(lambda f: [f.check, f.size(), f.size(), f.i64s(1), f.i64s(1), f.f64s(1)],
                                 nullable={"n_cases", "n_deviations", "fitting_cases", "conforming_cases",
                                           "mean_fitness"}),
    "qf_process_check_cases": Row(lambda f: [f.check, f.f64s(2), f.i32s(2), f.i32s(2), f.i64s(2), 2],
                                  nullable={"fitness", "final_stage", "outcome", "n_deviations"},
                                  bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_check_tokens": Row(lambda f: [f.check, f.i32s(2), f.i32s(2), f.i32s(2), f.i32s(2), 2],
                                   nullable={"produced", "consumed", "missing", "remaining"},
                                   bad=[Bad("n", 1, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_check_deviations": Row(lambda f: [f.check, f.i32s(1), f.i64s(1), f.i32s(1), f.i32s(1), f.f64s(1),
                                                  f.f64s(1), f.n_deviations()],
                                       nullable={"kind", "case_index", "stage", "detail", "value", "limit"},
                                       bad=[Bad("n", 7, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_check_deviation_events": Row(lambda f: [f.check, *[f.i64s(1), f.i64s(1), f.i32s(1), f.i32s(1),
                                                                   f.i64s(1), f.i64s(1)], f.n_deviations()],
                                             nullable={"first_position", "second_position", "first_activity",
                                                       "second_activity", "first_time_ns", "second_time_ns"},
                                             bad=[Bad("n", 7, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_check_message": Row(lambda f: [f.deviating_check(), 0, f.buf(), 4096, f.size()], nullable={"needed"},
                                    bad=[Bad("i", 99, QF_ERR_OUT_OF_RANGE, "i")]),
    "qf_process_check_by_kind": Row(lambda f: [f.check, f.i64s(CONSTANTS["QF_DEVIATION_KINDS"]),
                                               CONSTANTS["QF_DEVIATION_KINDS"]],
                                    bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_check_by_stage": Row(lambda f: [f.check, f.i64s(3 * CONSTANTS["QF_DEVIATION_KINDS"]),
                                                3 * CONSTANTS["QF_DEVIATION_KINDS"]],
                                     bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_process_check_path_count": Row(lambda f: [f.check, f.size()]),
    "qf_process_check_path": Row(lambda f: [f.deviating_check(), 0, f.i32s(8), 8, f.size(), f.i64s(1)],
                                 nullable={"cases", "count"},
                                 bad=[Bad("i", 99, QF_ERR_OUT_OF_RANGE, "i")]),
    # control charts
    "qf_control_chart": Row(lambda f: [f.out(), f.f64([1.0, 2.0, 1.5]), 3, None], nullable={"options"},
                            bad=[Bad("values", lambda f: f.f64([1.0, NAN, 1.5]), QF_ERR_INVALID_ARGUMENT,
                                     "values[1] is NaN"),
                                 Bad("options", lambda f: f.struct("qf_chart_options", h=-1.0, chart=1),
                                     QF_ERR_INVALID_ARGUMENT, "h")]),
    "qf_control_charts": Row(lambda f: [f.out(), f.f64([1.0, 2.0, 1.5, 1.0]), 2, 2, None], nullable={"options"},
                             bad=[Bad("values", lambda f: f.f64([1.0, 2.0, INF, 1.0]), QF_ERR_INVALID_ARGUMENT,
                                      "values[1, 0]"),
                                  Bad("n_points", 0, QF_ERR_INVALID_ARGUMENT, "n_points")]),
    "qf_chart_signals_destroy": _destroy_accepts_null("qf_chart_signals_destroy"),
    "qf_chart_signals_size": Row(lambda f: [f.signals, f.size(), f.size()], nullable={"n_signals", "n_series"}),
    "qf_chart_signals_columns": Row(lambda f: [f.signals, f.i64s(8), f.i64s(8), f.i32s(8), *[f.f64s(8) for _ in
                                                                                           range(4)], 8],
                                    nullable={"series", "index", "rule", "value", "center", "lower", "upper"}),
    "qf_chart_signals_parameters": Row(lambda f: [f.signals, f.f64s(1), f.f64s(1), 1], nullable={"center", "sigma"},
                                       bad=[Bad("capacity", 0, QF_ERR_BUFFER_TOO_SMALL, "capacity")]),
    "qf_chart_rule_name": _names_unknown("qf_chart_rule_name"),
    "qf_chart_rules_parse": Row(lambda f: [b"nelson1, we4", f.u32_out()],
                                bad=[Bad("names", b"nelson9", QF_ERR_INVALID_ARGUMENT, "nelson9")]),
    # roll-up and tracking
    "qf_rollup": Row(lambda f: [f.hierarchy, f.calendar, f.i32([1, 2]), f.i32([DAY_2025_01_01, DAY_2025_01_01 + 1]),
                                f.i64([5, 7]), 2, DAY_2025_01_01, DAY_2025_04_01, CONSTANTS["QF_GRAIN_MONTH"],
                                f.i64s(9), 9, f.size(), f.i64s(1), f.i64s(1)],
                     nullable={"n_periods", "outside_count", "outside_amount"},
                     bad=[Bad("node_of_fact", lambda f: f.i32([1, 9]), QF_ERR_NOT_FOUND, "node_of_fact[1]"),
                          Bad("date_of_fact", lambda f: f.i32([0, 0]), QF_ERR_OUT_OF_RANGE, "date_of_fact[0]"),
                          Bad("amount_of_fact", lambda f: f.i64([I64_MAX, 7]), QF_ERR_OVERFLOW, "overflows int64"),
                          Bad("n_out", 8, QF_ERR_INVALID_ARGUMENT, "n_out")]),
    "qf_track_create": Row(lambda f: [f.out(), f.hierarchy, f.calendar, f.i64([3] * 9), f.i64([1] * 9), 9,
                                      DAY_2025_01_01, DAY_2025_04_01, DAY_2025_02_15, None],
                           nullable={"options"},
                           bad=[Bad("n_cells", 8, QF_ERR_INVALID_ARGUMENT, "plan has 8 values"),
                                Bad("options", lambda f: f.struct("qf_track_options", ahead_pace=NAN),
                                    QF_ERR_INVALID_ARGUMENT, "ahead_pace")]),
    "qf_track_destroy": _destroy_accepts_null("qf_track_destroy"),
    "qf_track_info": Row(lambda f: [f.track, f.size(), f.size()], nullable={"n_nodes", "n_periods"}),
    "qf_track_int64": Row(lambda f: [f.track, CONSTANTS["QF_TRACK_VARIANCE"], f.i64s(9), 9],
                          bad=[Bad("column", CONSTANTS["QF_TRACK_PACE"], QF_ERR_INVALID_ARGUMENT, "column"),
                               Bad("n", 8, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_track_double": Row(lambda f: [f.track, CONSTANTS["QF_TRACK_PACE"], f.f64s(9), 9],
                           bad=[Bad("column", 99, QF_ERR_INVALID_ARGUMENT, "column"),
                                Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_track_statuses": Row(lambda f: [f.track, f.i32s(9), 9], bad=[Bad("n", 10, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_track_status_name": _names_unknown("qf_track_status_name"),
    # incentives and monitoring (names and destroys; the calls that take data still need rows)
    "qf_plan_destroy": _destroy_accepts_null("qf_plan_destroy"),
    "qf_plan_create_json": Row(lambda f: [f.out(), f.plan_json, len(f.plan_json), b"p.json"], nullable={"source"},
                               bad=[Bad("length", 1, QF_ERR_PARSE, "p.json")]),
    "qf_plan_to_json": Row(lambda f: [f.plan, f.buf(8192), 8192, f.size()], nullable={"needed"},
                           bad=[Bad("capacity", 4, QF_ERR_BUFFER_TOO_SMALL, "buf")]),
    "qf_payout_run": Row(lambda f: [f.out(), f.plans, 1, f.calendar, f.payout_input, f.payout_options]),
    "qf_payout_size": Row(lambda f: [f.payout, f.size(), f.size(), f.size()],
                          nullable={"n_people", "n_periods", "n_lines"}),
    "qf_payout_period": Row(lambda f: [f.payout, 1, f.i32s(1), f.i32s(1), f.i32s(1)],
                            nullable={"start", "end", "working_days"},
                            bad=[Bad("i", 2, QF_ERR_OUT_OF_RANGE, "2")]),
    "qf_payout_cells": Row(lambda f: [f.payout, *[f.i64s(2) for _ in range(6)], f.f64s(2), f.f64s(2),
                                      (ctypes.c_uint64 * 2)(), (ctypes.c_uint32 * 2)(), 2],
                           nullable={"credit", "quota", "earnings", "clawback", "draw_balance", "payout_amount",
                                     "attainment", "ytd_attainment", "first_line", "line_count"},
                           bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_payout_lines": Row(lambda f: [f.payout, *[f.i32s(max(f.n_payout_lines, 1)) for _ in range(6)],
                                      *[f.i64s(max(f.n_payout_lines, 1)) for _ in range(3)], f.n_payout_lines],
                           nullable={"person", "period", "kind", "ref", "component", "tier", "base", "rate", "amount"},
                           bad=[Bad("n", 99, QF_ERR_INVALID_ARGUMENT, "n")]),
    "qf_payout_destroy": _destroy_accepts_null("qf_payout_destroy"),
    "qf_line_kind_name": _names_unknown("qf_line_kind_name"),
    "qf_monitor_destroy": _destroy_accepts_null("qf_monitor_destroy"),
    "qf_monitor_create": Row(lambda f: [f.out(), f.hierarchy, f.calendar, f.monitor_plan, 9, DAY_2025_01_01,
                                        DAY_2025_04_01, None], nullable={"options"}),
    "qf_monitor_load": Row(lambda f: [f.out(), f.monitor_blob, len(f.monitor_blob), f.hierarchy, f.calendar,
                                      f.monitor_plan, 9, DAY_2025_01_01, DAY_2025_04_01, None], nullable={"options"}),
    "qf_monitor_push_sales": Row(lambda f: [f.monitor, f.i32([1]), f.i32([DAY_2025_01_01 + 3]), f.i64([5]), 1]),
    "qf_monitor_push_visits": Row(lambda f: [f.monitor, f.i32([1]), f.i32([DAY_2025_01_01 + 3]), f.i64([2]), 1]),
    "qf_monitor_push_stage_changes": Row(lambda f: [f.monitor, f.i64([5]), f.i32([0]), f.i32([DAY_2025_01_01 + 1]),
                                                    1]),
    "qf_monitor_push_invoices": Row(lambda f: [f.monitor, f.i64([77]), f.i64([1]), f.i64([100]),
                                               f.i32([DAY_2025_01_01 + 10]), 1]),
    "qf_monitor_push_payments": Row(lambda f: [f.monitor, f.i64([77]), f.i64([10]), f.i32([DAY_2025_01_01 + 12]), 1]),
    "qf_monitor_push_cases": Row(lambda f: [f.monitor, f.i64([1]), f.i64([I64_MIN]), f.i64([10**18]), 1]),
    "qf_monitor_advance": Row(lambda f: [f.monitor, DAY_2025_02_15 + 10, f.out()]),
    "qf_monitor_active": Row(lambda f: [f.monitor, f.size()]),
    "qf_monitor_changes_count": Row(lambda f: [f.monitor_changes, f.size()]),
    "qf_monitor_changes_columns": Row(lambda f: [f.monitor_changes, *[f.i32s(max(f.n_monitor_changes, 1))] * 4,
                                                 *[f.i64s(max(f.n_monitor_changes, 1))] * 2,
                                                 f.i32s(max(f.n_monitor_changes, 1)),
                                                 *[f.f64s(max(f.n_monitor_changes, 1))] * 2,
                                                 (ctypes.c_uint64 * max(f.n_monitor_changes, 1))(), f.n_monitor_changes],
                                      nullable={"change", "rule", "severity", "entity_kind", "entity", "related",
                                                "period", "observed", "expected", "key"}),
    "qf_monitor_changes_message": Row(lambda f: [f.monitor_changes, 0, f.buf(), 4096, f.size()], nullable={"needed"},
                                      bad=[Bad("i", 10**6, QF_ERR_OUT_OF_RANGE, "1000000")]),
    "qf_monitor_save": Row(lambda f: [f.monitor, f.ptr_out(), f.size()]),
    "qf_monitor_save_to": Row(lambda f: [f.monitor, f.u8([0] * 65536), 65536, f.size()], nullable={"needed"},
                              bad=[Bad("capacity", 1, QF_ERR_BUFFER_TOO_SMALL, "")]),
    "qf_monitor_snooze": Plain(lambda f, lib: _unknown_alert(lib, lib.qf_monitor_snooze(f.monitor, 12345, 0, b"r", 0.0))),
    "qf_monitor_acknowledge": Plain(lambda f, lib: _unknown_alert(lib, lib.qf_monitor_acknowledge(f.monitor, 12345, 0,
                                                                                                   b"r"))),
    "qf_monitor_changes_destroy": _destroy_accepts_null("qf_monitor_changes_destroy"),
    "qf_monitor_push_deals": Row(lambda f: [f.monitor, f.i64([5]), f.i32([1]), f.i64([100]), f.f64([0.5]),
                                            f.i32([DAY_2025_01_01 + 40]), 1], nan_ok=set(),
                                 bad=[Bad("probability", lambda f: f.f64([NAN]), QF_ERR_INVALID_ARGUMENT, "probability[0] is NaN"),
                                      Bad("owner", lambda f: f.i32([99]), QF_ERR_NOT_FOUND, "owner[0] is 99")]),
    "qf_monitor_push_invoices_with_seller": Row(lambda f: [f.monitor, f.i64([78]), f.i64([1]), f.i64([100]),
                                                           f.i32([DAY_2025_01_01 + 10]), f.i32([1]), 1],
                                                bad=[Bad("seller", lambda f: f.i32([99]), QF_ERR_NOT_FOUND, "seller[0] is 99")]),
    "qf_monitor_push_sale_columns": Row(lambda f: [f.monitor, _sale_columns(f, [1])],
                                        bad=[Bad("sales", lambda f: _sale_columns(f, [7]), QF_ERR_NOT_FOUND, "node[0] is 7")]),
    "qf_alert_rule_name": _names_unknown("qf_alert_rule_name"),
    "qf_change_kind_name": _names_unknown("qf_change_kind_name"),
    "qf_severity_name": _names_unknown("qf_severity_name"),
    "qf_entity_kind_name": _names_unknown("qf_entity_kind_name"),
    "qf_price_volume_mix": Row(lambda f: [f.i32([0, 0]), f.i64([1, 2]), f.i64([10, 40]), f.i64([2, 2]), f.i64([20, 40]),
                                          2, 1, f.i64s(1), f.i64s(1), f.i64s(1), f.i64s(1)],
                               nullable={"gap", "volume", "price", "mix"},
                               bad=[Bad("group", lambda f: f.i32([0, 1]), QF_ERR_OUT_OF_RANGE, "group[1]"),
                                    Bad("n_groups", 0, QF_ERR_OUT_OF_RANGE, "group[0]")]),
    # scorecards
    "qf_scorecard_from_json": Row(lambda f: [f.out(), SCORECARD_JSON, len(SCORECARD_JSON)],
                                  bad=[Bad("length", 5, QF_ERR_PARSE, "line 1"),
                                       Bad("text", SCORECARD_JSON.replace(b"100", b" 90"), QF_ERR_PARSE,
                                           "$.kpis (line 1, column 10): has weights that sum to 90%")]),
    "qf_scorecard_load": Row(lambda f: [f.out(), f.scorecard_path()],
                             bad=[Bad("path", b"/nonexistent/card.json", QF_ERR_IO, "/nonexistent/card.json")]),
    "qf_scorecard_destroy": _destroy_accepts_null("qf_scorecard_destroy"),
    "qf_scorecard_to_json": Row(lambda f: [f.scorecard(), f.buf(4096), 4096, f.size()], nullable={"needed"},
                                bad=[Bad("capacity", 4, QF_ERR_BUFFER_TOO_SMALL, "buf")]),
    "qf_scorecard_size": Row(lambda f: [f.scorecard(), f.size()]),
    "qf_scorecard_kpi_name": Row(lambda f: [f.scorecard(), 1, f.buf(), 64, f.size()], nullable={"needed"},
                                 bad=[Bad("kpi", 2, QF_ERR_OUT_OF_RANGE, "kpi is 2")]),
    "qf_scorecard_kpi_measure": Row(lambda f: [f.scorecard(), 0, f.buf(), 64, f.size()], nullable={"needed"},
                                    bad=[Bad("kpi", 9, QF_ERR_OUT_OF_RANGE, "kpi is 9")]),
    "qf_scorecard_score": Row(lambda f: [f.out(), f.scorecard(), f.chars(["attainment", "collection_rate"]),
                                         f.columns([[0.9, 1.1], [0.5, 0.9]]), 2, 2],
                              bad=[Bad("n_columns", 1, QF_ERR_NOT_FOUND, "collection_rate"),
                                   Bad("columns", lambda f: f.columns([[NAN, 1.1], [0.5, 0.9]]), QF_ERR_INVALID_ARGUMENT,
                                       "attainment[0] is NaN"),
                                   Bad("names", lambda f: f.chars(["attainment", "attainment"]), QF_ERR_INVALID_ARGUMENT,
                                       "column attainment is given twice")]),
    "qf_scorecard_result_destroy": _destroy_accepts_null("qf_scorecard_result_destroy"),
    "qf_scorecard_result_size": Row(lambda f: [f.score_result(), f.size(), f.size()], nullable={"n_rows", "n_kpis"}),
    "qf_scorecard_result_totals": Row(lambda f: [f.score_result(), f.f64s(2), 2],
                                      bad=[Bad("n", 3, QF_ERR_INVALID_ARGUMENT, "n is 3")]),
    "qf_scorecard_result_lines": Row(lambda f: [f.score_result(), f.f64s(4), f.f64s(4), f.f64s(4), f.f64s(4),
                                                f.i32s(4), 4],
                                     nullable={"value", "points", "factor", "weighted", "gated"},
                                     bad=[Bad("n", 2, QF_ERR_INVALID_ARGUMENT, "n is 2")]),
    "qf_scorecard_result_reason": Row(lambda f: [f.score_result(), 1, 1, f.buf(), 256, f.size()], nullable={"needed"},
                                      bad=[Bad("row", 2, QF_ERR_OUT_OF_RANGE, "row is 2"),
                                           Bad("kpi", 2, QF_ERR_OUT_OF_RANGE, "kpi is 2"),
                                           Bad("capacity", 3, QF_ERR_BUFFER_TOO_SMALL, "buf")]),
}


# --- more fixtures used by some rows ----------------------------------------------------------

def _scratch_model(self):
    """A fresh model with two stages (so add_* and set_start have something to refer to)."""
    handle = self._make("qf_process_model_create", "qf_process_model_destroy", b"scratch", 0)
    for name in (b"a", b"b"):
        assert self.lib.qf_process_model_add_stage(handle, self.struct("qf_process_stage", name=name), None) == QF_OK
    return handle


def _invalid_problems(self):
    """Problems of a model with one stage and no start (so problem 0 exists)."""
    if getattr(self, "_problems", None) is None:
        self._problems = self._make("qf_process_model_validate", "qf_process_problems_destroy", _scratch_model(self),
                                    out_last=True)
    return self._problems


def _deviating_check(self):
    """A check of a log where case 1 skips the required stage lead (so deviation 0 exists)."""
    if getattr(self, "_deviating", None) is None:
        log = self._make("qf_log_create", "qf_log_destroy", self.i64([1]), self.i32([1]), self.i64([0]), 1,
                         self.chars(["lead", "payment", "lost"]), 3, None)
        self._deviating = self._make("qf_process_check_create", "qf_process_check_destroy", self.model, log, None)
    return self._deviating


def _n_deviations(self):
    n = ctypes.c_size_t()
    assert self.lib.qf_process_check_info(self.check, None, ctypes.byref(n), None, None, None) == QF_OK
    return n.value


def _scorecard(self):
    """A card: attainment (linear, weight 100) and a collection-rate gate on the whole score."""
    if getattr(self, "_card", None) is None:
        self._card = self._make("qf_scorecard_from_json", "qf_scorecard_destroy", SCORECARD_JSON, len(SCORECARD_JSON))
    return self._card


def _scorecard_path(self):
    path = self.tmp / "card.json"
    path.write_bytes(SCORECARD_JSON)
    return str(path).encode()


def _columns(values):
    """A `const double* const*` argument: one column per list (kept alive with the array)."""
    cols = [Fixtures.f64(v) for v in values]
    arr = (ctypes.POINTER(ctypes.c_double) * len(cols))(*[ctypes.cast(c, ctypes.POINTER(ctypes.c_double)) for c in cols])
    arr._keep = cols
    return arr


def _score_result(self):
    """Two rows scored by the card; row 1's collection rate 50% fails the gate."""
    if getattr(self, "_score", None) is None:
        self._score = self._make("qf_scorecard_score", "qf_scorecard_result_destroy", self.scorecard(),
                                 self.chars(["attainment", "collection_rate"]), _columns([[0.9, 1.1], [0.9, 0.5]]),
                                 2, 2)
    return self._score


Fixtures.scorecard = _scorecard
Fixtures.scorecard_path = _scorecard_path
Fixtures.columns = staticmethod(_columns)
Fixtures.score_result = _score_result
Fixtures.scratch_model = _scratch_model
Fixtures.invalid_problems = _invalid_problems
Fixtures.deviating_check = _deviating_check
Fixtures.n_deviations = _n_deviations


# --- the machinery ----------------------------------------------------------------------------

def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    for fn in FUNCTIONS.values():
        if hasattr(lib, fn.name):
            proc = getattr(lib, fn.name)
            proc.restype = ctype_of(fn.ret)
            proc.argtypes = [ctype_of(p.ctype) for p in fn.params]
    return lib


@pytest.fixture(scope="module")
def lib(capi) -> ctypes.CDLL:
    """Our own handle on the library conftest's `capi` loads, with prototypes from the header."""
    return _declare(ctypes.CDLL(capi._name))


@pytest.fixture(scope="module")
def fx(lib, tmp_path_factory) -> Fixtures:
    f = Fixtures(lib, tmp_path_factory.mktemp("contract"))
    yield f
    f.close()


def exported_functions(path: str) -> set[str]:
    """qf_* functions in the library's dynamic symbol table (nm -D), else the header's list."""
    nm = shutil.which("nm")
    if nm is None:
        return set(FUNCTIONS)
    out = subprocess.run([nm, "-D", "--defined-only", path], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines()
            if len(line.split()) == 3 and line.split()[1] in "TtWi" and line.split()[-1].startswith("qf_")}


def cases_of(name: str):
    """(case id, param, value, expected status, expected text) for one row, generated and listed."""
    row, fn = ROWS[name], FUNCTIONS.get(name)
    if isinstance(row, Plain) or fn is None:
        return [("plain", None, None, None, None)]
    out = [("valid", None, None, QF_OK, None)]
    for p in fn.params:
        if p.stars and p.name not in row.nullable:
            out.append((f"{p.name}=NULL", p.name, None, QF_ERR_NULL_POINTER, p.name))
        if p.ctype == "double" and p.name not in row.nan_ok:
            out.append((f"{p.name}=NaN", p.name, NAN, QF_ERR_INVALID_ARGUMENT, p.name))
        if is_struct_param(p):
            out.append((f"{p.name}->version=999", p.name, ("version", p.base), QF_ERR_INVALID_ARGUMENT,
                        f"{p.name}->version is 999"))
    for i, b in enumerate(row.bad):
        out.append((f"{b.param}:bad{i}", b.param, b.value, b.status, b.text))
    return out


CASES = [(name, *case) for name in sorted(ROWS) for case in cases_of(name)]


@pytest.mark.parametrize("name,case,param,value,status,text", CASES, ids=[f"{c[0]}[{c[1]}]" for c in CASES])
def test_contract(lib, fx, name, case, param, value, status, text):
    assert name in FUNCTIONS, f"{name} has a row but capi/include/quotaflow.h does not declare it"
    if not hasattr(lib, name):
        pytest.skip(f"{name} is declared but not exported by this build")
    row = ROWS[name]
    if isinstance(row, Plain):
        row.check(fx, lib)
        return
    fn = FUNCTIONS[name]
    fx.created.clear()
    args = row.call(fx)
    assert len(args) == len(fn.params), f"{name}: the row gives {len(args)} arguments for {len(fn.params)}"
    if param is not None:
        index = [p.name for p in fn.params].index(param)
        if isinstance(value, tuple) and value[0] == "version":
            value = fx.struct(value[1], version=999)
        elif callable(value):
            value = value(fx)
        args[index] = value
    try:
        got = getattr(lib, name)(*args)
        message = lib.qf_last_error_message().decode()
        if status == QF_OK:
            assert got == QF_OK, f"{name} valid call: {got} {message!r}"
        else:
            assert got == status, f"{name}({case}): status {got}, expected {status}; message {message!r}"
            assert text in message, f"{name}({case}): message {message!r} does not name {text!r}"
    finally:
        out = next((p for p in fn.params if is_handle_out(p)), None)
        for holder in fx.created:  # what a successful create made
            if holder.value and out is not None:
                getattr(lib, f"{out.base}_destroy")(holder)
                holder.value = None


def test_every_exported_function_has_a_row(lib):
    exported = exported_functions(lib._name)
    missing = sorted(exported - set(ROWS))
    assert not missing, ("exported C functions without a row in tests/python/test_capi_contract.py "
                         f"(see HOW TO ADD A ROW at its top): {missing}")


def test_the_table_sees_the_header():
    """The header parser finds the functions, structs and _INIT macros the rows rely on."""
    assert FUNCTIONS["qf_apportion"].params[1] == Param("const double*", "weights")
    assert [p.name for p in FUNCTIONS["qf_calendar_create"].params][:2] == ["out", "options"]
    assert init_values("qf_track_options")[0] == 1 and init_values("qf_track_options")[-1] == 1.5
    assert is_struct_param(Param("const qf_chart_options*", "options"))
    assert not is_struct_param(Param("const qf_calendar*", "calendar"))
