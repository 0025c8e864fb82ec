// `quotaflow pay`: an incentive plan (JSON) over sales credits and targets -> the statements of
// one period. The run starts at the beginning of the period's year so year-to-date attainment
// and recoverable draw balances carry into the paid period; only the paid period's lines are
// kept. People are the --org nodes (managers are credited with their team's sales with
// --rollup; a start_date column prorates new hires), or else everyone with a target row.
// Optional inputs: split credit (--splits, by the sale ids of --sale-col), clawbacks of paid
// sales (--clawbacks) and rewards or penalties with a reason (--adjustments). A row dated after
// the paid period is not yet in effect and is left out, as is a split or clawback of a sale the
// run does not hold (dated before the paid period's year); the summary line counts them.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "csv_table.hpp"
#include "org_inputs.hpp"
#include "pay_report.hpp"
#include "process_check_report.hpp"  // csv_quote
#include "quotaflow/core/amount.hpp"
#include "quotaflow/incentive/payout.hpp"
#include "quotaflow/incentive/plan_json.hpp"

namespace quotaflow::cli {

namespace {

struct PayArgs {
  std::string plan, credits, seller_col = "seller", date_col = "date", amount_col = "amount";
  std::string targets, target_person_col = "node", target_period_col = "period", target_col = "target";
  std::string scores, period, out, org, child_col = "node_id", parent_col = "parent_id", calendar = "CN", calendar_csv;
  std::string grain = "month";
  std::string sale_col = "sale", splits, adjustments, clawbacks;
  int scale = 2;
  bool rollup = false;
};

// A date cell, or an error naming the file row.
Date date_cell(const std::string& text, const std::string& where) {
  try {
    return date_from_string(text);
  } catch (const error& e) {
    fail(e.code(), where, ": ", e.what());
  }
}

// Amount text: minor units when the column name ends in _minor, else a decimal at `scale`.
int64_t amount_cell(const std::string& text, const std::string& column, int scale, const std::string& where) {
  const bool minor = column.size() >= 6 && column.compare(column.size() - 6, 6, "_minor") == 0;
  try {
    return Amount::parse(text, minor ? 0 : scale).minor();
  } catch (const error& e) {
    fail(e.code(), where, ": ", e.what());
  }
}

}  // namespace

incentive::Plan load_plan_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(errc::io_error, "cannot open plan \"", path, "\"");
  std::ostringstream text;
  text << in.rdbuf();
  return incentive::plan_from_json(text.str(), path);
}

std::string line_component(const PayReport& r, const incentive::Line& l) {
  return l.component >= 0 ? r.plan->spec().components.at(static_cast<size_t>(l.component)).name : "";
}

std::string line_base_text(const incentive::Line& l, int scale) {
  if (l.kind != incentive::LineKind::bonus) return Amount{l.base}.format(scale);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(l.base) / 1000.0);  // the KPI score
  return buf;
}

std::string line_rate_text(const incentive::Line& l) {
  if (l.kind != incentive::LineKind::commission) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(l.rate) / static_cast<double>(incentive::rate_scale));
  return buf;
}

std::string line_reason(const PayReport& r, const incentive::Line& l) {
  using incentive::LineKind;
  const std::string comp = line_component(r, l);
  char buf[64];
  switch (l.kind) {
    case LineKind::credit: return "credit of the period";
    case LineKind::commission:
      std::snprintf(buf, sizeof buf, " tier %d at %.7g%%", l.tier + 1, static_cast<double>(l.rate) * 1e-7);
      return comp + buf;
    case LineKind::bonus: return comp + ": KPI score " + line_base_text(l, 0) + " reaches step " + std::to_string(l.tier + 1);
    case LineKind::component_cap: return comp + " capped";
    case LineKind::plan_cap: return "plan cap";
    case LineKind::clawback:
      return "clawback of sale " +
             (static_cast<size_t>(l.ref) < r.sale_ids.size() ? r.sale_ids[static_cast<size_t>(l.ref)] : std::to_string(l.ref));
    case LineKind::adjustment: return r.result.reasons.at(static_cast<size_t>(l.ref));
    case LineKind::draw: return "draw: earnings topped up to the guarantee";
    case LineKind::draw_recovery: return "recovery of the outstanding draw";
  }
  return "";
}

