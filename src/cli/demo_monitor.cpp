// The demo's monitor step: the sample company's events (sales lines with prices and locations,
// deal stage changes and figures, invoices and payments) pushed through the streaming Monitor with
// every rule on, advanced to a mid-quarter date, then streamed on to the company's as-of date.
//
// Why two advances: the first shows what the monitor sees at a point in the quarter, the second
// what a host that keeps feeding it would be told next (raised, changed, cleared), which is the
// monitor's job. Events are pushed in date order, each batch the events of one day range.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "commands.hpp"
#include "csv_table.hpp"
#include "quotaflow/monitor/deals.hpp"
#include "quotaflow/monitor/monitor.hpp"
#include "quotaflow/process/model_json.hpp"

namespace quotaflow::cli {

namespace {

using monitor::Alert;

// The number at the end of an id such as "SL26-001667" or "DL-0149" (the id's own digits).
int64_t id_number(const std::string& id) {
  size_t i = id.size();
  while (i > 0 && id[i - 1] >= '0' && id[i - 1] <= '9') --i;
  if (i == id.size()) fail(errc::parse_error, "id \"", id, "\" does not end in digits");
  return std::stoll(id.substr(i));
}

std::unordered_map<std::string, int32_t> index_of(const CsvTable& t, const std::string& column) {
  std::unordered_map<std::string, int32_t> out;
  const size_t c = t.column(column);
  for (size_t r = 0; r < t.rows.size(); ++r) out.emplace(t.rows[r][c], static_cast<int32_t>(r));
  return out;
}

template <class Map>
int32_t lookup(const Map& m, const std::string& key, const char* what) {
  auto it = m.find(key);
  if (it == m.end()) fail(errc::not_found, what, " \"", key, "\" is unknown");
  return it->second;
}

// Every event of the sample company, as columns, with its date so a range can be pushed.
struct Events {
  // sales
  std::vector<int32_t> node, date, item, customer, location;
  std::vector<int64_t> amount, sale, price;
  std::vector<double> discount;
  // stage changes (stage -1: the deal reached a terminal stage)
  std::vector<int64_t> change_deal;
  std::vector<int32_t> change_stage, change_date;
  // invoices and payments
  std::vector<int64_t> invoice, inv_customer, inv_amount, pay_invoice, pay_amount;
  std::vector<int32_t> inv_date, inv_due, inv_seller, pay_date;
};

// The rows dated in (after, upto].
std::vector<size_t> dated(const std::vector<int32_t>& date, Date after, Date upto) {
  std::vector<size_t> rows;
  for (size_t i = 0; i < date.size(); ++i)
    if (date[i] > after && date[i] <= upto) rows.push_back(i);
  return rows;
}
template <class T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (size_t r : rows) out.push_back(v[r]);
  return out;
}

// Pushes the events dated in (after, upto]: invoices before payments, sales, stage changes.
void push_range(monitor::Monitor& m, const Events& e, Date after, Date upto) {
  auto s = dated(e.date, after, upto);
  const auto node = pick(e.node, s), date = pick(e.date, s), item = pick(e.item, s), customer = pick(e.customer, s),
             location = pick(e.location, s);
  const auto amount = pick(e.amount, s), sale = pick(e.sale, s), price = pick(e.price, s);
  const auto discount = pick(e.discount, s);
  monitor::SaleColumns c;
  c.node = node;
  c.date = date;
  c.amount = amount;
  c.sale = sale;
  c.item = item;
  c.price = price;
  c.discount_pct = discount;
  c.customer = customer;
  c.location = location;
  m.push_sales(c);
  auto st = dated(e.change_date, after, upto);
  m.push_stage_changes(pick(e.change_deal, st), pick(e.change_stage, st), pick(e.change_date, st));
  auto iv = dated(e.inv_date, after, upto);
  m.push_invoices(pick(e.invoice, iv), pick(e.inv_customer, iv), pick(e.inv_amount, iv), pick(e.inv_due, iv),
                  pick(e.inv_seller, iv));
  auto pv = dated(e.pay_date, after, upto);
  m.push_payments(pick(e.pay_invoice, pv), pick(e.pay_amount, pv), pick(e.pay_date, pv));
}

// Most severe first, then by rule and entity: the order a sales manager reads them in.
void sort_by_severity(std::vector<Alert>& a) {
  std::stable_sort(a.begin(), a.end(), [](const Alert& x, const Alert& y) {
    if (x.severity != y.severity) return x.severity > y.severity;
    if (x.rule != y.rule) return x.rule < y.rule;
    return x.entity < y.entity;
  });
}

void print_alerts(const std::vector<Alert>& alerts, size_t limit) {
  std::map<monitor::Rule, size_t> per_rule;
  for (const Alert& a : alerts) ++per_rule[a.rule];
  std::printf("  by rule:");
  for (const auto& [r, n] : per_rule) std::printf(" %s %zu", std::string(monitor::rule_name(r)).c_str(), n);
  std::printf("\n");
  for (size_t i = 0; i < alerts.size() && i < limit; ++i)
    std::printf("  %-8s %-22s %s\n", std::string(monitor::severity_name(alerts[i].severity)).c_str(),
                std::string(monitor::rule_name(alerts[i].rule)).c_str(), alerts[i].message.c_str());
  if (alerts.size() > limit) std::printf("  ... and %zu more\n", alerts.size() - limit);
}

}  // namespace

