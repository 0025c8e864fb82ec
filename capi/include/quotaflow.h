/* quotaflow C ABI: sales process management (target allocation, process graphs, deviation
 * detection) for any language that can call C.
 *
 * Conventions (docs/c-api.md has the long form):
 *  - Every function returns qf_status: QF_OK (0) or a negative QF_ERR_* code. Codes are never
 *    renumbered or reused. On error, qf_last_error_message() returns this thread's message, which
 *    names the offending argument and value. No function lets an exception or abort escape.
 *  - Dates are int32_t days since 1970-01-01; money and quantities are int64_t minor units.
 *  - Bulk data are columns: (pointer, length). Outputs go into caller buffers of the stated length.
 *  - Handles come from qf_x_create(&out, ...) and are released with qf_x_destroy(x) (NULL is fine).
 *    A built handle is immutable: share it across threads freely.
 *  - Options structs start with `uint32_t version`; initialise them with their _INIT macro.
 *  - Memory the library allocates for you is released with qf_free().
 * The header is plain C99.
 */
#ifndef QUOTAFLOW_H
#define QUOTAFLOW_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(QF_BUILDING_LIBRARY)
#    define QF_API __declspec(dllexport)
#  else
#    define QF_API __declspec(dllimport)
#  endif
#else
#  define QF_API __attribute__((visibility("default")))
#endif

/* ---- version -------------------------------------------------------------------------------- */
#define QF_VERSION_MAJOR 0
#define QF_VERSION_MINOR 1
#define QF_VERSION_PATCH 0
#define QF_VERSION_NUMBER (QF_VERSION_MAJOR * 10000 + QF_VERSION_MINOR * 100 + QF_VERSION_PATCH)

/* The library's version as "MAJOR.MINOR.PATCH" (static storage). Compare with QF_VERSION_* to
 * detect a header/library mismatch. */
QF_API const char* qf_version(void);
/* QF_VERSION_NUMBER of the loaded library. */
QF_API uint32_t qf_version_number(void);

/* ---- errors --------------------------------------------------------------------------------- */
typedef int32_t qf_status;
#define QF_OK 0
#define QF_ERR_INVALID_ARGUMENT (-1)  /* a value is not acceptable (NaN, malformed, end < start) */
#define QF_ERR_OUT_OF_RANGE (-2)      /* a date or index outside what is supported */
#define QF_ERR_OVERFLOW (-3)          /* int64 arithmetic would overflow */
#define QF_ERR_NOT_FOUND (-4)         /* unknown name or id (e.g. a preset) */
#define QF_ERR_IO (-5)                /* a file could not be opened or read */
#define QF_ERR_PARSE (-6)             /* malformed text input; the message gives the line */
#define QF_ERR_NO_MEMORY (-7)         /* allocation failed; the message is static */
#define QF_ERR_BUFFER_TOO_SMALL (-8)  /* a caller buffer is too small; the size query tells */
#define QF_ERR_NULL_POINTER (-9)      /* a required pointer argument is NULL */
#define QF_ERR_INTERNAL (-10)         /* a bug in quotaflow: please report the message */

/* This thread's message for the last failed call; "" if none. Never NULL. Valid until the next
 * failing call on the same thread. */
QF_API const char* qf_last_error_message(void);
/* Stable short name of a status ("invalid_argument"); "unknown" for other values. */
QF_API const char* qf_status_name(qf_status status);

/* Releases memory the library returned to you (NULL is fine). */
QF_API void qf_free(void* p);

/* ---- amounts: int64 minor units ------------------------------------------------------------- */
/* Parses "[+-]digits[.digits]" with `scale` decimals into minor units without floating point:
 * qf_amount_parse("1234.56", 2, &v) gives v == 123456. Extra non-zero decimals are QF_ERR_PARSE;
 * values beyond int64 are QF_ERR_OVERFLOW. */
QF_API qf_status qf_amount_parse(const char* text, int32_t scale, int64_t* out);
/* Formats minor units with `scale` decimals into buf (NUL-terminated). *needed (may be NULL)
 * receives the length without the NUL; buf may be NULL with capacity 0 to ask the size. */
QF_API qf_status qf_amount_format(int64_t minor, int32_t scale, char* buf, size_t capacity, size_t* needed);
/* Checked arithmetic: QF_ERR_OVERFLOW instead of wrapping. */
QF_API qf_status qf_amount_add(int64_t a, int64_t b, int64_t* out);
QF_API qf_status qf_amount_sub(int64_t a, int64_t b, int64_t* out);
QF_API qf_status qf_amount_mul(int64_t a, int64_t k, int64_t* out);

/* ---- dates: int32 days since 1970-01-01, supported 1900-01-01..2199-12-31 -------------------- */
QF_API qf_status qf_date_from_ymd(int32_t year, int32_t month, int32_t day, int32_t* out);
QF_API qf_status qf_date_to_ymd(int32_t date, int32_t* year, int32_t* month, int32_t* day);
/* "YYYY-MM-DD" -> days. */
QF_API qf_status qf_date_parse(const char* text, int32_t* out);

/* ---- business calendar ---------------------------------------------------------------------- */
/* Thread rule: a qf_calendar is immutable once created; share it across threads freely. */
typedef struct qf_calendar qf_calendar;

/* Grains for period enumeration; values are stable. */
typedef enum qf_grain {
  QF_GRAIN_YEAR = 0,
  QF_GRAIN_HALF = 1,
  QF_GRAIN_QUARTER = 2,
  QF_GRAIN_MONTH = 3,
  QF_GRAIN_WEEK = 4, /* ISO weeks, Monday start */
  QF_GRAIN_DAY = 5
} qf_grain;

/* Weekend mask bits: bit i set = ISO weekday i (Monday 0 .. Sunday 6) is not worked. */
#define QF_WEEKEND_SAT_SUN 0x60u
#define QF_WEEKEND_FRI_SAT 0x30u

typedef struct qf_calendar_options {
  uint32_t version;                /* QF_CALENDAR_OPTIONS_VERSION */
  uint32_t weekend_mask;           /* default QF_WEEKEND_SAT_SUN */
  int32_t fiscal_year_start_month; /* 1..12, default 1 */
  int32_t valid_from;              /* first date the calendar answers for */
  int32_t valid_until;             /* exclusive end of that range */
} qf_calendar_options;
#define QF_CALENDAR_OPTIONS_VERSION 1u
/* Defaults: Sat+Sun weekends, January fiscal year, 1900-01-01..2199-12-31. */
#define QF_CALENDAR_OPTIONS_INIT {QF_CALENDAR_OPTIONS_VERSION, QF_WEEKEND_SAT_SUN, 1, -25567, 84006}

/* A calendar from lists of holidays and make-up working days (either list may be NULL when its
 * length is 0). options may be NULL for the defaults. */
QF_API qf_status qf_calendar_create(qf_calendar** out, const qf_calendar_options* options, const int32_t* holidays,
                                    size_t n_holidays, const int32_t* workdays, size_t n_workdays);
/* Built-in calendars: "CN" (China 2007-2026, official holidays and make-up days), "plain". */
QF_API qf_status qf_calendar_preset(qf_calendar** out, const char* name);
/* A calendar from a CSV file of `date,kind` rows (kind: holiday | makeup_workday). */
QF_API qf_status qf_calendar_from_csv(qf_calendar** out, const char* path, const qf_calendar_options* options);
QF_API void qf_calendar_destroy(qf_calendar* calendar);

/* The calendar's valid range [valid_from, valid_until) and fiscal year start month. */
QF_API qf_status qf_calendar_info(const qf_calendar* calendar, int32_t* valid_from, int32_t* valid_until,
                                  int32_t* fiscal_year_start_month);

QF_API qf_status qf_calendar_is_working_day(const qf_calendar* calendar, int32_t date, int32_t* out);
/* Working days in the half-open range [start, end). */
QF_API qf_status qf_calendar_working_days(const qf_calendar* calendar, int32_t start, int32_t end, int32_t* out);
/* n >= 1: n-th working day after date; n <= -1: |n|-th before; 0: date if worked, else the next. */
QF_API qf_status qf_calendar_add_working_days(const qf_calendar* calendar, int32_t date, int32_t n, int32_t* out);
/* Share of [start, end)'s working days elapsed by the end of as_of. */
QF_API qf_status qf_calendar_elapsed_fraction(const qf_calendar* calendar, int32_t start, int32_t end, int32_t as_of,
                                              double* out);

/* Bulk forms over columns of length n (out has length n). */
QF_API qf_status qf_calendar_is_working_day_bulk(const qf_calendar* calendar, const int32_t* dates, size_t n,
                                                 uint8_t* out);
QF_API qf_status qf_calendar_working_days_bulk(const qf_calendar* calendar, const int32_t* starts,
                                               const int32_t* ends, size_t n, int32_t* out);
QF_API qf_status qf_calendar_add_working_days_bulk(const qf_calendar* calendar, const int32_t* dates,
                                                   const int32_t* counts, size_t n, int32_t* out);
QF_API qf_status qf_calendar_elapsed_fraction_bulk(const qf_calendar* calendar, const int32_t* starts,
                                                   const int32_t* ends, const int32_t* as_of, size_t n, double* out);

/* The periods of [start, end) at a grain, clipped to the range, as three columns of length
 * *count. Size query: pass capacity 0 (the columns may then be NULL) and read *count; with a
 * capacity too small the call returns QF_ERR_BUFFER_TOO_SMALL and still sets *count. */
QF_API qf_status qf_calendar_periods(const qf_calendar* calendar, int32_t start, int32_t end, int32_t grain,
                                     int32_t* period_starts, int32_t* period_ends, int32_t* working_days,
                                     size_t capacity, size_t* count);
