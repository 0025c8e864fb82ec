// Scoring curves: how a KPI's value (attainment 0.95, margin rate 0.23, 4 new outlets) becomes
// points, where 100 points means "on target". Three kinds, all non-decreasing, so that doing
// better never scores less:
//
//   linear     0 below `threshold`; from `threshold_points` at the threshold, a straight line
//              through 100 points at `target`, continuing with the same slope above it, capped at
//              `cap` points.           Curve::linear(0.8, 1.0, 150)       (0.9 -> 50, 1.3 -> 150)
//   piecewise  0 below the first point; straight lines between (at, points) knots sorted by
//              `at`; the last knot's points above it (the cap). Threshold / target / stretch is a
//              three-knot table.      Curve::piecewise({{0.8, 50}, {1.0, 100}, {1.2, 150}})
//   step       0 below the first step; each step scores its points on [from, to); `to` defaults
//              to the next step's `from` and the top step also holds above its own `to`.
//                                     Curve::step({{1, 3, 50}, {3, inf, 100}})
//
// Why non-decreasing only: a scorecard's total must never fall when a KPI improves (a property
// the tests check); "lower is better" measures (days sales outstanding) are given negated or as a
// rate where higher is better.
//
// A curve is a plain value; validate it with check_curve() (Scorecard does) before evaluating.
// Thread rule: evaluation is const and pure; share curves freely.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quotaflow/core/error.hpp"

namespace quotaflow::incentive {

enum class CurveKind : uint8_t { linear = 0, piecewise = 1, step = 2 };

inline constexpr std::string_view curve_kind_name(CurveKind k) noexcept {
  return k == CurveKind::linear ? "linear" : k == CurveKind::piecewise ? "piecewise" : "step";
}

struct CurvePoint {
  double at = 0;      // the KPI value
  double points = 0;  // points scored at that value
};

struct CurveStep {
  double from = 0;                                        // first value of the step (inclusive)
  double to = std::numeric_limits<double>::infinity();    // end (exclusive); inf: up to the next step
  double points = 0;
};

struct Curve {
  CurveKind kind = CurveKind::linear;
  // linear
  double threshold = 0, target = 1, cap = 100, threshold_points = 0;
  // piecewise
  std::vector<CurvePoint> points;
  // step
  std::vector<CurveStep> steps;

  // Curve::linear(0.8, 1.0, 150): 0 below 80%, 0 -> 100 points from 80% to 100%, at most 150.
  static Curve linear(double threshold, double target, double cap = 100, double threshold_points = 0) {
    Curve c;
    c.kind = CurveKind::linear;
    c.threshold = threshold;
    c.target = target;
    c.cap = cap;
    c.threshold_points = threshold_points;
    return c;
  }
  // Curve::piecewise({{0.8, 50}, {1.0, 100}, {1.2, 150}}): threshold, target, stretch.
  static Curve piecewise(std::vector<CurvePoint> knots) {
    Curve c;
    c.kind = CurveKind::piecewise;
    c.points = std::move(knots);
    return c;
  }
  // Curve::step({{1, 3, 50}, {3, inf, 100}}): 1-2 new outlets 50 points, 3 or more 100.
  static Curve step(std::vector<CurveStep> table) {
    Curve c;
    c.kind = CurveKind::step;
    c.steps = std::move(table);
    return c;
  }

  // Where scoring starts: values below it score 0 ("below the threshold").
  [[nodiscard]] double start() const noexcept {
    switch (kind) {
      case CurveKind::linear: return threshold;
      case CurveKind::piecewise: return points.front().at;
      case CurveKind::step: return steps.front().from;
    }
    return 0;
  }

  // The most points the curve gives.
  [[nodiscard]] double max_points() const noexcept {
    switch (kind) {
      case CurveKind::linear: return threshold_points >= 100 ? 100.0 : cap;
      case CurveKind::piecewise: return points.back().points;
      case CurveKind::step: return steps.back().points;
    }
    return 0;
  }

