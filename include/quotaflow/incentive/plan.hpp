// Incentive compensation plans: commission components with tiered rate tables, accelerators and
// decelerators, caps, fixed bonuses on KPI scores, and a draw.
//
// A PlanSpec is the plain description (what plan_json.hpp reads and writes); a Plan is the
// validated, compiled form the payout run evaluates. Compiling folds accelerators and
// decelerators into the rate table (the table is split at their thresholds and the rates there
// multiplied), so evaluation is one walk over a short integer table per component.
//
// Why fixed point: rates, multipliers and tier starts are read to 9 decimal places (a rate of
// 0.0325 is 32,500,000 "nano"), so every amount is an exact integer product rounded once, the
// same bytes on every platform. A multiplied rate is rounded half away from zero to 9 places.
//   PlanSpec s;  s.name = "AE";
//   s.components.push_back({.name = "new", .tiers = {{0.0, 0.03}, {1.0, 0.05}}});
//   Plan p(s);   // p.component(0).tiers.size() == 2
//
// Thread rule: a built Plan is immutable; share it freely across threads.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow::incentive {

// Fixed-point scale of rates, multipliers and attainment thresholds (10^-9).
inline constexpr int64_t rate_scale = 1'000'000'000;
inline constexpr double max_rate = 1000.0;  // 100,000%: keeps rate * amount inside 128 bits
inline constexpr size_t max_tiers = 64;

// Values are stable (C ABI and JSON use the names).
enum class TierMethod : int32_t { marginal = 0, retroactive = 1 };
enum class ComponentKind : int32_t { commission = 0, bonus = 1 };

struct Tier {
  double from = 0;  // attainment (credit / quota) where the tier starts; the first tier starts at 0
  double rate = 0;  // share of the credit paid, 0.05 = 5%
};
// Rates multiplied by `factor` above (accelerator) or below (decelerator) an attainment.
struct Multiplier {
  double threshold = 0;
  double factor = 1;
};
// A fixed bonus paid when the KPI score reaches `score` (the highest reached step pays).
struct BonusStep {
  double score = 0;
  int64_t amount = 0;
};

struct ComponentSpec {
  std::string name;
  ComponentKind kind = ComponentKind::commission;
  // commission
  TierMethod method = TierMethod::marginal;  // marginal: each tier's rate on its part; retroactive: reached tier on all
  std::vector<Tier> tiers;
  std::optional<Multiplier> accelerator;  // rates x factor (>= 1) on attainment at or above threshold
  std::optional<Multiplier> decelerator;  // rates x factor (0..1) on attainment below threshold
  // bonus
  std::string kpi;
  std::vector<BonusStep> steps;
  // both: most paid per period, in minor units (prorated with the plan's share of the period)
  std::optional<int64_t> cap;
};

struct DrawSpec {
  int64_t amount = 0;        // guaranteed earnings per period, minor units (0 = no draw)
  bool recoverable = false;  // recoverable: the top-up is a balance recovered from later excess earnings
};

struct PlanSpec {
  std::string name;
  Date effective_from = min_supported_date;      // plan applies on [effective_from, effective_until)
  Date effective_until = max_supported_date + 1;
  std::vector<ComponentSpec> components;
  std::optional<int64_t> cap;  // most paid per period by all components together
  DrawSpec draw;
};

// One row of a compiled rate table: from this attainment on, this rate (nano units).
struct CompiledTier {
  int64_t from_nano;
  int64_t rate_nano;
  int32_t tier;  // index of the spec tier it came from (statement lines show it)
};

struct CompiledComponent {
  std::vector<CompiledTier> tiers;  // commission only; tiers[0].from_nano == 0
  std::vector<BonusStep> steps;     // bonus only
};