void write_statement_csv(std::FILE* out, const PayReport& r, size_t period) {
  const size_t P = r.result.periods.size();
  const std::string label = r.cal->period_label(r.result.periods[period].start, r.grain);
  std::fprintf(out, "person,period,kind,component,base,rate,tier,amount,reason\n");
  for (size_t p = 0; p < r.result.people; ++p) {
    const auto& st = r.result.cells[p * P + period];
    for (uint64_t i = st.first_line; i < st.first_line + st.line_count; ++i) {
      const auto& l = r.result.lines[i];
      std::fprintf(out, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", csv_quote(r.names[p]).c_str(), label.c_str(),
                   std::string(incentive::line_kind_name(l.kind)).c_str(), csv_quote(line_component(r, l)).c_str(),
                   line_base_text(l, r.scale).c_str(), line_rate_text(l).c_str(),
                   l.tier >= 0 ? std::to_string(l.tier + 1).c_str() : "", Amount{l.amount}.format(r.scale).c_str(),
                   csv_quote(line_reason(r, l)).c_str());
    }
  }
}

bool print_payout_summary(const PayReport& r, size_t period, const std::vector<size_t>& who) {
  const size_t P = r.result.periods.size();
  std::printf("%-24s %14s %14s %7s %7s %14s %14s %14s\n", "person", "credit", "quota", "attain", "ytd", "earnings",
              "draw_balance", "payout");
  bool adds_up = true;
  int64_t total = 0;
  for (size_t p : who) {
    const auto& st = r.result.cells[p * P + period];
    int64_t sum = 0;
    for (uint64_t i = st.first_line; i < st.first_line + st.line_count; ++i) sum += r.result.lines[i].amount;
    adds_up = adds_up && sum == st.payout;
    total = detail::checked_add(total, st.payout, "total payout");
    char att[16] = "-", ytd[16] = "-";
    if (!std::isnan(st.attainment)) std::snprintf(att, sizeof att, "%.1f%%", 100 * st.attainment);
    if (!std::isnan(st.ytd_attainment)) std::snprintf(ytd, sizeof ytd, "%.1f%%", 100 * st.ytd_attainment);
    std::printf("%-24s %14s %14s %7s %7s %14s %14s %14s\n", r.names[p].c_str(), Amount{st.credit}.format(r.scale).c_str(),
                Amount{st.quota}.format(r.scale).c_str(), att, ytd, Amount{st.earnings}.format(r.scale).c_str(),
                Amount{st.draw_balance}.format(r.scale).c_str(), Amount{st.payout}.format(r.scale).c_str());
  }
  std::printf("total payout %s for %zu people; every statement's lines sum to its payout: %s\n",
              Amount{total}.format(r.scale).c_str(), who.size(), adds_up ? "yes" : "NO");
  return adds_up;
}