void run_monitor_demo(const std::filesystem::path& dir, const Hierarchy& h, const Calendar& cal,
                      const std::vector<int64_t>& monthly_plan, Date start, Date end, Date as_of, Date later,
                      double max_discount_pct, int scale) {
  const CsvTable sales = read_csv((dir / "sales_facts.csv").string());
  const CsvTable products = read_csv((dir / "products.csv").string());
  const CsvTable customers = read_csv((dir / "customers.csv").string());
  const CsvTable territories = read_csv((dir / "territories.csv").string());
  const CsvTable org = read_csv((dir / "org.csv").string());
  const CsvTable deals = read_csv((dir / "deals.csv").string());
  const CsvTable deal_events = read_csv((dir / "deal_events.csv").string());
  const CsvTable invoices = read_csv((dir / "invoices.csv").string());
  const CsvTable payments = read_csv((dir / "payments.csv").string());
  const process::ProcessModel model = process::load_model((dir / "process_model.json").string());

  // The geography: CN -> provinces -> territories (the territory rule's hierarchy).
  std::vector<int32_t> geo_parent{-1};
  std::vector<std::string> geo_name{"CN"};
  std::map<std::string, int32_t> province;
  std::unordered_map<std::string, int32_t> territory;
  const size_t tp = territories.column("province"), tid = territories.column("territory_id");
  for (const auto& row : territories.rows) {
    auto [it, fresh] = province.try_emplace(row[tp], static_cast<int32_t>(geo_parent.size()));
    if (fresh) {
      geo_parent.push_back(0);
      geo_name.push_back(row[tp]);
    }
    territory[row[tid]] = static_cast<int32_t>(geo_parent.size());
    geo_parent.push_back(it->second);
    geo_name.push_back(row[tid]);
  }

  monitor::MonitorConfig cfg;
  cfg.start = start;
  cfg.end = end;
  cfg.plan = monthly_plan;
  cfg.amount_scale = scale;
  cfg.stage_limit_days = monitor::stall_limits(model);
  for (size_t s = 0; s < model.num_stages(); ++s) cfg.stage_names.push_back(model.stages()[s].name);
  auto& pol = cfg.sales;
  const size_t lp = products.column("list_price_minor"), pr = products.column("is_promotional"), pid = products.column("product_id");
  for (const auto& row : products.rows) {
    pol.list_price.push_back(std::stoll(row[lp]));
    pol.promotional.push_back(row[pr] == "1" ? 1 : 0);
    pol.item_names.push_back(row[pid]);
  }
  pol.max_discount_pct = {max_discount_pct};
  pol.customer_tier.assign(customers.rows.size(), 0);
  pol.territories = std::make_shared<const Hierarchy>(Hierarchy::from_parents(geo_parent, geo_name));
  pol.seller_territory.assign(h.size(), -1);
  const size_t on = org.column("node_id"), ot = org.column("territory_id");
  for (const auto& row : org.rows)
    if (!row[ot].empty()) pol.seller_territory[static_cast<size_t>(h.index_of(row[on]))] = lookup(territory, row[ot], "territory");

  Events e;
  const auto product_ix = index_of(products, "product_id"), customer_ix = index_of(customers, "customer_id");
  const size_t ct = customers.column("territory_id");
  std::unordered_map<std::string, int32_t> order_node;
  {
    const size_t cl = sales.column("line_id"), cd = sales.column("date"), co = sales.column("order_id"), cn = sales.column("node_id"),
                 cc = sales.column("customer_id"), cp = sales.column("product_id"), cu = sales.column("unit_price_minor"),
                 cr = sales.column("revenue_minor"), cx = sales.column("discount_pct");
    for (const auto& row : sales.rows) {
      const int32_t node = h.index_of(row[cn]), cust = lookup(customer_ix, row[cc], "customer");
      e.node.push_back(node);
      e.date.push_back(date_from_string(row[cd]));
      e.amount.push_back(std::stoll(row[cr]));
      e.sale.push_back(id_number(row[cl]));
      e.item.push_back(lookup(product_ix, row[cp], "product"));
      e.price.push_back(std::stoll(row[cu]));
      e.discount.push_back(std::stod(row[cx]));
      e.customer.push_back(cust);
      e.location.push_back(lookup(territory, customers.rows[static_cast<size_t>(cust)][ct], "territory"));
      order_node.emplace(row[co], node);
    }
  }
  // Deal figures: owner, amount, expected close, and the win probability of the deal's stage as of
  // the first advance; stage changes in date order, a terminal stage closing the deal.
  std::unordered_map<std::string, int32_t> last_stage;
  std::unordered_map<std::string, Date> last_event;
  {
    std::vector<size_t> order(deal_events.rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const size_t ed = deal_events.column("deal_id"), es = deal_events.column("stage_id"), ea = deal_events.column("entered_at");
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return deal_events.rows[a][ea] < deal_events.rows[b][ea]; });
    for (size_t r : order) {
      const auto& row = deal_events.rows[r];
      const int32_t s = model.stage_index(row[es]);
      const Date day = date_from_string(row[ea].substr(0, 10));
      const bool terminal = model.stages()[static_cast<size_t>(s)].terminal != process::TerminalKind::none;
      e.change_deal.push_back(id_number(row[ed]));
      e.change_stage.push_back(terminal ? -1 : s);
      e.change_date.push_back(day);
      if (day <= as_of) last_stage[row[ed]] = terminal ? -1 : s;
      last_event[row[ed]] = day;
    }
    // A won or lost deal whose history stops before a terminal stage is closed as of its last event.
    const size_t ds = deals.column("status"), di = deals.column("deal_id");
    for (const auto& row : deals.rows) {
      auto it = last_event.find(row[di]);
      if (row[ds] == "open" || it == last_event.end()) continue;
      e.change_deal.push_back(id_number(row[di]));
      e.change_stage.push_back(-1);
      e.change_date.push_back(it->second);
      if (it->second <= as_of) last_stage[row[di]] = -1;
    }
  }
  const size_t iid = invoices.column("invoice_id"), ic = invoices.column("customer_id"), io = invoices.column("order_id"),
               ii = invoices.column("issue_date"), idue = invoices.column("due_date"), ia = invoices.column("amount_minor");
  for (const auto& row : invoices.rows) {
    e.invoice.push_back(id_number(row[iid]));
    e.inv_customer.push_back(lookup(customer_ix, row[ic], "customer"));
    e.inv_amount.push_back(std::stoll(row[ia]));
    e.inv_date.push_back(date_from_string(row[ii]));
    e.inv_due.push_back(date_from_string(row[idue]));
    auto it = order_node.find(row[io]);
    e.inv_seller.push_back(it == order_node.end() ? -1 : it->second);
  }
  const size_t pi = payments.column("invoice_id"), pd = payments.column("paid_date"), pa = payments.column("amount_minor");
  for (const auto& row : payments.rows) {
    e.pay_invoice.push_back(id_number(row[pi]));
    e.pay_amount.push_back(std::stoll(row[pa]));
    e.pay_date.push_back(date_from_string(row[pd]));
  }

  monitor::Monitor m(h, cal, cfg);
  push_range(m, e, std::numeric_limits<Date>::min(), as_of);
  {
    std::vector<int64_t> id, amount;
    std::vector<int32_t> owner, close;
    std::vector<double> prob;
    const size_t dd = deals.column("deal_id"), dow = deals.column("owner_node_id"), dc = deals.column("expected_close"),
                 da = deals.column("amount_minor");
    for (const auto& row : deals.rows) {
      auto it = last_stage.find(row[dd]);
      if (it == last_stage.end() || it->second < 0) continue;  // not started yet, or closed
      id.push_back(id_number(row[dd]));
      owner.push_back(h.index_of(row[dow]));
      amount.push_back(std::stoll(row[da]));
      close.push_back(std::clamp(date_from_string(row[dc]), cal.valid_from(), cal.valid_until() - 1));
      const double p = model.stages()[static_cast<size_t>(it->second)].win_probability;
      prob.push_back(std::isnan(p) ? 0.0 : p);
    }
    m.push_deals(id, owner, amount, prob, close);
  }
  std::vector<Alert> now;
  for (auto& c : m.advance(as_of)) now.push_back(std::move(c.alert));
  sort_by_severity(now);
  std::printf("\nMonitor as of %s (every rule on; %zu sales, %zu open deals, %zu invoices pushed): %zu alerts, most severe first\n",
              date_to_string(as_of).c_str(), dated(e.date, std::numeric_limits<Date>::min(), as_of).size(), m.open_deals(),
              m.invoices(), now.size());
  print_alerts(now, 40);

  // Streaming on: the events up to the company's as-of date, then what changed.
  push_range(m, e, as_of, later);
  std::vector<Alert> raised;
  size_t changed = 0, cleared = 0;
  for (auto& c : m.advance(later)) {
    if (c.change == monitor::ChangeKind::raised) raised.push_back(std::move(c.alert));
    else if (c.change == monitor::ChangeKind::changed) ++changed;
    else ++cleared;
  }
  sort_by_severity(raised);
  std::printf("\nMonitor streamed on to %s: %zu raised, %zu changed, %zu cleared; raised, most severe first\n",
              date_to_string(later).c_str(), raised.size(), changed, cleared);
  print_alerts(raised, 40);
}

}  // namespace quotaflow::cli
