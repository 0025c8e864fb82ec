// The demo's incentive step. The sample company's salespeople are scored for the first quarter on
// sample_company/scorecard.json, from data the demo already has:
//   attainment           Q1 revenue (sales_facts.csv) / Q1 target (the demo's monthly allocation)
//   collection_rate      of the invoices issued in Q1 for their orders, the share paid by 30 April
//                        (invoices.csv, payments.csv; nothing billed counts as 100%)
//   process_conformance  their deals (deals.csv owners) whose stage history (deal_events.csv) has
//                        no deviation from process_model.json other than rework, as of 31 March
//                        (no deals counts as 100%)
//   activity             stage entries they made in Q1 / one per week (working days / 5)
// Salespeople without a Q1 target (hired after the plan was made) are not scored. Then the scored
// salespeople are paid January to March under sample_company/incentive_plan.json (targets per month, the quarter's
// score as the "scorecard" KPI in March, new hires prorated from org.csv start_date), and the
// top scorer's March statement is printed line by line.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

#include "commands.hpp"
#include "csv_table.hpp"
#include "pay_report.hpp"
#include "quotaflow/incentive/scorecard_json.hpp"
#include "quotaflow/process/check.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/model_json.hpp"

namespace quotaflow::cli {

namespace {

// Share of a ratio, with `none` when nothing was measured.
double ratio(double num, double den, double none) { return den > 0 ? num / den : none; }

}  // namespace

void run_pay_demo(const std::filesystem::path& dir, const Hierarchy& h, const Calendar& cal,
                  const std::vector<int64_t>& monthly_plan, Date year_start, int scale) {
  const int year = date_to_ymd(year_start).year;
  const Date q0 = year_start, q1 = date_from_ymd(year, 4, 1), collect_by = date_from_ymd(year, 4, 30);
  const size_t months = monthly_plan.size() / h.size();

  // Salespeople, their hire dates, and their Q1 targets.
  CsvTable org = read_csv((dir / "org.csv").string());
  const size_t oc = org.column("node_id"), kc = org.column("kind"), sc = org.column("start_date");
  std::vector<std::string> ids, names;
  std::vector<Date> hired;
  std::vector<int64_t> target;
  std::map<std::string, size_t> person;
  for (const auto& row : org.rows) {
    if (row[kc] != "salesperson") continue;
    const auto v = static_cast<size_t>(h.index_of(row[oc]));
    int64_t t = 0;
    for (size_t m = 0; m < 3; ++m) t += monthly_plan[v * months + m];
    person[row[oc]] = ids.size();
    ids.push_back(row[oc]);
    names.push_back(row[org.column("name")]);
    hired.push_back(row[sc].empty() ? min_supported_date : date_from_string(row[sc]));
    target.push_back(t);
  }
  const size_t N = ids.size();

  // Q1 revenue (also the payout run's credits) and which salesperson took each order.
  CsvTable facts = read_csv((dir / "sales_facts.csv").string());
  const size_t fd = facts.column("date"), fn = facts.column("node_id"), fo = facts.column("order_id"),
               fr = facts.column("revenue_minor");
  std::vector<double> actual(N, 0.0);
  std::vector<int32_t> seller;
  std::vector<Date> sale_date;
  std::vector<int64_t> sale_amount;
  std::map<std::string, size_t> order_owner;
  for (const auto& row : facts.rows) {
    auto it = person.find(row[fn]);
    if (it == person.end()) continue;
    order_owner[row[fo]] = it->second;
    const Date d = date_from_string(row[fd]);
    if (d < q0 || d >= q1) continue;
    const int64_t amount = Amount::parse(row[fr], 0).minor();
    actual[it->second] += static_cast<double>(amount);
    seller.push_back(static_cast<int32_t>(it->second));
    sale_date.push_back(d);
    sale_amount.push_back(amount);
  }

  // Collection: Q1 invoices of their orders, paid by the end of April.
  CsvTable inv = read_csv((dir / "invoices.csv").string()), pay = read_csv((dir / "payments.csv").string());
  std::map<std::string, size_t> invoice_owner;
  std::vector<double> billed(N, 0.0), collected(N, 0.0);
  for (const auto& row : inv.rows) {
    const Date d = date_from_string(row[inv.column("issue_date")]);
    auto it = order_owner.find(row[inv.column("order_id")]);
    if (d < q0 || d >= q1 || it == order_owner.end()) continue;
    invoice_owner[row[inv.column("invoice_id")]] = it->second;
    billed[it->second] += std::stod(row[inv.column("amount_minor")]);
  }
  for (const auto& row : pay.rows) {
    auto it = invoice_owner.find(row[pay.column("invoice_id")]);
    if (it != invoice_owner.end() && date_from_string(row[pay.column("paid_date")]) <= collect_by)
      collected[it->second] += std::stod(row[pay.column("amount_minor")]);
  }

  // Process conformance of their deals and their activity (stage entries) in Q1.
  process::LogCsvOptions lo;
  lo.case_column = "deal_id";
  lo.activity_column = "stage_id";
  lo.timestamp_column = "entered_at";
  lo.resource_column = "actor_node_id";
  const process::EventLog log = process::read_log_csv((dir / "deal_events.csv").string(), lo);
  process::CheckOptions co;
  co.as_of = static_cast<int64_t>(q1) * 86'400'000'000'000;
  const process::CheckResult check = process::check(process::load_model((dir / "process_model.json").string()), log, co);
  std::vector<char> deviates(log.num_cases(), 0);
  for (const auto& d : check.deviations())
    if (d.kind != process::DeviationKind::rework) deviates[static_cast<size_t>(d.case_index)] = 1;
  std::map<std::string, size_t> case_of;
  for (size_t c = 0; c < log.num_cases(); ++c) case_of[log.case_name(c)] = c;
  CsvTable deals = read_csv((dir / "deals.csv").string());
  std::vector<double> cases(N, 0.0), conforming(N, 0.0), activities(N, 0.0);
  for (const auto& row : deals.rows) {
    auto who = person.find(row[deals.column("owner_node_id")]);
    auto c = case_of.find(row[deals.column("deal_id")]);
    if (who == person.end() || c == case_of.end() || date_from_string(row[deals.column("created")]) >= q1) continue;
    cases[who->second] += 1;
    conforming[who->second] += deviates[c->second] ? 0 : 1;
  }
  CsvTable events = read_csv((dir / "deal_events.csv").string());
  for (const auto& row : events.rows) {
    auto who = person.find(row[events.column("actor_node_id")]);
    const Date d = date_from_string(row[events.column("entered_at")].substr(0, 10));
    if (who != person.end() && d >= q0 && d < q1) activities[who->second] += 1;
  }
  const double required = cal.working_days(q0, q1) / 5.0;

  // The scorecard, over the salespeople with a target.
  std::vector<size_t> scored;
  for (size_t i = 0; i < N; ++i)
    if (target[i] > 0) scored.push_back(i);
  std::vector<double> att, col, conf, act;
  for (size_t i : scored) {
    att.push_back(actual[i] / static_cast<double>(target[i]));
    col.push_back(ratio(collected[i], billed[i], 1.0));
    conf.push_back(ratio(conforming[i], cases[i], 1.0));
    act.push_back(activities[i] / required);
  }
  const incentive::Scorecard card = incentive::load_scorecard((dir / "scorecard.json").string());
  const incentive::InputColumn inputs[] = {
      {"attainment", att}, {"collection_rate", col}, {"process_conformance", conf}, {"activity", act}};
  const incentive::ScoreResult sr = card.score(inputs);
  std::vector<size_t> rank(scored.size());
  std::iota(rank.begin(), rank.end(), size_t{0});
  std::stable_sort(rank.begin(), rank.end(), [&](size_t a, size_t b) { return sr.total[a] > sr.total[b]; });

  std::printf("\nScorecard %s, Q1 %d: %zu salespeople scored (%zu without a Q1 target left out); one activity a week "
              "required (%.1f)\n",
              card.definition().name.c_str(), year, scored.size(), N - scored.size(), required);
  std::printf("%-6s %-8s %-12s %10s %10s %11s %9s %7s\n", "rank", "person", "name", "attainment", "collection",
              "conformance", "activity", "score");
  auto show = [&](size_t at) {
    const size_t row = rank[at];
    const std::string& id = ids[scored[row]];
    std::printf("%-6zu %-8s %-12s %9.1f%% %9.1f%% %10.1f%% %8.1f%% %7.2f\n", at + 1, id.c_str(),
                names[scored[row]].c_str(), 100 * att[row], 100 * col[row], 100 * conf[row], 100 * act[row], sr.total[row]);
    for (size_t k = 0; k < card.size(); ++k)
      if (card.kpi(k).weight > 0 || sr.gate_failed[sr.line(row, k)]) std::printf("         %s\n", card.reason(sr, row, k).c_str());
  };
  std::printf("Top 3\n");
  for (size_t at = 0; at < std::min<size_t>(3, rank.size()); ++at) show(at);
  std::printf("Bottom 3\n");
  for (size_t at = rank.size() >= 3 ? rank.size() - 3 : 0; at < rank.size(); ++at) show(at);

  // The payout run: January to March, the quarter's score paid as a bonus in March; the people
  // are the scored salespeople (row i of the scorecard is person i).
  PayReport r;
  const incentive::Plan plan = load_plan_file((dir / "incentive_plan.json").string());
  r.plan = &plan;
  r.cal = &cal;
  r.grain = Grain::month;
  r.scale = scale;
  const size_t M = scored.size();
  std::vector<int32_t> row_of(N, -1);
  for (size_t row = 0; row < M; ++row) row_of[scored[row]] = static_cast<int32_t>(row), r.names.push_back(ids[scored[row]]);
  std::vector<int32_t> pay_seller;
  std::vector<Date> pay_date, pay_hired;
  std::vector<int64_t> pay_amount;
  for (size_t i = 0; i < seller.size(); ++i)
    if (row_of[static_cast<size_t>(seller[i])] >= 0) {
      pay_seller.push_back(row_of[static_cast<size_t>(seller[i])]);
      pay_date.push_back(sale_date[i]);
      pay_amount.push_back(sale_amount[i]);
    }
  for (size_t i : scored) pay_hired.push_back(hired[i]);
  std::vector<int32_t> qp, sp, kpi;
  std::vector<Date> qf, sd;
  std::vector<int64_t> qa;
  std::vector<double> sv;
  for (size_t row = 0; row < M; ++row)
    for (size_t m = 0; m < 3; ++m) {
      qp.push_back(static_cast<int32_t>(row));
      qf.push_back(date_from_ymd(year, static_cast<int>(m) + 1, 1));
      qa.push_back(monthly_plan[static_cast<size_t>(h.index_of(r.names[row])) * months + m]);
    }
  for (size_t row = 0; row < M; ++row) {
    sp.push_back(static_cast<int32_t>(row));
    sd.push_back(q1 - 1);
    kpi.push_back(0);
    sv.push_back(sr.total[row]);
  }
  const std::string kpi_names[] = {"scorecard"};
  incentive::PayoutInput in;
  in.people = M;
  in.names = r.names;
  in.hired = pay_hired;
  in.sales = {pay_seller, pay_date, pay_amount, {}, {}, {}};
  in.quota_person = qp;
  in.quota_from = qf;
  in.quota_amount = qa;
  in.kpi_names = kpi_names;
  in.score_person = sp;
  in.score_date = sd;
  in.score_kpi = kpi;
  in.score_value = sv;
  incentive::PayoutOptions opt{.start = q0, .end = q1, .grain = Grain::month};
  opt.lines_from = 2;
  opt.lines_until = 3;
  r.result = incentive::run_payouts(plan, cal, in, opt);

  const size_t top = rank[0];
  const auto& st = r.result.cells[top * 3 + 2];
  std::printf("\nMarch %d statement of %s under \"%s\" (credit %s, quota %s, attainment %.1f%%, year to date %.1f%%)\n",
              year, r.names[top].c_str(), plan.name().c_str(), Amount{st.credit}.format(scale).c_str(),
              Amount{st.quota}.format(scale).c_str(), 100 * st.attainment, 100 * st.ytd_attainment);
  std::printf("  %-14s %-20s %16s %8s %5s %14s  %s\n", "kind", "component", "base", "rate", "tier", "amount", "reason");
  int64_t sum = 0;
  for (uint64_t i = st.first_line; i < st.first_line + st.line_count; ++i) {
    const auto& l = r.result.lines[i];
    std::printf("  %-14s %-20s %16s %8s %5s %14s  %s\n", std::string(incentive::line_kind_name(l.kind)).c_str(),
                line_component(r, l).c_str(), line_base_text(l, scale).c_str(), line_rate_text(l).c_str(),
                l.tier >= 0 ? std::to_string(l.tier + 1).c_str() : "", Amount{l.amount}.format(scale).c_str(),
                line_reason(r, l).c_str());
    sum += l.amount;
  }
  std::printf("  lines sum to %s; payout %s; draw balance %s\n", Amount{sum}.format(scale).c_str(),
              Amount{st.payout}.format(scale).c_str(), Amount{st.draw_balance}.format(scale).c_str());
  std::printf("March payouts, top 3 and bottom 3 of the scorecard:\n");
  std::vector<size_t> shown;
  for (size_t at = 0; at < M; ++at)
    if (at < 3 || at + 3 >= M) shown.push_back(rank[at]);
  print_payout_summary(r, 2, shown);
}

}  // namespace quotaflow::cli