/* Label of the period containing date ("2025-Q3", "2025-W27", "FY2026-H1") into buf; *needed
 * (may be NULL) receives its length without the NUL. */
QF_API qf_status qf_calendar_period_label(const qf_calendar* calendar, int32_t date, int32_t grain, char* buf,
                                          size_t capacity, size_t* needed);


/* ---- hierarchies: flat arrays, parent index per node ------------------------------------------ */
/* Thread rule: a qf_hierarchy is immutable once created; share it across threads freely. */
typedef struct qf_hierarchy qf_hierarchy;

/* parents[i] is node i's parent index, -1 for a root; any node order. Self-parents, cycles,
 * out-of-range parents are QF_ERR_INVALID_ARGUMENT naming the node. */
QF_API qf_status qf_hierarchy_create(qf_hierarchy** out, const int32_t* parents, size_t n);
QF_API void qf_hierarchy_destroy(qf_hierarchy* hierarchy);
/* Any of the outputs may be NULL. */
QF_API qf_status qf_hierarchy_info(const qf_hierarchy* hierarchy, size_t* n_nodes, size_t* n_leaves, int32_t* max_depth);
/* Depth of every node (roots 0) into out[n_nodes]. */
QF_API qf_status qf_hierarchy_depths(const qf_hierarchy* hierarchy, int32_t* out, size_t n);
/* Leaf indices, ascending, into out[n_leaves]. */
QF_API qf_status qf_hierarchy_leaves(const qf_hierarchy* hierarchy, int32_t* out, size_t n);
/* Nodes in pre-order (parents before children) into out[n_nodes]. */
QF_API qf_status qf_hierarchy_preorder(const qf_hierarchy* hierarchy, int32_t* out, size_t n);
/* Subtree sums: out[v] = values[v] + sum of out[c] over v's children (values at leaves only roll
 * leaf figures up). QF_ERR_OVERFLOW when a sum leaves int64. */
QF_API qf_status qf_hierarchy_rollup(const qf_hierarchy* hierarchy, const int64_t* values, size_t n, int64_t* out);

/* ---- target allocation: exact in minor units -------------------------------------------------- */
typedef enum qf_apportion_method {
  QF_APPORTION_HAMILTON = 0,       /* largest remainder; exact to quota */
  QF_APPORTION_WEBSTER = 1,        /* Sainte-Lague divisor method */
  QF_APPORTION_DHONDT = 2,         /* Jefferson divisor method */
  QF_APPORTION_HUNTINGTON_HILL = 3 /* equal proportions */
} qf_apportion_method;

/* Splits total into out[n] summing exactly to total, in proportion to weights (>= 0, finite).
 * lower/upper (may be NULL) bound each recipient; infeasible bounds are QF_ERR_INVALID_ARGUMENT
 * naming the sums. Ties: the lower index wins. */
QF_API qf_status qf_apportion(int64_t total, const double* weights, size_t n, int32_t method, const int64_t* lower,
                              const int64_t* upper, int64_t* out);

typedef struct qf_tree_options {
  uint32_t version;                         /* QF_TREE_OPTIONS_VERSION */
  int32_t method;                           /* qf_apportion_method */
  double over_assignment;                   /* children get (1 + this) x parent; > -1 */
  const double* over_assignment_per_level;  /* NULL or n_levels values, by the parent's depth */
  size_t n_levels;
  const double* over_assignment_per_node;   /* NULL or one per node */
  const int64_t* lower;                     /* NULL or one per node */
  const int64_t* upper;                     /* NULL or one per node */
} qf_tree_options;
#define QF_TREE_OPTIONS_VERSION 1u
#define QF_TREE_OPTIONS_INIT {QF_TREE_OPTIONS_VERSION, QF_APPORTION_HAMILTON, 0.0, NULL, 0, NULL, NULL, NULL}

/* A target for every node: the roots share root_total, each parent's children share exactly its
 * amount x (1 + over-assignment). weights: one per leaf (ascending leaf order; inner weights are
 * their roll-ups) or one per node. out has one value per node; quotas (may be NULL) receives the
 * real amount before rounding. */
QF_API qf_status qf_allocate_tree(const qf_hierarchy* hierarchy, int64_t root_total, const double* weights,
                                  size_t n_weights, const qf_tree_options* options, int64_t* out, size_t n_out,
                                  double* quotas);

typedef struct qf_phase_options {
  uint32_t version;               /* QF_PHASE_OPTIONS_VERSION */
  int32_t grain;                  /* qf_grain */
  int32_t method;                 /* qf_apportion_method */
  const double* month_profile;    /* NULL or 12 values, January first */
  const double* weekday_profile;  /* NULL or 7 values, Monday first */
  const double* daily_profile;    /* NULL or one per day of [start, end) */
  size_t n_daily;
} qf_phase_options;
#define QF_PHASE_OPTIONS_VERSION 1u
#define QF_PHASE_OPTIONS_INIT {QF_PHASE_OPTIONS_VERSION, QF_GRAIN_MONTH, QF_APPORTION_HAMILTON, NULL, NULL, NULL, 0}

/* Splits total over the periods of [start, end) by daily weights (working day x profiles).
 * Columns of *count periods; size query with capacity 0 and NULL columns. */
QF_API qf_status qf_phase(const qf_calendar* calendar, int64_t total, int32_t start, int32_t end,
                          const qf_phase_options* options, int32_t* period_starts, int32_t* period_ends,
                          int64_t* targets, size_t capacity, size_t* count);
/* Bulk: n totals over the same periods into out (n x n_periods, row-major); every row sums to
 * its total. Call qf_phase with capacity 0 first to learn n_periods. */
QF_API qf_status qf_phase_many(const qf_calendar* calendar, const int64_t* totals, size_t n, int32_t start, int32_t end,
                               const qf_phase_options* options, int64_t* out, size_t n_periods);

/* An integer rows x cols matrix (row-major) whose rows sum exactly to row_totals and columns to
 * col_totals (equal grand totals, all >= 0), close to the seed's proportions (>= 0; zero cells stay
 * zero): iterative proportional fitting, then controlled rounding (each cell floor or ceil). */
QF_API qf_status qf_allocate_grid(const int64_t* row_totals, size_t rows, const int64_t* col_totals, size_t cols,
                                  const double* seed, int64_t* out);

typedef enum qf_reconcile_method {
  QF_RECONCILE_BOTTOM_UP = 0,
  QF_RECONCILE_TOP_DOWN = 1,  /* historical proportions (needs history) */
  QF_RECONCILE_OLS = 2,       /* MinTrace, identity weights, O(n) on a tree */
  QF_RECONCILE_WLS_STRUCT = 3 /* MinTrace, structural scaling, O(n) on a tree */
} qf_reconcile_method;

/* Coherent values (every parent = sum of its children) from one base value per node.
 * history: NULL, or history_periods x n values (row-major) for top_down. out_real (n) and/or
 * out_int (n, exact int64, coherent after rounding) may be NULL, not both. */
QF_API qf_status qf_reconcile(const qf_hierarchy* hierarchy, const double* base, size_t n, int32_t method,
                              int32_t nonnegative, const double* history, size_t history_periods, double* out_real,
                              int64_t* out_int);

typedef enum qf_plan_method { QF_PLAN_SCALE = 0, QF_PLAN_BLEND = 1 } qf_plan_method;
/* Reconciles bottom-up drafts (one per node; inner values ignored) with top-down targets (one per
 * node, NaN where none is set) into a coherent plan (n). bottom_up_rollup (may be NULL) receives
 * the drafts' roll-up, so change = plan - bottom_up_rollup. */
QF_API qf_status qf_reconcile_plan(const qf_hierarchy* hierarchy, const double* top_down, const int64_t* bottom_up,
                                   size_t n, int32_t method, double alpha, int64_t* plan, int64_t* bottom_up_rollup);

/* ---- Event logs and discovery ------------------------------------------------------------------ */
/* An event log: one row per event (case key, activity id, timestamp in int64 nanoseconds since
 * 1970-01-01 UTC). Events are ordered by a stable sort on (case key, timestamp); cases in
 * ascending key order. Results (qf_dfg, qf_variants, qf_temporal_profile,
 * qf_temporal_deviations) are library-owned handles read through accessors that copy columns
 * into caller buffers; any output pointer may be NULL to skip that column.
 * Thread rule: every handle here is immutable once created; share it across threads freely. */
typedef struct qf_log qf_log;
typedef struct qf_dfg qf_dfg;
typedef struct qf_variants qf_variants;
typedef struct qf_temporal_profile qf_temporal_profile;
typedef struct qf_temporal_deviations qf_temporal_deviations;

typedef struct qf_log_options {
  uint32_t version;                  /* QF_LOG_OPTIONS_VERSION */
  const int32_t* resources;          /* NULL or one per event: -1 (none) or an id < n_resources */
  const char* const* resource_names; /* n_resources names */
  size_t n_resources;
  const int64_t* amounts;            /* NULL or one per event (minor units) */
  const char* const* case_names;     /* NULL, or n_case_names names: case key k is named case_names[k] */
  size_t n_case_names;
} qf_log_options;
#define QF_LOG_OPTIONS_VERSION 1u
#define QF_LOG_OPTIONS_INIT {QF_LOG_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, 0}

/* A log from columns of n events. activities are ids into activity_names (distinct names);
 * INT64_MIN in timestamps_ns (NaT) is QF_ERR_INVALID_ARGUMENT naming the row; an empty log,
 * out-of-range ids and duplicate names are errors naming the argument. options may be NULL. */