namespace detail {
__extension__ typedef __int128 i128;

// num / den rounded half away from zero; den > 0. Overflow of int64 is errc::overflow naming what.
inline int64_t div_round(i128 num, i128 den, const char* what) {
  i128 q = num / den, r = num % den;
  i128 ar = r < 0 ? -r : r;
  if (2 * ar >= den) q += num < 0 ? -1 : 1;
  if (q > INT64_MAX || q < INT64_MIN) fail(errc::overflow, what, " overflows int64");
  return static_cast<int64_t>(q);
}

// a value in [lo, hi] read to 9 decimals; messages name `path`.
inline int64_t to_nano(double v, std::string_view path, double lo, double hi) {
  if (std::isnan(v)) fail(errc::invalid_argument, path, " is NaN");
  if (!(v >= lo && v <= hi)) fail(errc::invalid_argument, path, " is ", v, "; it must be in [", lo, ", ", hi, "]");
  return std::llround(v * static_cast<double>(rate_scale));
}
}  // namespace detail

class Plan {
 public:
  // Validates and compiles. Messages name the field by its path below `prefix`
  // ("components[1].tiers[2].rate is -0.5; ..."); the JSON reader passes "$." as prefix.
  explicit Plan(PlanSpec spec, std::string_view prefix = "") : spec_(std::move(spec)) {
    const std::string pre(prefix);
    if (spec_.name.empty()) fail(errc::invalid_argument, pre, "name is empty");
    check_date(spec_.effective_from, pre + "effective_from");
    if (spec_.effective_until <= spec_.effective_from || spec_.effective_until > max_supported_date + 1)
      fail(errc::out_of_range, pre, "effective_until is ", describe_date(spec_.effective_until),
           "; it must be after effective_from (", describe_date(spec_.effective_from), ") and at most 2200-01-01");
    if (spec_.cap && *spec_.cap < 0) fail(errc::invalid_argument, pre, "cap is ", *spec_.cap, "; it must be >= 0");
    if (spec_.draw.amount < 0) fail(errc::invalid_argument, pre, "draw.amount is ", spec_.draw.amount, "; it must be >= 0");
    if (spec_.components.empty()) fail(errc::invalid_argument, pre, "components is empty; a plan needs at least one");
    for (size_t c = 0; c < spec_.components.size(); ++c) {
      const std::string path = pre + "components[" + std::to_string(c) + "]";
      compiled_.push_back(compile(spec_.components[c], path));
      for (size_t d = 0; d < c; ++d)
        if (spec_.components[d].name == spec_.components[c].name)
          fail(errc::invalid_argument, path, ".name \"", spec_.components[c].name, "\" is also the name of components[", d, "]");
    }
  }

  [[nodiscard]] const PlanSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::string& name() const noexcept { return spec_.name; }
  [[nodiscard]] size_t size() const noexcept { return compiled_.size(); }
  [[nodiscard]] const CompiledComponent& component(size_t i) const { return compiled_.at(i); }

 private:
  PlanSpec spec_;
  std::vector<CompiledComponent> compiled_;