void add_pay_command(CLI::App& app) {
  auto a = std::make_shared<PayArgs>();
  CLI::App* cmd = app.add_subcommand("pay", "Incentive statements of one period: plan JSON + sales credits + targets");
  cmd->add_option("--plan", a->plan, "Incentive plan JSON (schema quotaflow.incentive_plan/1)")->required();
  cmd->add_option("--credits", a->credits, "Sales CSV: seller, date and amount per row")->required();
  cmd->add_option("--seller-col", a->seller_col, "Seller column of --credits")->capture_default_str();
  cmd->add_option("--date-col", a->date_col, "Date column of --credits (YYYY-MM-DD)")->capture_default_str();
  cmd->add_option("--amount-col", a->amount_col, "Amount column of --credits (decimal; minor units if it ends in _minor)")->capture_default_str();
  cmd->add_option("--targets", a->targets, "Targets CSV of person,period,target rows (as `quotaflow allocate` writes)")->required();
  cmd->add_option("--target-person-col", a->target_person_col, "Person column of --targets")->capture_default_str();
  cmd->add_option("--target-period-col", a->target_period_col, "Period label column of --targets")->capture_default_str();
  cmd->add_option("--target-col", a->target_col, "Target column of --targets (decimal; minor units if it ends in _minor)")->capture_default_str();
  cmd->add_option("--scores", a->scores, "KPI scores CSV of person,period,kpi,score rows (for bonus components)");
  cmd->add_option("--period", a->period, "Period to pay (2026-03 at month grain)")->required();
  cmd->add_option("--out", a->out, "Write the statement lines here as CSV (default: after the summary, on stdout)");
  cmd->add_option("--org", a->org, "Org CSV: the people paid, their managers and start_date (hire date)");
  cmd->add_option("--child-col", a->child_col, "Node column of --org")->capture_default_str();
  cmd->add_option("--parent-col", a->parent_col, "Parent column of --org")->capture_default_str();
  cmd->add_flag("--rollup", a->rollup, "Credit every --org manager with its team's sales");
  cmd->add_option("--sale-col", a->sale_col, "Sale id column of --credits (needed by --splits and --clawbacks)")
      ->capture_default_str();
  cmd->add_option("--splits", a->splits, "Split credit CSV of sale,person,share rows (a sale's shares sum to 1)");
  cmd->add_option("--clawbacks", a->clawbacks, "Clawbacks CSV of sale,date,amount rows (a lost deal or written-off invoice)");
  cmd->add_option("--adjustments", a->adjustments, "Rewards and penalties CSV of person,date,amount,reason rows");
  cmd->add_option("--calendar", a->calendar, "Calendar preset (CN, plain)")->capture_default_str();
  cmd->add_option("--calendar-csv", a->calendar_csv, "Calendar CSV of date,kind rows instead of a preset");
  cmd->add_option("--grain", a->grain, "Pay period grain: month, quarter, ...")->capture_default_str();
  cmd->add_option("--scale", a->scale, "Decimals of the currency's minor unit")->capture_default_str();
  cmd->callback([a] {
    PayReport r;
    auto plan = std::make_shared<incentive::Plan>(load_plan_file(a->plan));
    auto cal = std::make_shared<Calendar>(read_calendar(a->calendar, a->calendar_csv));
    r.plan = plan.get();
    r.cal = cal.get();
    r.grain = parse_grain(a->grain);
    r.scale = a->scale;
    const auto [start, end, paid] = pay_period(*cal, a->period, r.grain);

    // People: the org's nodes, or the target persons in order of appearance.
    std::map<std::string, int32_t> id;
    std::vector<int32_t> manager;
    std::vector<Date> hired;
    CsvTable tt = read_csv(a->targets);
    const size_t tn = tt.column(a->target_person_col), tp = tt.column(a->target_period_col), tv = tt.column(a->target_col);
    if (!a->org.empty()) {
      CsvTable org = read_csv(a->org);
      const size_t ci = org.column(a->child_col), pc = org.column(a->parent_col);
      const size_t sc = std::find(org.header.begin(), org.header.end(), "start_date") - org.header.begin();
      for (const auto& row : org.rows) id.emplace(row[ci], static_cast<int32_t>(r.names.size())), r.names.push_back(row[ci]);
      for (size_t i = 0; i < org.rows.size(); ++i) {
        const auto& row = org.rows[i];
        const std::string where = "\"" + a->org + "\" row " + std::to_string(i + 2);
        if (row[pc].empty()) manager.push_back(-1);
        else if (auto it = id.find(row[pc]); it != id.end()) manager.push_back(it->second);
        else fail(errc::not_found, where, ": parent \"", row[pc], "\" is not a node of the org");
        hired.push_back(sc < row.size() && !row[sc].empty() ? date_from_string(row[sc]) : min_supported_date);
      }
    } else {
      for (const auto& row : tt.rows)
        if (id.emplace(row[tn], static_cast<int32_t>(r.names.size())).second) r.names.push_back(row[tn]);
    }
    if (a->rollup && a->org.empty()) fail(errc::invalid_argument, "--rollup needs --org (who manages whom)");
    auto person = [&](const std::string& name, const std::string& where, const char* what) {
      auto it = id.find(name);
      if (it == id.end())
        fail(errc::not_found, where, ": ", what, " \"", name, "\" is not one of the people paid (",
             a->org.empty() ? "the persons of --targets" : "the nodes of --org", ")");
      return it->second;
    };

    // Targets: one row per person and period of the year, in effect from the period's start.
    std::map<std::string, Date> period_start;
    const Date y1 = date_from_ymd(date_to_ymd(start).year + 1, 1, 1);
    for (const auto& p : cal->periods(start, std::max(end, y1), r.grain)) period_start[cal->period_label(p.start, r.grain)] = p.start;
    auto period_of = [&](const std::string& label, const std::string& where) {
      auto it = period_start.find(label);
      if (it == period_start.end())
        fail(errc::not_found, where, ": period \"", label, "\" is not a ", grain_name(r.grain), " of ", date_to_ymd(start).year);
      return it->second;
    };
    std::vector<int32_t> qp;
    std::vector<Date> qf;
    std::vector<int64_t> qa;
    for (size_t i = 0; i < tt.rows.size(); ++i) {
      const auto& row = tt.rows[i];
      const std::string where = "\"" + a->targets + "\" row " + std::to_string(i + 2);
      qf.push_back(period_of(row[tp], where));
      qp.push_back(person(row[tn], where, "person"));
      qa.push_back(amount_cell(row[tv], a->target_col, a->scale, where));
    }

    // Credits within the run (the paid period's year up to its end).
    CsvTable ct = read_csv(a->credits);
    const size_t cs = ct.column(a->seller_col), cd = ct.column(a->date_col), ca = ct.column(a->amount_col);
    const bool by_sale = !a->splits.empty() || !a->clawbacks.empty();
    const size_t cid = by_sale ? ct.column(a->sale_col) : 0;
    std::vector<int32_t> seller;
    std::vector<Date> date;
    std::vector<int64_t> amount;
    std::map<std::string, int64_t> sale_index;  // sale id -> row of the run, -1 when outside it
    size_t outside = 0;
    for (size_t i = 0; i < ct.rows.size(); ++i) {
      const auto& row = ct.rows[i];
      const std::string where = "\"" + a->credits + "\" row " + std::to_string(i + 2);
      const Date d = date_cell(row[cd], where);
      const bool in_run = d >= start && d < end;
      if (by_sale && !sale_index.emplace(row[cid], in_run ? static_cast<int64_t>(seller.size()) : -1).second)
        fail(errc::invalid_argument, where, ": sale \"", row[cid], "\" appears twice in column \"", a->sale_col, "\"");
      if (!in_run) {
        ++outside;
        continue;
      }
      seller.push_back(person(row[cs], where, "seller"));
      if (by_sale) r.sale_ids.push_back(row[cid]);
      date.push_back(d);
      amount.push_back(amount_cell(row[ca], a->amount_col, a->scale, where));
    }

    // KPI scores: every KPI the plan's bonuses pay on is known (no score row: no bonus).
    std::vector<std::string> kpis;
    for (const auto& c : plan->spec().components)
      if (c.kind == incentive::ComponentKind::bonus && std::find(kpis.begin(), kpis.end(), c.kpi) == kpis.end())
        kpis.push_back(c.kpi);
    std::vector<int32_t> kp, kk;
    std::vector<Date> kd;
    std::vector<double> kv;
    if (!a->scores.empty()) {
      CsvTable kt = read_csv(a->scores);
      const size_t pc = kt.column("person"), dc = kt.column("period"), nc = kt.column("kpi"), vc = kt.column("score");
      for (size_t i = 0; i < kt.rows.size(); ++i) {
        const auto& row = kt.rows[i];
        const std::string where = "\"" + a->scores + "\" row " + std::to_string(i + 2);
        const Date from = period_of(row[dc], where);
        if (from >= end) continue;  // after the paid period
        auto k = std::find(kpis.begin(), kpis.end(), row[nc]);
        if (k == kpis.end()) kpis.push_back(row[nc]), k = kpis.end() - 1;
        kp.push_back(person(row[pc], where, "person"));
        kd.push_back(from);
        kk.push_back(static_cast<int32_t>(k - kpis.begin()));
        char* stop = nullptr;
        kv.push_back(std::strtod(row[vc].c_str(), &stop));
        if (row[vc].empty() || *stop != '\0') fail(errc::parse_error, where, ": score \"", row[vc], "\" is not a number");
      }
    }

    // A sale named by --splits or --clawbacks: its row in the run, or -1 when the run lacks it.
    auto sale_of = [&](const std::string& id, const std::string& where) {
      auto it = sale_index.find(id);
      if (it == sale_index.end())
        fail(errc::not_found, where, ": sale \"", id, "\" is not in column \"", a->sale_col, "\" of \"", a->credits, "\"");
      return it->second;
    };
    size_t left_out = 0;  // split, clawback and adjustment rows not in effect in this run

    // Splits: rows grouped by sale in credit order, each sale's shares checked to sum to 1.
    std::vector<int64_t> ss;
    std::vector<int32_t> sp;
    std::vector<double> sw;
    if (!a->splits.empty()) {
      CsvTable st = read_csv(a->splits);
      const size_t sc = st.column("sale"), pc = st.column("person"), wc = st.column("share");
      struct Split {
        int64_t sale;
        int32_t person;
        double share;
        size_t row;
      };
      std::vector<Split> rows;
      for (size_t i = 0; i < st.rows.size(); ++i) {
        const auto& row = st.rows[i];
        const std::string where = "\"" + a->splits + "\" row " + std::to_string(i + 2);
        const int64_t sale = sale_of(row[sc], where);
        char* stop = nullptr;
        const double w = std::strtod(row[wc].c_str(), &stop);
        if (row[wc].empty() || *stop != '\0' || !(w > 0) || !(w <= 1))
          fail(errc::invalid_argument, where, ": share \"", row[wc], "\" is not a number in (0, 1]");
        const int32_t who = person(row[pc], where, "person");
        if (sale < 0) {
          ++left_out;
          continue;
        }
        rows.push_back({sale, who, w, i + 2});
      }
      std::stable_sort(rows.begin(), rows.end(), [](const Split& x, const Split& y) { return x.sale < y.sale; });
      for (size_t i = 0; i < rows.size();) {
        size_t j = i;
        double sum = 0;
        std::string at;
        for (; j < rows.size() && rows[j].sale == rows[i].sale; ++j)
          sum += rows[j].share, at += (at.empty() ? "" : ", ") + std::to_string(rows[j].row);
        if (std::fabs(sum - 1.0) > 1e-9) {
          char total[32];
          std::snprintf(total, sizeof total, "%.10g", sum);  // 0.9, not the float sum 0.8999999999999999
          fail(errc::invalid_argument, "\"", a->splits, "\": the shares of sale \"", r.sale_ids[static_cast<size_t>(rows[i].sale)],
               "\" (rows ", at, ") sum to ", total, "; a sale's shares must sum to 1 (100%)");
        }
        i = j;
      }
      for (const auto& x : rows) ss.push_back(x.sale), sp.push_back(x.person), sw.push_back(x.share);
    }

    // Clawbacks up to the paid period's end.
    std::vector<int64_t> cbs, cba;
    std::vector<Date> cbd;
    if (!a->clawbacks.empty()) {
      CsvTable kt = read_csv(a->clawbacks);
      const size_t sc = kt.column("sale"), dc = kt.column("date"), ac = kt.column("amount");
      for (size_t i = 0; i < kt.rows.size(); ++i) {
        const auto& row = kt.rows[i];
        const std::string where = "\"" + a->clawbacks + "\" row " + std::to_string(i + 2);
        const int64_t sale = sale_of(row[sc], where);
        const Date d = date_cell(row[dc], where);
        const int64_t amt = amount_cell(row[ac], "amount", a->scale, where);
        if (sale >= 0 && (amt <= 0 || amt > amount[static_cast<size_t>(sale)]))
          fail(errc::invalid_argument, where, ": clawback amount ", row[ac], " must be more than 0 and at most the sale's ",
               Amount{amount[static_cast<size_t>(sale)]}.format(a->scale));
        if (sale >= 0 && d < date[static_cast<size_t>(sale)])
          fail(errc::invalid_argument, where, ": clawback dated ", date_to_string(d), ", before its sale (",
               date_to_string(date[static_cast<size_t>(sale)]), ")");
        if (sale < 0 || d >= end) {
          ++left_out;
          continue;
        }
        cbs.push_back(sale), cbd.push_back(d), cba.push_back(amt);
      }
    }

    // Adjustments within the run.
    std::vector<int32_t> ap;
    std::vector<Date> ad;
    std::vector<int64_t> aa;
    std::vector<std::string> ar;
    if (!a->adjustments.empty()) {
      CsvTable at = read_csv(a->adjustments);
      const size_t pc = at.column("person"), dc = at.column("date"), ac = at.column("amount"), rc = at.column("reason");
      for (size_t i = 0; i < at.rows.size(); ++i) {
        const auto& row = at.rows[i];
        const std::string where = "\"" + a->adjustments + "\" row " + std::to_string(i + 2);
        const int32_t who = person(row[pc], where, "person");
        const Date d = date_cell(row[dc], where);
        const int64_t amt = amount_cell(row[ac], "amount", a->scale, where);
        if (row[rc].empty()) fail(errc::invalid_argument, where, ": an adjustment needs a reason");
        if (d < start || d >= end) {
          ++left_out;
          continue;
        }
        ap.push_back(who), ad.push_back(d), aa.push_back(amt), ar.push_back(row[rc]);
      }
    }

    incentive::PayoutInput in;
    in.sales.split_sale = ss;
    in.sales.split_person = sp;
    in.sales.split_share = sw;
    in.clawback_sale = cbs;
    in.clawback_date = cbd;
    in.clawback_amount = cba;
    in.adjust_person = ap;
    in.adjust_date = ad;
    in.adjust_amount = aa;
    in.adjust_reason = ar;
    in.kpi_names = kpis;
    in.score_person = kp;
    in.score_date = kd;
    in.score_kpi = kk;
    in.score_value = kv;
    in.people = r.names.size();
    in.names = r.names;
    in.manager = manager;
    in.rollup = a->rollup;
    in.hired = hired;
    in.sales.seller = seller;
    in.sales.date = date;
    in.sales.amount = amount;
    in.quota_person = qp;
    in.quota_from = qf;
    in.quota_amount = qa;
    incentive::PayoutOptions opt{.start = start, .end = end, .grain = r.grain};
    opt.lines_from = static_cast<int32_t>(paid);
    opt.lines_until = static_cast<int32_t>(paid + 1);
    r.result = incentive::run_payouts(*plan, *cal, in, opt);

    std::printf("Incentive statements for %s: plan \"%s\", %zu people, %zu credit rows (%zu outside %s..%s left out)\n",
                a->period.c_str(), plan->name().c_str(), r.names.size(), seller.size(), outside,
                date_to_string(start).c_str(), date_to_string(end - 1).c_str());
    if (by_sale || !a->adjustments.empty())
      std::printf("%zu split, %zu clawback and %zu adjustment row(s) in effect; %zu left out (dated after %s, or on a sale before %s)\n",
                  ss.size(), cbs.size(), ap.size(), left_out, date_to_string(end - 1).c_str(), date_to_string(start).c_str());
    std::vector<size_t> everyone(r.names.size());
    for (size_t i = 0; i < everyone.size(); ++i) everyone[i] = i;
    print_payout_summary(r, paid, everyone);
    if (a->out.empty()) {
      std::printf("\n");
      write_statement_csv(stdout, r, paid);
    } else {
      std::FILE* f = std::fopen(a->out.c_str(), "w");
      if (f == nullptr) fail(errc::io_error, "cannot write \"", a->out, "\"");
      write_statement_csv(f, r, paid);
      if (std::fclose(f) != 0) fail(errc::io_error, "cannot write \"", a->out, "\"");
      std::printf("statement lines written to %s\n", a->out.c_str());
    }
  });
}

std::tuple<Date, Date, size_t> pay_period(const Calendar& cal, const std::string& label, Grain grain) {
  int year = 0;
  if (label.size() >= 4 && std::all_of(label.begin(), label.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
    year = std::stoi(label.substr(0, 4));
  else
    fail(errc::not_found, "--period \"", label, "\" is not a ", grain_name(grain), " label (such as 2026-03)");
  if (year < 1900 || year > 2199)
    fail(errc::out_of_range, "--period \"", label, "\" is outside the supported years 1900..2199");
  const Date y0 = date_from_ymd(year, 1, 1), y1 = date_from_ymd(year + 1, 1, 1);
  std::vector<Period> periods;
  try {
    periods = cal.periods(y0, y1, grain);
  } catch (const error& e) {
    fail(e.code(), "--period \"", label, "\": ", e.what());
  }
  for (size_t k = 0; k < periods.size(); ++k)
    if (cal.period_label(periods[k].start, grain) == label) return {periods[0].start, periods[k].end, k};
  fail(errc::not_found, "--period \"", label, "\" is not a ", grain_name(grain), " of ", year, " in the calendar");
}

}  // namespace quotaflow::cli