QF_API qf_status qf_log_create(qf_log** out, const int64_t* case_keys, const int32_t* activities,
                               const int64_t* timestamps_ns, size_t n, const char* const* activity_names,
                               size_t n_activities, const qf_log_options* options);

typedef struct qf_log_csv_options {
  uint32_t version;             /* QF_LOG_CSV_OPTIONS_VERSION */
  const char* case_column;      /* NULL: "case:concept:name" */
  const char* activity_column;  /* NULL: "concept:name" */
  const char* timestamp_column; /* NULL: "time:timestamp" */
  const char* resource_column;  /* NULL: no resources */
  const char* amount_column;    /* NULL: no amounts */
  int32_t amount_scale;         /* decimals of the amount column */
  char delimiter;               /* 0: ',' */
} qf_log_csv_options;
#define QF_LOG_CSV_OPTIONS_VERSION 1u
#define QF_LOG_CSV_OPTIONS_INIT {QF_LOG_CSV_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0}

/* A log from a .csv or .csv.gz file (header line, RFC 4180 quoting; ISO 8601 timestamps with
 * or without UTC offset). Case ids and names are interned in first-seen order. A malformed row
 * is QF_ERR_PARSE naming the line and column; an unreadable file QF_ERR_IO; a missing column
 * QF_ERR_NOT_FOUND. options may be NULL for the defaults. */
QF_API qf_status qf_log_read_csv(qf_log** out, const char* path, const qf_log_csv_options* options);
QF_API void qf_log_destroy(qf_log* log);
/* Sizes; any output may be NULL. */
QF_API qf_status qf_log_info(const qf_log* log, size_t* n_events, size_t* n_cases, size_t* n_activities,
                             size_t* n_resources);
/* Name of an activity id / of the case at index case_index (its key as text when the log has
 * no case names), with the size-query convention of qf_amount_format. */
QF_API qf_status qf_log_activity_name(const qf_log* log, int32_t activity, char* buf, size_t capacity, size_t* needed);
QF_API qf_status qf_log_case_name(const qf_log* log, size_t case_index, char* buf, size_t capacity, size_t* needed);
/* The id of an activity name; QF_ERR_NOT_FOUND when the log has no such activity. */
QF_API qf_status qf_log_find_activity(const qf_log* log, const char* name, int32_t* activity);
/* CSR offsets (n = n_cases + 1): the events of case c are [offsets[c], offsets[c+1]). */
QF_API qf_status qf_log_case_offsets(const qf_log* log, int64_t* offsets, size_t n);
/* The sorted events' columns (n = n_events); source_rows gives each event's input row. */
QF_API qf_status qf_log_events(const qf_log* log, int32_t* activities, int64_t* timestamps_ns, int64_t* source_rows,
                               size_t n);
/* First / last activity of every case with counts, by count descending then id. *n receives the
 * number of rows; call with capacity 0 and NULL columns to ask it. */
QF_API qf_status qf_log_start_activities(const qf_log* log, int32_t* activity, int64_t* count, size_t capacity, size_t* n);
QF_API qf_status qf_log_end_activities(const qf_log* log, int32_t* activity, int64_t* count, size_t capacity, size_t* n);

/* Directly-follows graph: one edge per activity pair (a, b) that occurs as consecutive events of a
 * case, ordered by (source, target) id. Times of b minus a in seconds; stdev is the sample
 * standard deviation (0 for one observation). Columns need capacity >= qf_dfg_size. */
QF_API qf_status qf_dfg_create(qf_dfg** out, const qf_log* log);
QF_API void qf_dfg_destroy(qf_dfg* dfg);
QF_API qf_status qf_dfg_size(const qf_dfg* dfg, size_t* n_edges);
QF_API qf_status qf_dfg_edges(const qf_dfg* dfg, int32_t* source, int32_t* target, int64_t* count, size_t capacity);
QF_API qf_status qf_dfg_times(const qf_dfg* dfg, double* mean, double* median, double* min, double* max, double* sum,
                              double* stdev, size_t capacity);

/* Variants: distinct activity sequences, by case count descending, then first appearance.
 * Variant v is activities[offsets[v] .. offsets[v+1]). offsets has n_variants + 1 entries. */
QF_API qf_status qf_variants_create(qf_variants** out, const qf_log* log);
QF_API void qf_variants_destroy(qf_variants* variants);
QF_API qf_status qf_variants_size(const qf_variants* variants, size_t* n_variants, size_t* n_activities);
QF_API qf_status qf_variants_columns(const qf_variants* variants, int64_t* offsets, int64_t* count, int64_t* first_case,
                                     size_t n_variants, int32_t* activities, size_t n_activities);
/* The variant of every case (n_cases entries). */
QF_API qf_status qf_variants_of_cases(const qf_variants* variants, int32_t* out, size_t n_cases);

/* Temporal profile (Stertz et al. 2020): per activity pair (a_i, a_j) over all event pairs i < j
 * of a case, the count, mean and sample stdev of t_j - t_i in seconds, ordered by (source,
 * target). Activity ids index the log's activity names (or the names given to _from_columns). */
QF_API qf_status qf_temporal_profile_create(qf_temporal_profile** out, const qf_log* log);
QF_API qf_status qf_temporal_profile_from_columns(qf_temporal_profile** out, const char* const* activity_names,
                                                  size_t n_activities, const int32_t* source, const int32_t* target,
                                                  const double* mean, const double* stdev, size_t n);
QF_API void qf_temporal_profile_destroy(qf_temporal_profile* profile);
QF_API qf_status qf_temporal_profile_size(const qf_temporal_profile* profile, size_t* n_pairs);
QF_API qf_status qf_temporal_profile_columns(const qf_temporal_profile* profile, int32_t* source, int32_t* target,
                                             int64_t* count, double* mean, double* stdev, size_t capacity);
/* Temporal conformance: every event pair of a case whose time lies outside
 * [mean - zeta*stdev, mean + zeta*stdev] of the profile (matched by activity name; pairs the
 * profile lacks are not checked). zeta = |seconds - mean| / stdev, +infinity when stdev is 0.
 * Rows in case order, then positions (0-based inside the case); source/target are log ids. */
QF_API qf_status qf_temporal_conformance_create(qf_temporal_deviations** out, const qf_log* log,
                                                const qf_temporal_profile* profile, double zeta);
QF_API void qf_temporal_deviations_destroy(qf_temporal_deviations* deviations);
QF_API qf_status qf_temporal_deviations_size(const qf_temporal_deviations* deviations, size_t* n);
QF_API qf_status qf_temporal_deviations_columns(const qf_temporal_deviations* deviations, int64_t* case_index,
                                                int32_t* source_position, int32_t* target_position, int32_t* source,
                                                int32_t* target, double* seconds, double* zeta, size_t capacity);

/* ---- Process models ------------------------------------------------------------------------- */
/* A sales process model: stages (role, department, durations, required, terminal kind), the
 * activities inside them and the transitions between them (forward, rework, skip; a transition
 * between departments is a hand-off). Every duration is in the model's unit (qf_duration_unit).
 * Optional numbers (probabilities, durations) are "not set" when negative or NaN.
 * docs/process.md has the JSON schema, the analyses and the conformance rules.
 * Thread rule: a qf_process_model is built by one thread; once built (no more add/set calls) it
 * may be read by any number of threads. Result handles (qf_process_problems, qf_process_fit,
 * qf_process_check) are immutable; share them freely. */
typedef struct qf_process_model qf_process_model;
typedef struct qf_process_problems qf_process_problems;
typedef struct qf_process_fit qf_process_fit;
typedef struct qf_process_check qf_process_check;

typedef enum qf_duration_unit {
  QF_DURATION_CALENDAR_DAYS = 0,
  QF_DURATION_WORKING_DAYS = 1, /* of the calendar given to the check */
  QF_DURATION_HOURS = 2
} qf_duration_unit;
typedef enum qf_terminal_kind { QF_TERMINAL_NONE = 0, QF_TERMINAL_WON = 1, QF_TERMINAL_LOST = 2 } qf_terminal_kind;
typedef enum qf_transition_kind {
  QF_TRANSITION_FORWARD = 0,
  QF_TRANSITION_REWORK = 1, /* an allowed loop back */
  QF_TRANSITION_SKIP = 2    /* an allowed jump over stages */
} qf_transition_kind;

typedef struct qf_process_stage {
  uint32_t version;          /* QF_PROCESS_STAGE_VERSION */
  const char* name;          /* required, non-empty */
  const char* role;          /* NULL = none */
  const char* department;    /* NULL = none */
  double win_probability;    /* 0..1, negative = not set */
  double expected_duration;  /* >= 0, negative = not set */
  double max_duration;       /* >= 0, negative = not set */
  int32_t required;          /* 1: must be passed on the way to a win */
  int32_t terminal;          /* qf_terminal_kind */
} qf_process_stage;
#define QF_PROCESS_STAGE_VERSION 1u
#define QF_PROCESS_STAGE_INIT {QF_PROCESS_STAGE_VERSION, NULL, NULL, NULL, -1.0, -1.0, -1.0, 0, QF_TERMINAL_NONE}

typedef struct qf_process_activity {
  uint32_t version;   /* QF_PROCESS_ACTIVITY_VERSION */
  const char* name;   /* required, non-empty */
  const char* role;   /* NULL = the stage's role */
  int32_t required;   /* 1: must be done before the case leaves the stage */
  double due_within;  /* >= 0 after entering the stage, negative = not set */
} qf_process_activity;
#define QF_PROCESS_ACTIVITY_VERSION 1u
#define QF_PROCESS_ACTIVITY_INIT {QF_PROCESS_ACTIVITY_VERSION, NULL, NULL, 0, -1.0}