  static CompiledComponent compile(const ComponentSpec& c, const std::string& path) {
    if (c.name.empty()) fail(errc::invalid_argument, path, ".name is empty");
    if (c.cap && *c.cap < 0) fail(errc::invalid_argument, path, ".cap is ", *c.cap, "; it must be >= 0");
    CompiledComponent out;
    if (c.kind == ComponentKind::bonus) {
      if (c.kpi.empty()) fail(errc::invalid_argument, path, ".kpi is empty; a bonus pays on a named KPI score");
      if (c.steps.empty()) fail(errc::invalid_argument, path, ".steps is empty");
      for (size_t i = 0; i < c.steps.size(); ++i) {
        const std::string sp = path + ".steps[" + std::to_string(i) + "]";
        if (!std::isfinite(c.steps[i].score)) fail(errc::invalid_argument, sp, ".score is ", c.steps[i].score);
        if (c.steps[i].amount < 0) fail(errc::invalid_argument, sp, ".amount is ", c.steps[i].amount, "; it must be >= 0");
        if (i > 0 && !(c.steps[i].score > c.steps[i - 1].score))
          fail(errc::invalid_argument, sp, ".score is ", c.steps[i].score, " but steps[", i - 1, "].score is ",
               c.steps[i - 1].score, "; steps must have increasing scores");
      }
      out.steps = c.steps;
      return out;
    }
    if (c.kind != ComponentKind::commission)
      fail(errc::invalid_argument, path, ".kind is ", static_cast<int>(c.kind), "; expected commission or bonus");
    if (c.method != TierMethod::marginal && c.method != TierMethod::retroactive)
      fail(errc::invalid_argument, path, ".method is ", static_cast<int>(c.method), "; expected marginal or retroactive");
    if (c.tiers.empty()) fail(errc::invalid_argument, path, ".tiers is empty; a commission needs at least one tier");
    if (c.tiers.size() > max_tiers) fail(errc::invalid_argument, path, ".tiers has ", c.tiers.size(), " tiers; at most ", max_tiers);
    std::vector<CompiledTier> base;
    for (size_t i = 0; i < c.tiers.size(); ++i) {
      const std::string tp = path + ".tiers[" + std::to_string(i) + "]";
      const int64_t from = detail::to_nano(c.tiers[i].from, tp + ".from", 0.0, 1e6);
      const int64_t rate = detail::to_nano(c.tiers[i].rate, tp + ".rate", 0.0, max_rate);
      if (i == 0 && from != 0) fail(errc::invalid_argument, tp, ".from is ", c.tiers[i].from, "; the first tier must start at 0");
      if (i > 0 && from <= base.back().from_nano)
        fail(errc::invalid_argument, tp, ".from is ", c.tiers[i].from, " but tiers[", i - 1, "] starts at ", c.tiers[i - 1].from,
             "; tiers overlap (each must start above the previous one)");
      base.push_back({from, rate, static_cast<int32_t>(i)});
    }
    int64_t acc_at = INT64_MAX, acc_f = rate_scale, dec_at = 0, dec_f = rate_scale;
    if (c.accelerator) {
      acc_at = detail::to_nano(c.accelerator->threshold, path + ".accelerator.above", 0.0, 1e6);
      acc_f = detail::to_nano(c.accelerator->factor, path + ".accelerator.factor", 1.0, max_rate);
    }
    if (c.decelerator) {
      dec_at = detail::to_nano(c.decelerator->threshold, path + ".decelerator.below", 0.0, 1e6);
      dec_f = detail::to_nano(c.decelerator->factor, path + ".decelerator.factor", 0.0, 1.0);
      if (dec_at > acc_at)
        fail(errc::invalid_argument, path, ".decelerator.below is ", c.decelerator->threshold, " but accelerator.above is ",
             c.accelerator->threshold, "; they overlap");
    }
    // Split the table at the multiplier thresholds, then scale the rates in each piece.
    std::vector<CompiledTier> split;
    for (size_t i = 0; i < base.size(); ++i) {
      const int64_t end = i + 1 < base.size() ? base[i + 1].from_nano : INT64_MAX;
      split.push_back(base[i]);
      for (int64_t cut : {dec_at, acc_at})
        if (cut > base[i].from_nano && cut < end && cut != INT64_MAX) split.push_back({cut, base[i].rate_nano, base[i].tier});
    }
    std::sort(split.begin(), split.end(), [](const CompiledTier& a, const CompiledTier& b) { return a.from_nano < b.from_nano; });
    for (auto& t : split) {
      int64_t f = rate_scale;
      if (t.from_nano >= acc_at) f = acc_f;
      if (t.from_nano < dec_at) f = dec_f;
      if (f != rate_scale) t.rate_nano = detail::div_round(detail::i128{t.rate_nano} * f, rate_scale, "multiplied rate");
    }
    out.tiers = std::move(split);
    return out;
  }
};

inline std::string_view tier_method_name(TierMethod m) noexcept {
  return m == TierMethod::retroactive ? "retroactive" : "marginal";
}

}  // namespace quotaflow::incentive