  // Points for value v (finite; the curve must have passed check_curve). *capped is set when v is
  // beyond the value where the curve stops rising (linear and piecewise only).
  [[nodiscard]] double operator()(double v, bool* capped = nullptr) const noexcept {
    if (capped != nullptr) *capped = false;
    switch (kind) {
      case CurveKind::linear: {
        if (v < threshold) return 0;
        const double p = threshold_points + (100.0 - threshold_points) * ((v - threshold) / (target - threshold));
        if (p > cap) {
          if (capped != nullptr) *capped = true;
          return cap;
        }
        return p;
      }
      case CurveKind::piecewise: {
        const size_t n = points.size();
        if (v < points[0].at) return 0;
        if (v >= points[n - 1].at) {
          if (capped != nullptr) *capped = v > points[n - 1].at && n > 1;
          return points[n - 1].points;
        }
        size_t i = 1;  // first knot above v (tables are short: a scan beats a search)
        while (points[i].at <= v) ++i;
        const CurvePoint& a = points[i - 1];
        const CurvePoint& b = points[i];
        return a.points + (b.points - a.points) * ((v - a.at) / (b.at - a.at));
      }
      case CurveKind::step: {
        if (v < steps[0].from) return 0;
        size_t i = steps.size() - 1;
        while (steps[i].from > v) --i;
        return steps[i].points;
      }
    }
    return 0;
  }
};

// Receives one problem: `path` relative to the curve ("points[1].points"), `what` a clause that
// follows it ("is 90, below points[0].points (100); a scoring curve must not decrease").
using CurveProblem = std::function<void(const std::string& path, const std::string& what)>;

namespace detail {
// Shortest text that reads back to v ("0.8", not "0.80000000000000004").
inline std::string num(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
}  // namespace detail

// Reports the first problem of `c` to `bad` (which must not return normally, e.g. it throws):
// non-finite numbers, threshold not below target, cap below 100, points below 0, knots or steps
// unsorted, overlapping or with gaps, points that decrease.
inline void check_curve(const Curve& c, const CurveProblem& bad) {
  using detail::num;
  auto finite = [&](double v, const std::string& path) {
    if (!std::isfinite(v)) bad(path, "is " + num(v) + "; it must be a finite number");
  };
  auto points_ok = [&](double v, const std::string& path) {
    finite(v, path);
    if (v < 0) bad(path, "is " + num(v) + "; points must be >= 0");
  };
  switch (c.kind) {
    case CurveKind::linear:
      finite(c.threshold, "threshold");
      finite(c.target, "target");
      finite(c.cap, "cap");
      finite(c.threshold_points, "threshold_points");
      if (!(c.threshold < c.target))
        bad("threshold", "is " + num(c.threshold) + ", not below target " + num(c.target) + "; a linear curve rises from threshold to target");
      if (c.cap < 100) bad("cap", "is " + num(c.cap) + "; the cap must be at least the 100 points of the target");
      if (c.threshold_points < 0 || c.threshold_points > 100)
        bad("threshold_points", "is " + num(c.threshold_points) + "; it must be within [0, 100]");
      return;
    case CurveKind::piecewise:
      if (c.points.empty()) bad("points", "is empty; a piecewise curve needs at least one point");
      for (size_t i = 0; i < c.points.size(); ++i) {
        const std::string p = "points[" + std::to_string(i) + "]";
        finite(c.points[i].at, p + ".at");
        points_ok(c.points[i].points, p + ".points");
        if (i == 0) continue;
        const std::string q = "points[" + std::to_string(i - 1) + "]";
        if (!(c.points[i].at > c.points[i - 1].at))
          bad(p + ".at", "is " + num(c.points[i].at) + ", not above " + q + ".at (" + num(c.points[i - 1].at) +
                             "); the points must be sorted by value, without repeats");
        if (c.points[i].points < c.points[i - 1].points)
          bad(p + ".points", "is " + num(c.points[i].points) + ", below " + q + ".points (" + num(c.points[i - 1].points) +
                                 "); a scoring curve must not decrease");
      }
      return;
    case CurveKind::step:
      if (c.steps.empty()) bad("steps", "is empty; a step curve needs at least one step");
      for (size_t i = 0; i < c.steps.size(); ++i) {
        const CurveStep& s = c.steps[i];
        const std::string p = "steps[" + std::to_string(i) + "]";
        finite(s.from, p + ".from");
        if (std::isnan(s.to) || s.to == -std::numeric_limits<double>::infinity()) finite(s.to, p + ".to");
        if (!(s.to > s.from)) bad(p + ".to", "is " + num(s.to) + ", not above its from (" + num(s.from) + ")");
        points_ok(s.points, p + ".points");
        if (i == 0) continue;
        const CurveStep& r = c.steps[i - 1];
        const std::string q = "steps[" + std::to_string(i - 1) + "]";
        if (!(s.from > r.from))
          bad(p + ".from", "is " + num(s.from) + ", not above " + q + ".from (" + num(r.from) +
                               "); the steps must be sorted by from, without repeats");
        if (std::isfinite(r.to) && s.from < r.to)
          bad(p + ".from", "is " + num(s.from) + ", inside " + q + " [" + num(r.from) + ", " + num(r.to) + "); the steps overlap");
        if (std::isfinite(r.to) && s.from > r.to)
          bad(p + ".from", "is " + num(s.from) + ", after the end of " + q + " (" + num(r.to) + "); the steps leave a gap");
        if (s.points < r.points)
          bad(p + ".points", "is " + num(s.points) + ", below " + q + ".points (" + num(r.points) +
                                 "); a scoring curve must not decrease");
      }
      return;
  }
  bad("kind", "is " + std::to_string(static_cast<int>(c.kind)) + "; expected linear, piecewise or step");
}

// check_curve that throws errc::invalid_argument: "curve.points[1].points is 90, below ...".
inline void check_curve(const Curve& c, std::string_view name = "curve") {
  check_curve(c, [&](const std::string& path, const std::string& what) {
    fail(errc::invalid_argument, name, ".", path, " ", what);
  });
}

}  // namespace quotaflow::incentive