typedef struct qf_process_transition {
  uint32_t version;      /* QF_PROCESS_TRANSITION_VERSION */
  int32_t from, to;      /* stage indexes */
  int32_t kind;          /* qf_transition_kind */
  double probability;    /* 0..1, negative = not set */
  double max_lead_time;  /* hand-offs: >= 0, negative = not set */
} qf_process_transition;
#define QF_PROCESS_TRANSITION_VERSION 1u
#define QF_PROCESS_TRANSITION_INIT {QF_PROCESS_TRANSITION_VERSION, -1, -1, QF_TRANSITION_FORWARD, -1.0, -1.0}

/* An empty model (name may be NULL). Add stages, activities and transitions, then set the start. */
QF_API qf_status qf_process_model_create(qf_process_model** out, const char* name, int32_t duration_unit);
QF_API void qf_process_model_destroy(qf_process_model* model);
/* Each returns the new element's index in *index (may be NULL). Bad fields are
 * QF_ERR_INVALID_ARGUMENT, bad stage indexes QF_ERR_OUT_OF_RANGE, naming the field and value. */
QF_API qf_status qf_process_model_add_stage(qf_process_model* model, const qf_process_stage* stage, int32_t* index);
QF_API qf_status qf_process_model_add_activity(qf_process_model* model, int32_t stage, const qf_process_activity* activity,
                                               int32_t* index);
QF_API qf_status qf_process_model_add_transition(qf_process_model* model, const qf_process_transition* transition,
                                                 int32_t* index);
QF_API qf_status qf_process_model_set_start(qf_process_model* model, int32_t stage);
/* The first stage with that name; QF_ERR_NOT_FOUND otherwise. */
QF_API qf_status qf_process_model_find_stage(const qf_process_model* model, const char* name, int32_t* index);
/* Any output may be NULL; *start is -1 when no start stage is set. */
QF_API qf_status qf_process_model_info(const qf_process_model* model, size_t* n_stages, size_t* n_activities,
                                       size_t* n_transitions, int32_t* start, int32_t* duration_unit);
QF_API qf_status qf_process_model_stage_name(const qf_process_model* model, int32_t stage, char* buf, size_t capacity,
                                             size_t* needed);

/* JSON (schema in docs/process.md). Reading is strict: malformed JSON, unknown keys, wrong types,
 * undefined stage references and duplicate names are QF_ERR_PARSE with the JSON path, line and
 * column. _to_json/_to_dot write NUL-terminated text with the size-query convention. */
QF_API qf_status qf_process_model_from_json(qf_process_model** out, const char* text, size_t length);
QF_API qf_status qf_process_model_load(qf_process_model** out, const char* path);
QF_API qf_status qf_process_model_save(const qf_process_model* model, const char* path);
QF_API qf_status qf_process_model_to_json(const qf_process_model* model, char* buf, size_t capacity, size_t* needed);
/* Graphviz DOT; fit may be NULL (with a fit, edges carry observed counts, shares and mean days). */
QF_API qf_status qf_process_model_to_dot(const qf_process_model* model, const qf_process_fit* fit, char* buf,
                                         size_t capacity, size_t* needed);

/* Structural problems (kinds below), every one of them; an empty list means valid. Analyses and
 * checks need a valid model and fail with QF_ERR_INVALID_ARGUMENT naming the first problem. */
typedef enum qf_problem_kind {
  QF_PROBLEM_NO_START_STAGE = 0,
  QF_PROBLEM_NO_WON_STAGE = 1,
  QF_PROBLEM_DUPLICATE_NAME = 2,
  QF_PROBLEM_DUPLICATE_TRANSITION = 3,
  QF_PROBLEM_UNREACHABLE_STAGE = 4,
  QF_PROBLEM_NO_TERMINAL_REACHABLE = 5,
  QF_PROBLEM_NON_REWORK_CYCLE = 6,
  QF_PROBLEM_TERMINAL_HAS_EXIT = 7,
  QF_PROBLEM_REQUIRED_NOT_MANDATORY = 8
} qf_problem_kind;
QF_API qf_status qf_process_model_validate(const qf_process_model* model, qf_process_problems** out);
QF_API void qf_process_problems_destroy(qf_process_problems* problems);
QF_API qf_status qf_process_problems_count(const qf_process_problems* problems, size_t* n);
/* Problem i: kind, stage (-1 for the whole model) and message (owned by the handle). */
QF_API qf_status qf_process_problems_get(const qf_process_problems* problems, size_t i, int32_t* kind, int32_t* stage,
                                         const char** message);

/* Mandatory stages (dominators of the won stages), ascending; size query with capacity 0. */
QF_API qf_status qf_process_model_mandatory_stages(const qf_process_model* model, int32_t* stages, size_t capacity,
                                                   size_t* count);
/* Longest expected-duration path start -> won over forward/skip transitions, and its total. */
QF_API qf_status qf_process_model_critical_path(const qf_process_model* model, int32_t* stages, size_t capacity,
                                                size_t* count, double* total);

/* Fitted from a log: per stage (n = number of stages; any output may be NULL) and per pair of
 * stages (n = stages x stages, row-major [from * n_stages + to]). Times in seconds. */
QF_API qf_status qf_process_fit_create(qf_process_fit** out, const qf_process_model* model, const qf_log* log);
QF_API void qf_process_fit_destroy(qf_process_fit* fit);
QF_API qf_status qf_process_fit_stages(const qf_process_fit* fit, double* win_probability,
                                       double* expected_seconds_to_terminal, double* sojourn_mean_seconds,
                                       double* sojourn_median_seconds, int64_t* stays, size_t n);
QF_API qf_status qf_process_fit_funnel(const qf_process_fit* fit, int64_t* entered, int64_t* won, int64_t* lost,
                                       int64_t* open, size_t n);
QF_API qf_status qf_process_fit_moves(const qf_process_fit* fit, int64_t* counts, double* probabilities,
                                      double* mean_seconds, size_t n);

/* Conformance check of every case of a log against the model. */
typedef enum qf_deviation_kind {
  QF_DEVIATION_UNKNOWN_ACTIVITY = 0,
  QF_DEVIATION_ILLEGAL_TRANSITION = 1,
  QF_DEVIATION_SKIPPED_REQUIRED_STAGE = 2,
  QF_DEVIATION_BACKWARD_MOVE = 3,
  QF_DEVIATION_REWORK = 4, /* allowed, counted */
  QF_DEVIATION_OVERSTAY = 5,
  QF_DEVIATION_MISSING_REQUIRED_ACTIVITY = 6,
  QF_DEVIATION_WRONG_ROLE = 7,
  QF_DEVIATION_HANDOFF_TOO_SLOW = 8,
  QF_DEVIATION_OPEN_TOO_LONG = 9,
  QF_DEVIATION_LATE_ACTIVITY = 10
} qf_deviation_kind;
#define QF_DEVIATION_KINDS 11
/* "overstay" etc.; "unknown" for other values (static storage). */
QF_API const char* qf_deviation_kind_name(int32_t kind);

typedef struct qf_process_check_options {
  uint32_t version;                  /* QF_PROCESS_CHECK_OPTIONS_VERSION */
  const qf_calendar* calendar;       /* required when the model counts working days */
  int64_t as_of_ns;                  /* open cases are judged at this time; INT64_MIN = not */
  int64_t utc_offset_seconds;        /* local dates for working days */
  const char* const* role_resources; /* n_roles resource names ... */
  const char* const* role_names;     /* ... and the role of each; no role check when 0 */
  size_t n_roles;
  size_t top_paths;                  /* most frequent deviating paths kept (default 10) */
} qf_process_check_options;
#define QF_PROCESS_CHECK_OPTIONS_VERSION 1u
#define QF_PROCESS_CHECK_OPTIONS_INIT {QF_PROCESS_CHECK_OPTIONS_VERSION, NULL, INT64_MIN, 0, NULL, NULL, 0, 10}

QF_API qf_status qf_process_check_create(qf_process_check** out, const qf_process_model* model, const qf_log* log,
                                         const qf_process_check_options* options);
QF_API void qf_process_check_destroy(qf_process_check* check);
/* Any output may be NULL. Fitting: fitness 1; conforming: no deviation but rework. */
QF_API qf_status qf_process_check_info(const qf_process_check* check, size_t* n_cases, size_t* n_deviations,
                                       int64_t* fitting_cases, int64_t* conforming_cases, double* mean_fitness);
/* Per case (n = n_cases; any column may be NULL). outcome: 0 not started, 1 open, 2 won, 3 lost. */
QF_API qf_status qf_process_check_cases(const qf_process_check* check, double* fitness, int32_t* final_stage,
                                        int32_t* outcome, int64_t* n_deviations, size_t n);
QF_API qf_status qf_process_check_tokens(const qf_process_check* check, int32_t* produced, int32_t* consumed,
                                         int32_t* missing, int32_t* remaining, size_t n);
/* Per deviation (n = n_deviations; any column may be NULL), grouped by case in case order.
 * Positions are 0-based inside the case (-1 = none), times ns (INT64_MIN = none), activities log
 * ids (-1 = none); stage/detail as documented in docs/process.md; value/limit the measured
 * duration and its limit in the model's unit (NaN when not a duration). */
QF_API qf_status qf_process_check_deviations(const qf_process_check* check, int32_t* kind, int64_t* case_index,
                                             int32_t* stage, int32_t* detail, double* value, double* limit, size_t n);
QF_API qf_status qf_process_check_deviation_events(const qf_process_check* check, int64_t* first_position,
                                                   int64_t* second_position, int32_t* first_activity,
                                                   int32_t* second_activity, int64_t* first_time_ns,
                                                   int64_t* second_time_ns, size_t n);
/* Plain-language message of deviation i. */
QF_API qf_status qf_process_check_message(const qf_process_check* check, size_t i, char* buf, size_t capacity,
                                          size_t* needed);
/* Deviation counts by kind (n = QF_DEVIATION_KINDS) and by stage x kind (n = stages x kinds). */
QF_API qf_status qf_process_check_by_kind(const qf_process_check* check, int64_t* counts, size_t n);
QF_API qf_status qf_process_check_by_stage(const qf_process_check* check, int64_t* counts, size_t n);
/* The most frequent deviating paths (stage sequences of cases with deviations other than
 * rework): count, then path i's stages (size query with capacity 0) and its number of cases. */
QF_API qf_status qf_process_check_path_count(const qf_process_check* check, size_t* n_paths);
QF_API qf_status qf_process_check_path(const qf_process_check* check, size_t i, int32_t* stages, size_t capacity,
                                       size_t* count, int64_t* cases);

/* ---- Control charts ------------------------------------------------------------------------- */
/* Control charts on KPI series: X-mR (individuals) with the 8 Nelson and 4 Western Electric
 * rules, tabular CUSUM and EWMA. docs/monitor.md has the definitions, constants, rule table,
 * semantics and average run lengths. In short: centre = mean of the baseline points, sigma =
 * mean moving range (adjacent baseline points only) / 1.128; robust: median and 1.4826 MAD;
 * every comparison strict; a rule fires at every index that completes a qualifying window.
 * A chart of one series (qf_control_chart) or of every row of a row-major n_series x n_points
 * matrix (qf_control_charts) gives a qf_chart_signals handle holding every signal (series,
 * point index, rule, value, centre, lower, upper; ordered by series, index, rule) and the
 * centre and sigma used for each series. Points must be finite: NaN or inf is
 * QF_ERR_INVALID_ARGUMENT naming the point ("values[3, 7] is NaN"). A flat baseline (estimated
 * sigma 0) gives that series no signals and sigma 0, not an error.
 * Thread rule: the functions are pure; a qf_chart_signals is immutable, share it freely. */
typedef struct qf_chart_signals qf_chart_signals;

/* Chart kinds; values are stable. */
typedef enum qf_chart_kind { QF_CHART_XMR = 0, QF_CHART_CUSUM = 1, QF_CHART_EWMA = 2 } qf_chart_kind;

/* Rules; values are stable and are bit positions in a rule mask. z = (x - centre) / sigma. */
typedef enum qf_chart_rule {
  QF_RULE_NELSON1 = 0,     /* 1 point with |z| > 3 */
  QF_RULE_NELSON2 = 1,     /* 9 in a row on one side of the centre */
  QF_RULE_NELSON3 = 2,     /* 6 in a row strictly increasing or decreasing */
  QF_RULE_NELSON4 = 3,     /* 14 in a row alternating up and down */
  QF_RULE_NELSON5 = 4,     /* 2 of 3 beyond 2 sigma, same side */
  QF_RULE_NELSON6 = 5,     /* 4 of 5 beyond 1 sigma, same side */
  QF_RULE_NELSON7 = 6,     /* 15 in a row with |z| < 1 */
  QF_RULE_NELSON8 = 7,     /* 8 in a row with |z| > 1, points on both sides */
  QF_RULE_WE1 = 8,         /* = nelson1 */
  QF_RULE_WE2 = 9,         /* = nelson5 */
  QF_RULE_WE3 = 10,        /* = nelson6 */
  QF_RULE_WE4 = 11,        /* 8 in a row on one side of the centre */
  QF_RULE_CUSUM_UP = 12,   /* upper CUSUM > h sigma (cusum charts) */
  QF_RULE_CUSUM_DOWN = 13, /* lower CUSUM > h sigma (cusum charts) */
  QF_RULE_EWMA = 14        /* EWMA outside its limits (ewma charts) */
} qf_chart_rule;
#define QF_RULE_BIT(rule) (1u << (unsigned)(rule))
#define QF_RULES_NELSON 0x00FFu
#define QF_RULES_WESTERN_ELECTRIC 0x0F00u
#define QF_RULES_CUSUM 0x3000u

typedef struct qf_chart_options {
  uint32_t version;        /* QF_CHART_OPTIONS_VERSION */
  int32_t chart;           /* qf_chart_kind */
  uint32_t rules;          /* mask of QF_RULE_BIT(r); 0: the chart's default (xmr: QF_RULES_NELSON,
                              cusum: QF_RULES_CUSUM, ewma: QF_RULE_EWMA). Run rules on cusum/ewma
                              charts (and the reverse) are QF_ERR_INVALID_ARGUMENT. */
  double k;                /* CUSUM reference value, sigma units (>= 0) */
  double h;                /* CUSUM decision interval, sigma units (> 0); both sums restart after a signal */
  double lambda;           /* EWMA weight of the newest point (0 < lambda <= 1) */
  double L;                /* EWMA limit width, sigma units (> 0); exact time-varying limits */
  int32_t robust;          /* nonzero: median and 1.4826 MAD instead of mean and moving range */
  const uint8_t* baseline; /* NULL: every point; else n_points flags, nonzero = sets centre and sigma
                              (the same points of every series in qf_control_charts) */
  const double* center;    /* NULL: estimated; else known centres: 1 (every series) or n_series */
  size_t n_center;
  const double* sigma;     /* NULL: estimated; else known sigmas > 0: 1 (every series) or n_series */
  size_t n_sigma;
} qf_chart_options;
#define QF_CHART_OPTIONS_VERSION 1u
#define QF_CHART_OPTIONS_INIT {QF_CHART_OPTIONS_VERSION, QF_CHART_XMR, 0u, 0.5, 5.0, 0.2, 3.0, 0, NULL, NULL, 0, NULL, 0}

/* One series of n points. options may be NULL (X-mR, Nelson rules, baseline = every point). */
QF_API qf_status qf_control_chart(qf_chart_signals** out, const double* values, size_t n,
                                  const qf_chart_options* options);
/* Every row of a row-major n_series x n_points matrix, one chart per row with the same options.
 * n_series 0 gives an empty result; n_points 0 is an error. */
QF_API qf_status qf_control_charts(qf_chart_signals** out, const double* values, size_t n_series, size_t n_points,
                                   const qf_chart_options* options);
QF_API void qf_chart_signals_destroy(qf_chart_signals* signals);
/* Number of signals and of series (1 for qf_control_chart); either output may be NULL. */
QF_API qf_status qf_chart_signals_size(const qf_chart_signals* signals, size_t* n_signals, size_t* n_series);
/* The signals' columns (capacity >= n_signals; any column may be NULL). rule: qf_chart_rule.
 * value/center/lower/upper: x, centre, centre -/+ 3 sigma (xmr); C+ or -C-, 0, -H, H (cusum);
 * the EWMA, centre and its limits at that point (ewma). */
QF_API qf_status qf_chart_signals_columns(const qf_chart_signals* signals, int64_t* series, int64_t* index,
                                          int32_t* rule, double* value, double* center, double* lower,
                                          double* upper, size_t capacity);
/* The centre and sigma used for each series (capacity >= n_series; either may be NULL). */
QF_API qf_status qf_chart_signals_parameters(const qf_chart_signals* signals, double* center, double* sigma,
                                             size_t capacity);
/* "nelson1", "we4", "cusum_up"...; "unknown" for other values. Never NULL. */
QF_API const char* qf_chart_rule_name(int32_t rule);
/* A comma-separated list of rule names and the sets "nelson", "western_electric" as a mask:
 * "nelson1, we4" gives QF_RULE_BIT(QF_RULE_NELSON1) | QF_RULE_BIT(QF_RULE_WE4). */
QF_API qf_status qf_chart_rules_parse(const char* names, uint32_t* rules);

/* ---- Roll-up and tracking ------------------------------------------------------------------- */
/* Plan vs actual (docs/tracking.md): fact rows rolled up into node x period matrices, then pacing
 * per node and period against a working-day calendar. Matrices are row-major, one row per node in
 * hierarchy order, one column per period of qf_calendar_periods(start, end, grain). */

/* Sums facts (node index, date, amount) into out (n_nodes x n_periods) for every node: a fact
 * counts for its node and all its ancestors. Facts dated outside [start, end) are not in out:
 * their number and summed amount go to *outside_count and *outside_amount (either may be NULL).
 * Size query: with out == NULL and n_out == 0, only *n_periods is set (it may be NULL otherwise).
 * Errors name the row: an unknown node (QF_ERR_NOT_FOUND), a date the calendar does not cover
 * (QF_ERR_OUT_OF_RANGE), an int64 overflow (QF_ERR_OVERFLOW). */
QF_API qf_status qf_rollup(const qf_hierarchy* hierarchy, const qf_calendar* calendar, const int32_t* node_of_fact,
                           const int32_t* date_of_fact, const int64_t* amount_of_fact, size_t n_facts, int32_t start,
                           int32_t end, int32_t grain, int64_t* out, size_t n_out, size_t* n_periods,
                           int64_t* outside_count, int64_t* outside_amount);

typedef enum qf_track_status {
  QF_TRACK_AHEAD = 0,    /* pace >= ahead_pace */
  QF_TRACK_ON_TRACK = 1, /* behind_pace <= pace < ahead_pace, or nothing due yet */
  QF_TRACK_BEHIND = 2,   /* at_risk_pace <= pace < behind_pace and the required rate is reachable */
  QF_TRACK_AT_RISK = 3,  /* pace < at_risk_pace, or the required rate > at_risk_required x plan rate */
  QF_TRACK_MISSED = 4,   /* the period is over and actual < plan */
  QF_TRACK_MADE = 5      /* actual >= plan (> 0), or the period is over and actual >= plan */
} qf_track_status;

typedef struct qf_track_options {
  uint32_t version;              /* QF_TRACK_OPTIONS_VERSION */
  int32_t grain;                 /* qf_grain of the matrices' periods */
  const double* month_profile;   /* NULL or 12 weights (January first), >= 0 */
  const double* weekday_profile; /* NULL or 7 weights (Monday first), >= 0 */
  const double* daily_profile;   /* NULL or one weight per day of [start, end) */
  size_t n_daily;
  double ahead_pace;             /* default 1.10 */
  double behind_pace;            /* default 0.95 */
  double at_risk_pace;           /* default 0.85 */
  double at_risk_required;       /* default 1.5 */
} qf_track_options;
#define QF_TRACK_OPTIONS_VERSION 1u
#define QF_TRACK_OPTIONS_INIT {QF_TRACK_OPTIONS_VERSION, QF_GRAIN_MONTH, NULL, NULL, NULL, 0, 1.10, 0.95, 0.85, 1.5}

/* Result columns. Per cell (n_nodes x n_periods): int64 columns read with qf_track_int64, double
 * columns with qf_track_double. Per period (n_periods): QF_TRACK_ELAPSED .. QF_TRACK_REMAINING_WEIGHT
 * with qf_track_double, QF_TRACK_ELAPSED_DAYS and QF_TRACK_REMAINING_DAYS with qf_track_int64.
 * Ratios with a zero denominator are NaN. */
typedef enum qf_track_column {
  QF_TRACK_PLAN_TO_DATE = 0,      /* int64: the plan's exact share of the elapsed weight */
  QF_TRACK_VARIANCE = 1,          /* int64: actual - plan to date */
  QF_TRACK_PROJECTED = 2,         /* int64: working-day run rate to the end of the period */
  QF_TRACK_PROJECTED_SEASONAL = 3,/* int64: run rate weighted by the profile */
  QF_TRACK_VARIANCE_PCT = 4,      /* double: 100 x variance / plan to date */
  QF_TRACK_ATTAINMENT = 5,        /* double: actual / plan */
  QF_TRACK_PACE = 6,              /* double: actual / plan to date */
  QF_TRACK_REQUIRED_RATE = 7,     /* double: max(plan - actual, 0) per remaining working day */
  QF_TRACK_GAP_SHARE = 8,         /* double: variance / the parent's variance (NaN for roots) */
  QF_TRACK_ELAPSED = 9,           /* double, per period: elapsed working-day fraction */
  QF_TRACK_ELAPSED_WEIGHT = 10,   /* double, per period */
  QF_TRACK_REMAINING_WEIGHT = 11, /* double, per period */
  QF_TRACK_ELAPSED_DAYS = 12,     /* int64, per period: working days elapsed (as_of included) */
  QF_TRACK_REMAINING_DAYS = 13    /* int64, per period */
} qf_track_column;

/* Thread rule: a qf_track is immutable once created; share it across threads freely. */
typedef struct qf_track qf_track;
/* plan and actual: n_cells = n_nodes x n_periods values each; actual is what was booked up to and
 * including as_of. options may be NULL (defaults). */
QF_API qf_status qf_track_create(qf_track** out, const qf_hierarchy* hierarchy, const qf_calendar* calendar,
                                 const int64_t* plan, const int64_t* actual, size_t n_cells, int32_t start,
                                 int32_t end, int32_t as_of, const qf_track_options* options);
QF_API void qf_track_destroy(qf_track* track);
QF_API qf_status qf_track_info(const qf_track* track, size_t* n_nodes, size_t* n_periods);
/* n must be the column's length (cells or periods, see qf_track_column). */
QF_API qf_status qf_track_int64(const qf_track* track, int32_t column, int64_t* out, size_t n);
QF_API qf_status qf_track_double(const qf_track* track, int32_t column, double* out, size_t n);
/* Per cell: qf_track_status values. */
QF_API qf_status qf_track_statuses(const qf_track* track, int32_t* out, size_t n);
/* "ahead", "on_track", "behind", "at_risk", "missed", "made"; "unknown" otherwise (never NULL). */
QF_API const char* qf_track_status_name(int32_t status);

/* Volume, price and mix effects of revenue gaps (docs/tracking.md has the formulas): n item rows,
 * group[i] in 0..n_groups-1. Per group (n_groups values each; any output may be NULL):
 * gap = actual - plan revenue = volume + price + mix, exactly. */
QF_API qf_status qf_price_volume_mix(const int32_t* group, const int64_t* plan_quantity, const int64_t* plan_revenue,
                                     const int64_t* actual_quantity, const int64_t* actual_revenue, size_t n,
                                     size_t n_groups, int64_t* gap, int64_t* volume, int64_t* price, int64_t* mix);

/* ---- KPI scorecards ------------------------------------------------------------------------- */
/* Weighted KPIs scored through curves, with gates, per row of input columns (docs/incentives.md).
 * A card is read from JSON (schema "quotaflow.scorecard/1"); JSON problems, including the card's
 * meaning (weights not summing to 100, unknown measures, decreasing curves, unsorted or overlapping
 * steps) are QF_ERR_PARSE with the JSON path: "$.kpis[2].curve.points[1].points (line 8, ...)".
 * Thread rule: qf_scorecard and qf_scorecard_result are immutable once created; share them. */
typedef struct qf_scorecard qf_scorecard;
typedef struct qf_scorecard_result qf_scorecard_result;

/* text: length bytes of UTF-8 JSON (no NUL needed). */
QF_API qf_status qf_scorecard_from_json(qf_scorecard** out, const char* text, size_t length);
/* QF_ERR_IO when the file cannot be read. */
QF_API qf_status qf_scorecard_load(qf_scorecard** out, const char* path);
QF_API void qf_scorecard_destroy(qf_scorecard* card);
/* The card as JSON (deterministic bytes), NUL-terminated, with the size-query convention. */
QF_API qf_status qf_scorecard_to_json(const qf_scorecard* card, char* buf, size_t capacity, size_t* needed);
QF_API qf_status qf_scorecard_size(const qf_scorecard* card, size_t* n_kpis);
/* KPI kpi's name and measure name (NUL-terminated, size-query convention; either may be NULL). */
QF_API qf_status qf_scorecard_kpi_name(const qf_scorecard* card, size_t kpi, char* buf, size_t capacity, size_t* needed);
QF_API qf_status qf_scorecard_kpi_measure(const qf_scorecard* card, size_t kpi, char* buf, size_t capacity,
                                          size_t* needed);

/* Scores n_rows rows. Column c is names[c] with values columns[c][0 .. n_rows-1]; a measure is read
 * from the column of its name or, for ratio measures, from its numerator and denominator columns
 * ("actual" / "target" for attainment); unused columns are ignored. Row i of the result is row i
 * of the columns (keep person and period ids on your side). Errors: a missing column
 * (QF_ERR_NOT_FOUND), NaN or infinite values and zero denominators ("margin_rate[17] is NaN",
 * QF_ERR_INVALID_ARGUMENT), NULL names or columns (QF_ERR_NULL_POINTER). */
QF_API qf_status qf_scorecard_score(qf_scorecard_result** out, const qf_scorecard* card, const char* const* names,
                                    const double* const* columns, size_t n_columns, size_t n_rows);
QF_API void qf_scorecard_result_destroy(qf_scorecard_result* result);
/* Either output may be NULL. Lines are n_rows x n_kpis, row-major (line = row * n_kpis + kpi). */
QF_API qf_status qf_scorecard_result_size(const qf_scorecard_result* result, size_t* n_rows, size_t* n_kpis);
/* Per row: the total score (sum of the weighted points). n must be n_rows. */
QF_API qf_status qf_scorecard_result_totals(const qf_scorecard_result* result, double* out, size_t n);
/* Per line (n = n_rows x n_kpis; any output may be NULL): the measure's value, the curve's points,
 * the gate factor (1 = no failed gate applies, 0 = withheld), weight / 100 x points x factor, and
 * gated: 1 where the KPI's own gate failed. */
QF_API qf_status qf_scorecard_result_lines(const qf_scorecard_result* result, double* value, double* points,
                                           double* factor, double* weighted, int32_t* gated, size_t n);
/* Why line (row, kpi) scored what it did, e.g. "collection rate 72% is below the gate of 80%:
 * bonus withheld" (NUL-terminated, size-query convention; QF_ERR_OUT_OF_RANGE for a bad row/kpi). */
QF_API qf_status qf_scorecard_result_reason(const qf_scorecard_result* result, size_t row, size_t kpi, char* buf,
                                            size_t capacity, size_t* needed);

/* ---- Incentive plans and payouts (quotaflow/incentive/payout.hpp) ----
 * A plan is read from JSON (schema "quotaflow.incentive_plan/1", docs/incentives.md); a payout run
 * evaluates plans over columns of sales, quotas, KPI scores, adjustments and clawbacks and gives a
 * result handle with statements per person x period (cells, person-major) and their lines.
 * Amounts are int64 minor units; dates are days since 1970-01-01. Each line is rounded half away
 * from zero from exact integer arithmetic and a cell's payout is the sum of its lines.
 * Thread rule: qf_plan and qf_payout are immutable once created; share them across threads. */
typedef struct qf_plan qf_plan;
typedef struct qf_payout qf_payout;

/* Reads a plan from `length` bytes of JSON; `source` (may be NULL) names it in messages. Errors
 * carry the JSON path: "$.components[1].tiers[2].rate is -0.5; ..." (QF_ERR_INVALID_ARGUMENT) or
 * "... (line 9, column 31): expected a number, got a string" (QF_ERR_PARSE). */
QF_API qf_status qf_plan_create_json(qf_plan** out, const char* json, size_t length, const char* source);
QF_API void qf_plan_destroy(qf_plan* plan);
/* The plan as JSON (deterministic bytes), NUL-terminated, with the size-query convention. */
QF_API qf_status qf_plan_to_json(const qf_plan* plan, char* buf, size_t capacity, size_t* needed);

/* Input columns. Column pointers may be NULL when their count is 0; optional per-person columns
 * (manager, hired, left) may be NULL. */
typedef struct qf_payout_input {
  uint32_t version; /* QF_PAYOUT_INPUT_VERSION */
  size_t n_people;
  const int32_t* manager; /* parent per person, -1 = none (roll-up) */
  int32_t rollup;         /* 1: managers are credited with their reports' credits */
  const int32_t* hired;   /* first day employed per person, or NULL */
  const int32_t* left;    /* first day no longer employed per person, or NULL */
  size_t n_sales;
  const int32_t* sale_seller;
  const int32_t* sale_date;
  const int64_t* sale_amount;
  size_t n_splits; /* split rows, sorted by sale; shares of a sale sum to 1 */
  const int64_t* split_sale;
  const int32_t* split_person;
  const double* split_share;
  size_t n_quotas; /* quota per period, effective from a date */
  const int32_t* quota_person;
  const int32_t* quota_from;
  const int64_t* quota_amount;
  size_t n_assignments; /* plan index per person from a date; none: everyone on plans[0] */
  const int32_t* assign_person;
  const int32_t* assign_from;
  const int32_t* assign_plan;
  size_t n_kpis;
  const char* const* kpi_names;
  size_t n_scores; /* one per person, KPI and period (any date in the period) */
  const int32_t* score_person;
  const int32_t* score_date;
  const int32_t* score_kpi;
  const double* score_value;
  size_t n_adjustments;
  const int32_t* adjust_person;
  const int32_t* adjust_date;
  const int64_t* adjust_amount;
  const char* const* adjust_reason;
  size_t n_clawbacks; /* reverse `amount` of sale `sale`'s credit as of `date` */
  const int64_t* clawback_sale;
  const int32_t* clawback_date;
  const int64_t* clawback_amount;
} qf_payout_input;
#define QF_PAYOUT_INPUT_VERSION 1u
#define QF_PAYOUT_INPUT_INIT \
  {QF_PAYOUT_INPUT_VERSION, 0, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL, \
   NULL, NULL, 0, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, \
   NULL, NULL, NULL}

typedef struct qf_payout_options {
  uint32_t version; /* QF_PAYOUT_OPTIONS_VERSION */
  int32_t start;    /* the run covers [start, end) */
  int32_t end;
  int32_t grain;       /* qf_grain of the periods, default month */
  int32_t lines_from;  /* statement lines are kept for periods [lines_from, lines_until) */
  int32_t lines_until;
} qf_payout_options;
#define QF_PAYOUT_OPTIONS_VERSION 1u
#define QF_PAYOUT_OPTIONS_INIT {QF_PAYOUT_OPTIONS_VERSION, 0, 0, QF_GRAIN_MONTH, 0, 2147483647}

/* Line kinds (qf_payout_lines' kind column). */
#define QF_LINE_CREDIT 0
#define QF_LINE_COMMISSION 1
#define QF_LINE_BONUS 2
#define QF_LINE_COMPONENT_CAP 3
#define QF_LINE_PLAN_CAP 4
#define QF_LINE_CLAWBACK 5
#define QF_LINE_ADJUSTMENT 6
#define QF_LINE_DRAW 7
#define QF_LINE_DRAW_RECOVERY 8
/* "credit", "commission", ...; "unknown" for other values. */
QF_API const char* qf_line_kind_name(int32_t kind);

/* Runs n_plans plans (assignments index them). Errors name the column and row:
 * "sale_seller[3] is 7; people are 0..4" (QF_ERR_NOT_FOUND), "split shares of sale 0 ... sum to
 * 0.9" (QF_ERR_INVALID_ARGUMENT), dates outside the run (QF_ERR_OUT_OF_RANGE), QF_ERR_OVERFLOW. */
QF_API qf_status qf_payout_run(qf_payout** out, const qf_plan* const* plans, size_t n_plans, const qf_calendar* calendar,
                               const qf_payout_input* input, const qf_payout_options* options);
QF_API void qf_payout_destroy(qf_payout* payout);
/* Any output may be NULL. Cells are n_people x n_periods, person-major. */
QF_API qf_status qf_payout_size(const qf_payout* payout, size_t* n_people, size_t* n_periods, size_t* n_lines);
/* Period i's [start, end) and working days; QF_ERR_OUT_OF_RANGE for a bad i. */
QF_API qf_status qf_payout_period(const qf_payout* payout, size_t i, int32_t* start, int32_t* end, int32_t* working_days);
/* Per cell (n = n_people x n_periods; any output may be NULL). attainment is NaN when quota is 0. */
QF_API qf_status qf_payout_cells(const qf_payout* payout, int64_t* credit, int64_t* quota, int64_t* earnings,
                                 int64_t* clawback, int64_t* draw_balance, int64_t* payout_amount, double* attainment,
                                 double* ytd_attainment, uint64_t* first_line, uint32_t* line_count, size_t n);
/* Per line (n = n_lines; any output may be NULL). ref: plan index for plan lines, sale index for
 * clawbacks, adjustment row for adjustments, -1 otherwise; component and tier -1 when none. */
QF_API qf_status qf_payout_lines(const qf_payout* payout, int32_t* person, int32_t* period, int32_t* kind, int32_t* ref,
                                 int32_t* component, int32_t* tier, int64_t* base, int64_t* rate, int64_t* amount,
                                 size_t n);

/* ---- streaming monitor (issue 5) -----------------------------------------------------------
 * A qf_monitor keeps running state from pushed events and reports alert changes on
 * qf_monitor_advance. Thread rule: a qf_monitor is NOT synchronised: one thread at a time pushes,
 * advances, snoozes or saves it. A qf_monitor_changes result is immutable and may be shared.
 * Alert rule ids are stable (quotaflow::monitor::Rule): 0 pace_behind, 1 pace_at_risk,
 * 2 period_missed, 3 deal_stalled, 4 deal_slipped, 5 pipeline_coverage_low,
 * 6 target_probability_low, 7 price_below_floor, 8 price_above_ceiling, 9 promo_not_free,
 * 10 discount_above_max, 11 territory_violation, 12 receivable_overdue, 13 collection_gap,
 * 14 activity_shortfall, 15 case_late, 16 chart_signal. The monitor evaluates every rule; the
 * pipeline, per-sale, collection and chart rules need the inputs of qf_monitor_rule_options and
 * the pushes qf_monitor_push_deals, qf_monitor_push_sale_columns, qf_monitor_push_invoices_with_seller. */
typedef struct qf_monitor qf_monitor;
typedef struct qf_monitor_changes qf_monitor_changes;

#define QF_ALERT_RULE_BIT(rule) (1u << (unsigned)(rule))
#define QF_ALERT_RULES_ALL 0x1FFFFu
/* Change kinds, severities and entity kinds (stable values). */
#define QF_CHANGE_RAISED 0
#define QF_CHANGE_CHANGED 1
#define QF_CHANGE_CLEARED 2
#define QF_SEVERITY_INFO 0
#define QF_SEVERITY_WARNING 1
#define QF_SEVERITY_CRITICAL 2
/* "No time" for qf_monitor_push_cases (an unfinished case, a case without planned end). */
#define QF_NO_TIME INT64_MIN

typedef struct qf_monitor_options {
  uint32_t version;                 /* QF_MONITOR_OPTIONS_VERSION */
  int32_t grain;                    /* qf_grain of the plan's periods, default month */
  uint32_t enabled_rules;           /* mask of QF_ALERT_RULE_BIT(rule), default QF_ALERT_RULES_ALL */
  double ahead_pace, behind_pace, at_risk_pace, at_risk_required; /* track() thresholds */
  double stalled_critical_factor;   /* >= 1, default 2 */
  int32_t overdue_grace_days;       /* >= 0, default 0 */
  int32_t overdue_critical_days;    /* >= 0, default 30 */
  double activity_min_ratio;        /* [0, 1], default 0.8 */
  double case_late_critical_days;   /* >= 0, default 30 */
  const int64_t* visit_plan;        /* NULL or n_cells planned visits (nodes x periods) */
  const double* stage_limit_days;   /* NULL or n_stages working-day limits per stage (NaN: none) */
  size_t n_stages;
  /* version 2: */
  const struct qf_monitor_rule_options* rule_options; /* NULL: defaults (no collection plan, KPI
                                                         history or sales policy) */
} qf_monitor_options;
/* Version 1 callers (without rule_options) keep working: the library reads only their fields. */
#define QF_MONITOR_OPTIONS_VERSION 2u
#define QF_MONITOR_OPTIONS_INIT \
  {QF_MONITOR_OPTIONS_VERSION, QF_GRAIN_MONTH, QF_ALERT_RULES_ALL, 1.10, 0.95, 0.85, 1.5, 2.0, 0, 30, 0.8, 30.0, NULL, NULL, 0, NULL}

/* Settings and inputs of the pipeline, per-sale, collection and chart rules (docs/streaming.md).
 * Arrays are copied at create/load. The sales policy: per item list_price (0: none), promotional
 * flags and names; per tier max_discount_pct; per customer its tier; per hierarchy node its
 * territory node in `territories` (-1: unrestricted). ceiling_share 0 means no ceiling. */
typedef struct qf_monitor_rule_options {
  uint32_t version;                 /* QF_MONITOR_RULE_OPTIONS_VERSION */
  double min_coverage;              /* pipeline_coverage_low below this, default 1 */
  double min_target_probability;    /* target_probability_low below this, default 0.5 */
  int64_t target_unit;              /* smallest discretisation unit, default 1 */
  int64_t target_cells;             /* most cells of a node's distribution, default 16384 */
  double collection_min_share;      /* collection_gap below this share of the target to date, default 1 */
  int32_t chart_kind;               /* qf_chart_kind of chart_signal, default QF_CHART_XMR */
  uint32_t chart_rules;             /* mask of QF_RULE_BIT(r) (control-chart rules); 0: the chart's default */
  const int64_t* collection_plan;   /* NULL or n_cells collection targets (nodes x periods) */
  const double* kpi_history;        /* NULL or nodes x n_history actuals before start (baseline) */
  size_t n_history;                 /* >= 2 when kpi_history is given */
  const char* const* stage_names;   /* NULL or options->n_stages names (messages) */
  int32_t amount_scale;             /* decimals of amounts in messages, default 0 */
  const int64_t* list_price;        /* NULL or n_items list prices (minor units) */
  const uint8_t* promotional;       /* NULL or n_items flags (non-zero: must be free) */
  const char* const* item_names;    /* NULL or n_items names */
  size_t n_items;
  const double* max_discount_pct;   /* NULL or n_tiers maximum discounts (percent) */
  size_t n_tiers;
  const int32_t* customer_tier;     /* NULL or n_customers tier ids */
  size_t n_customers;
  double floor_share, ceiling_share, critical_excess_pct; /* defaults 0, 0 (none), 10 */
  const qf_hierarchy* territories;  /* NULL: no territory rule; else the geography */
  const int32_t* seller_territory;  /* with territories: one per hierarchy node, a territory node or -1 */
} qf_monitor_rule_options;
#define QF_MONITOR_RULE_OPTIONS_VERSION 1u
#define QF_MONITOR_RULE_OPTIONS_INIT \
  {QF_MONITOR_RULE_OPTIONS_VERSION, 1.0, 0.5, 1, 16384, 1.0, QF_CHART_XMR, 0u, NULL, NULL, 0, NULL, 0, \
   NULL, NULL, NULL, 0, NULL, 0, NULL, 0, 0.0, 0.0, 10.0, NULL, NULL}

/* A batch of sales for qf_monitor_push_sale_columns: node, date, amount required; the other
 * columns NULL (absent) or n long: sale ids (default: the running count of sales pushed), item
 * and unit price (price policy; together), discount_pct (else derived from the list price),
 * customer (its tier), location (a node of the territories; territory rule). */
typedef struct qf_monitor_sale_columns {
  uint32_t version; /* QF_MONITOR_SALE_COLUMNS_VERSION */
  size_t n;
  const int32_t* node;
  const int32_t* date;
  const int64_t* amount;
  const int64_t* sale;
  const int32_t* item;
  const int64_t* price;
  const double* discount_pct;
  const int32_t* customer;
  const int32_t* location;
} qf_monitor_sale_columns;
#define QF_MONITOR_SALE_COLUMNS_VERSION 1u
#define QF_MONITOR_SALE_COLUMNS_INIT {QF_MONITOR_SALE_COLUMNS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/* plan: n_cells = nodes x periods of [start, end) at options->grain (options may be NULL).
 *   qf_monitor_create(&m, org, cal, plan, n, start, end, &opt); ... qf_monitor_destroy(m); */
QF_API qf_status qf_monitor_create(qf_monitor** out, const qf_hierarchy* hierarchy, const qf_calendar* calendar,
                                   const int64_t* plan, size_t n_cells, int32_t start, int32_t end,
                                   const qf_monitor_options* options);
QF_API void qf_monitor_destroy(qf_monitor* monitor);
/* Events as columns of length n; a batch is validated whole and applied all or nothing. */
QF_API qf_status qf_monitor_push_sales(qf_monitor* monitor, const int32_t* node, const int32_t* date,
                                       const int64_t* amount, size_t n);
/* stage -1 closes the deal. */
QF_API qf_status qf_monitor_push_stage_changes(qf_monitor* monitor, const int64_t* deal, const int32_t* stage,
                                               const int32_t* date, size_t n);
QF_API qf_status qf_monitor_push_invoices(qf_monitor* monitor, const int64_t* invoice, const int64_t* customer,
                                          const int64_t* amount, const int32_t* due, size_t n);
QF_API qf_status qf_monitor_push_payments(qf_monitor* monitor, const int64_t* invoice, const int64_t* amount,
                                          const int32_t* date, size_t n);
QF_API qf_status qf_monitor_push_visits(qf_monitor* monitor, const int32_t* seller, const int32_t* date,
                                        const int64_t* count, size_t n);
/* Times in nanoseconds since 1970-01-01 UTC, or QF_NO_TIME. */
QF_API qf_status qf_monitor_push_cases(qf_monitor* monitor, const int64_t* case_id, const int64_t* end,
                                       const int64_t* planned_end, size_t n);
/* Sales with the optional columns (price policy and territory run on the batch as it is pushed).
 *   qf_monitor_sale_columns s = QF_MONITOR_SALE_COLUMNS_INIT; s.n = n; s.node = ...;
 *   qf_monitor_push_sale_columns(m, &s); */
QF_API qf_status qf_monitor_push_sale_columns(qf_monitor* monitor, const qf_monitor_sale_columns* sales);
/* Deal figures: owner node, amount (>= 0), win probability [0, 1], expected close date. The first
 * close date pushed for a deal is its original one (deal_slipped).
 *   qf_monitor_push_deals(m, deal, owner, amount, probability, close, n); */
QF_API qf_status qf_monitor_push_deals(qf_monitor* monitor, const int64_t* deal, const int32_t* owner,
                                       const int64_t* amount, const double* probability, const int32_t* close, size_t n);
/* Invoices whose payments are collected for seller[i] (a node, or -1: nobody; collection_gap).
 *   qf_monitor_push_invoices_with_seller(m, invoice, customer, amount, due, seller, n); */
QF_API qf_status qf_monitor_push_invoices_with_seller(qf_monitor* monitor, const int64_t* invoice, const int64_t* customer,
                                                      const int64_t* amount, const int32_t* due, const int32_t* seller,
                                                      size_t n);
/* Runs the rules as of as_of; *out receives the changes since the last advance (destroy it). */
QF_API qf_status qf_monitor_advance(qf_monitor* monitor, int32_t as_of, qf_monitor_changes** out);
QF_API qf_status qf_monitor_snooze(qf_monitor* monitor, uint64_t key, int32_t until, const char* reason, double margin);
QF_API qf_status qf_monitor_acknowledge(qf_monitor* monitor, uint64_t key, int32_t until, const char* reason);
/* Number of active alerts. */
QF_API qf_status qf_monitor_active(const qf_monitor* monitor, size_t* n_active);
/* Snapshot into a library-owned buffer (*data released with qf_free), or into a caller buffer with
 * the size query (buf NULL and capacity 0: *needed only). */
QF_API qf_status qf_monitor_save(const qf_monitor* monitor, uint8_t** data, size_t* size);
QF_API qf_status qf_monitor_save_to(const qf_monitor* monitor, uint8_t* buf, size_t capacity, size_t* needed);
/* A new monitor from a snapshot and the configuration it was saved with; a damaged snapshot is
 * QF_ERR_PARSE naming the damage, a different configuration QF_ERR_INVALID_ARGUMENT. */
QF_API qf_status qf_monitor_load(qf_monitor** out, const uint8_t* data, size_t size, const qf_hierarchy* hierarchy,
                                 const qf_calendar* calendar, const int64_t* plan, size_t n_cells, int32_t start,
                                 int32_t end, const qf_monitor_options* options);

QF_API void qf_monitor_changes_destroy(qf_monitor_changes* changes);
QF_API qf_status qf_monitor_changes_count(const qf_monitor_changes* changes, size_t* n);
/* Columns of length n (any output may be NULL): change kind, rule, severity, entity kind, entity,
 * related, period, observed, expected, key. */
QF_API qf_status qf_monitor_changes_columns(const qf_monitor_changes* changes, int32_t* change, int32_t* rule,
                                            int32_t* severity, int32_t* entity_kind, int64_t* entity,
                                            int64_t* related, int32_t* period, double* observed, double* expected,
                                            uint64_t* key, size_t n);
/* Message of change i with the size-query convention; QF_ERR_OUT_OF_RANGE for a bad i. */
QF_API qf_status qf_monitor_changes_message(const qf_monitor_changes* changes, size_t i, char* buf, size_t capacity,
                                            size_t* needed);
/* "pace_behind", ...; "raised", "changed", "cleared"; "info", ...; "node", "deal", ...;
 * "unknown" for values out of range (never NULL). */
QF_API const char* qf_alert_rule_name(int32_t rule);
QF_API const char* qf_change_kind_name(int32_t change);
QF_API const char* qf_severity_name(int32_t severity);
QF_API const char* qf_entity_kind_name(int32_t kind);

#ifdef __cplusplus
}
#endif
#endif /* QUOTAFLOW_H */
