#!/usr/bin/python3
"""Generates quotaflow's deterministic sample company into data/sample_company/.

Usage:
    /usr/bin/python3 tools/gen_sample_company.py            # (re)write data/sample_company/
    /usr/bin/python3 tools/gen_sample_company.py --out DIR  # write into DIR instead
    /usr/bin/python3 tools/gen_sample_company.py --check    # regenerate into a temp dir and compare
                                                            # byte-for-byte; exit 1 on any difference

Standard library only. The output depends on nothing but this file: a fixed seed (SEED), one
independent random stream per section (SEED + offset, so editing one section leaves the others'
draws alone), no transcendental float functions (normal noise is Irwin-Hall: sum of 12 uniforms
minus 6; growth compounds by repeated multiplication), no iteration over sets, and rows are sorted
before writing. CSVs are UTF-8, ASCII content, "\n" line endings. See data/README.md for the
meaning of every file and column.

The company: "Hangzhou Qingquan Beverage Co., Ltd.", a Chinese maker of bottled water, tea, juice,
carbonated, functional and plant-protein drinks. Currency CNY; money is integer fen (scale 2) in
columns ending in _minor. Business calendar: China's official one (preset "CN"; the 2024-2026
holidays and make-up working days are embedded below and match data/calendars). Plan year 2026,
history 2024-01..2025-12, actuals 2026-01..2026-06, as-of date 2026-06-30.

How each part is made
1. Org (fixed tables below): company > 4 regions > 9 districts > 37 salespeople and 12 agency
   distributors (49 leaves). Each leaf sells in one city territory and one channel. Five leaves
   are new hires / new contracts (start_date mid-2025 or 2026) and ramp up linearly over 6 months
   (distributors 4 months): factor min(1, (m + 0.5) / ramp) for the m-th month since start, times
   the share of working days left in the start month.
2. Customers: per leaf, a pool of fictional accounts (chains, restaurant groups, platforms,
   wholesalers) in the leaf's territory and channel; ids are assigned in (territory, channel,
   name) order.
3. Demand model (monthly, per leaf x product in the channel's assortment):
       units = BASE[channel] * AFFINITY[channel][category] * TIER[city tier] * popularity[product]
               * leaf_factor * month_index * trend * ramp * scenario * noise
   month_index = sum over the month's CN working days of season(category, month) * event(day)
   / 21, where event() adds pre-Spring-Festival stocking (30 days before New Year's eve+1, gift
   categories stronger), the post-festival lull, pre-Golden-Week stocking (Sep 10-30) and, for
   the online channel, 618 (Jun 1-18), Singles' Day sell-in (Oct 20 - Nov 11) and Double 12.
   South China has flatter seasonality. trend compounds (product growth + channel growth) / 12
   per month from 2024-01. Noise is 1 + 0.07 * N(0,1), clipped at 0.6.
   Scenario notes (not planted deviations): DS-09 (Jinan wholesale) loses ~35% from 2026-03;
   SP-18 (Shenzhen online) runs ~35% above trend in 2026.
4. monthly_history (2024-01..2025-12): revenue = units * realised price per case, where the
   realised price = round(list_2026 * price_index[year] * (1 - channel discount +- 1pp));
   margin = revenue - units * round(cost_2026 * cost_index[year]).
5. sales_facts (2026-01..2026-06): each leaf-month's units per product are split over 3-7 orders
   on weighted CN working days (1 or 2 orders per product); each line gets an integer discount
   from the channel's usual range (all <= max_discount_pct) and
       unit_price_minor = (list_price_minor * (100 - discount_pct) + 50) // 100,
       revenue_minor = units * unit_price_minor.
   Promotional free items (list price 0) ride along at price 0 in campaign months.
6. invoices: one per order, issued on the order date, due after the channel's payment terms,
   amount = order total. payments: ~80% paid in full on or before due, ~10% in two instalments,
   ~10% late but (if the due date has passed) before the as-of date; only payments dated <= as_of
   are kept, so nothing is overdue except what is planted.
7. Deals: key-account deals owned by salespeople, simulated through process_transitions with
   durations uniform(0.3, 1.3) * expected_duration_days moved to the next CN working day; events
   after the as-of date are not emitted. A deal that would end open with its current stage older
   than 1.4 * expected duration is redrawn, so only planted deals are stalled.
8. Planted deviations (planted_deviations.csv, the ground truth) are applied afterwards by
   editing chosen records; the generator then re-runs the reference detectors and fails if they
   find anything but exactly the planted set.
"""
import argparse
import csv
import datetime as dt
import io
import random
import sys
import tempfile
from pathlib import Path

SEED = 20260101
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "sample_company"

D = dt.date
AS_OF = D(2026, 6, 30)
PLAN_YEAR = 2026
HISTORY_START, HISTORY_END = D(2024, 1, 1), D(2025, 12, 31)
ACTUALS_START, ACTUALS_END = D(2026, 1, 1), D(2026, 6, 30)
MAX_DISCOUNT_PCT = 15
STALL_FACTOR = 2
TARGET_GROWTH_PCT = 125  # 2026 revenue target = 2025 actual revenue * 1.25, rounded to CNY 1M


# --------------------------------------------------------------------------- random helpers
class Rng:
    """Only random.Random.random() is used: its sequence for an int seed is stable across
    CPython versions; everything else is plain IEEE arithmetic."""

    def __init__(self, offset):
        self._r = random.Random(SEED + offset)

    def random(self):
        return self._r.random()

    def uniform(self, a, b):
        return a + (b - a) * self._r.random()

    def randint(self, a, b):  # inclusive
        return a + int(self._r.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self._r.random() * len(seq))]

    def weighted(self, items, weights):
        total = 0.0
        for w in weights:
            total += w
        x = self._r.random() * total
        acc = 0.0
        for item, w in zip(items, weights):
            acc += w
            if x < acc:
                return item
        return items[-1]

    def normal(self):
        s = 0.0
        for _ in range(12):
            s += self._r.random()
        return s - 6.0

    def shuffled(self, seq):
        out = list(seq)
        for i in range(len(out) - 1, 0, -1):
            j = self.randint(0, i)
            out[i], out[j] = out[j], out[i]
        return out


# --------------------------------------------------------------------------- CN calendar
# China State Council holiday notices (the "CN" preset); holidays as inclusive ranges.
CN_HOLIDAY_RANGES = [
    ("2024-01-01", "2024-01-01"), ("2024-02-10", "2024-02-17"), ("2024-04-04", "2024-04-06"),
    ("2024-05-01", "2024-05-05"), ("2024-06-10", "2024-06-10"), ("2024-09-15", "2024-09-17"),
    ("2024-10-01", "2024-10-07"),
    ("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08"),
    ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
]
CN_MAKEUP_WORKDAYS = [
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
    "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
]
SPRING_FESTIVAL = {2024: D(2024, 2, 10), 2025: D(2025, 1, 29), 2026: D(2026, 2, 17), 2027: D(2027, 2, 6)}
CAL_FIRST, CAL_LAST = D(2024, 1, 1), D(2026, 12, 31)


def _expand_holidays():
    out = {}
    for a, b in CN_HOLIDAY_RANGES:
        d, e = D.fromisoformat(a), D.fromisoformat(b)
        while d <= e:
            out[d] = True
            d += dt.timedelta(days=1)
    return out


CN_HOLIDAYS = _expand_holidays()
CN_MAKEUP = {D.fromisoformat(s): True for s in CN_MAKEUP_WORKDAYS}


def is_working_day(d):
    if not (CAL_FIRST <= d <= CAL_LAST):
        raise ValueError(f"{d} outside the embedded CN calendar")
    if d in CN_MAKEUP:
        return True
    return d.weekday() < 5 and d not in CN_HOLIDAYS


def next_working_day(d):
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def prev_working_day(d):
    while not is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def month_days(y, m):
    d = D(y, m, 1)
    out = []
    while d.month == m:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


def months(first, last):
    y, m = first
    out = []
    while (y, m) <= last:
        out.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def ym_str(ym):
    return f"{ym[0]:04d}-{ym[1]:02d}"


def month_offset(ym):
    return (ym[0] - 2024) * 12 + ym[1] - 1


# --------------------------------------------------------------------------- master data
COMPANY_NAME = "Hangzhou Qingquan Beverage Co. Ltd."

REGIONS = [  # node_id, name
    ("R-EAST", "East China Region"),
    ("R-SOUTH", "South China Region"),
    ("R-NORTH", "North China Region"),
    ("R-WEST", "Southwest Region"),
]
DISTRICTS = [  # node_id, region, name
    ("D-SH", "R-EAST", "Shanghai District"),
    ("D-JS", "R-EAST", "Jiangsu District"),
    ("D-ZJ", "R-EAST", "Zhejiang District"),
    ("D-GD", "R-SOUTH", "Guangdong District"),
    ("D-FJ", "R-SOUTH", "Fujian District"),
    ("D-JJ", "R-NORTH", "Beijing-Tianjin District"),
    ("D-SD", "R-NORTH", "Shandong District"),
    ("D-SC", "R-WEST", "Sichuan District"),
    ("D-CQ", "R-WEST", "Chongqing District"),
]
TERRITORIES = [  # territory_id, name, province, city, tier
    ("T-SH", "Shanghai", "Shanghai", "Shanghai", 1),
    ("T-NJ", "Nanjing", "Jiangsu", "Nanjing", 2),
    ("T-SUZ", "Suzhou", "Jiangsu", "Suzhou", 2),
    ("T-WX", "Wuxi", "Jiangsu", "Wuxi", 3),
    ("T-HZ", "Hangzhou", "Zhejiang", "Hangzhou", 2),
    ("T-NB", "Ningbo", "Zhejiang", "Ningbo", 2),
    ("T-GZ", "Guangzhou", "Guangdong", "Guangzhou", 1),
    ("T-SZ", "Shenzhen", "Guangdong", "Shenzhen", 1),
    ("T-DG", "Dongguan", "Guangdong", "Dongguan", 2),
    ("T-XM", "Xiamen", "Fujian", "Xiamen", 2),
    ("T-FZ", "Fuzhou", "Fujian", "Fuzhou", 2),
    ("T-QZ", "Quanzhou", "Fujian", "Quanzhou", 3),
    ("T-BJ", "Beijing", "Beijing", "Beijing", 1),
    ("T-TJ", "Tianjin", "Tianjin", "Tianjin", 2),
    ("T-JN", "Jinan", "Shandong", "Jinan", 2),
    ("T-QD", "Qingdao", "Shandong", "Qingdao", 2),
    ("T-CD", "Chengdu", "Sichuan", "Chengdu", 2),
    ("T-MY", "Mianyang", "Sichuan", "Mianyang", 3),
    ("T-CQ", "Chongqing", "Chongqing", "Chongqing", 2),
]
TERR = {t[0]: t for t in TERRITORIES}
TIER_FACTOR = {1: 1.35, 2: 1.0, 3: 0.8}
REGION_OF_DISTRICT = {d[0]: d[1] for d in DISTRICTS}

# node_id, district, name, kind, territory, channel, start_date, selling_hours_per_week
LEAVES = [
    ("SP-01", "D-SH", "Wang Lei", "salesperson", "T-SH", "supermarket", "2019-03-04", 40),
    ("SP-02", "D-SH", "Li Na", "salesperson", "T-SH", "convenience", "2020-06-15", 40),
    ("SP-03", "D-SH", "Zhang Wei", "salesperson", "T-SH", "restaurant", "2021-09-01", 40),
    ("SP-04", "D-SH", "Liu Yang", "salesperson", "T-SH", "online", "2018-11-12", 40),
    ("SP-05", "D-SH", "Chen Jing", "salesperson", "T-SH", "supermarket", "2025-07-14", 40),
    ("DS-01", "D-SH", "Shanghai Huitong Beverage Distribution Co.", "distributor", "T-SH", "wholesale", "2016-01-01", 80),
    ("SP-06", "D-JS", "Yang Fan", "salesperson", "T-NJ", "supermarket", "2017-05-08", 40),
    ("SP-07", "D-JS", "Zhao Min", "salesperson", "T-NJ", "restaurant", "2022-02-14", 40),
    ("SP-08", "D-JS", "Huang Hao", "salesperson", "T-SUZ", "supermarket", "2020-08-03", 40),
    ("SP-09", "D-JS", "Zhou Ting", "salesperson", "T-SUZ", "convenience", "2023-03-20", 40),
    ("SP-10", "D-JS", "Wu Qiang", "salesperson", "T-WX", "supermarket", "2021-04-06", 30),
    ("DS-02", "D-JS", "Nanjing Jinling Food Trading Co.", "distributor", "T-NJ", "wholesale", "2018-07-01", 40),
    ("DS-03", "D-JS", "Suzhou Hengtong Commerce Co.", "distributor", "T-SUZ", "wholesale", "2019-01-01", 40),
    ("SP-11", "D-ZJ", "Xu Lin", "salesperson", "T-HZ", "supermarket", "2015-09-01", 40),
    ("SP-12", "D-ZJ", "Sun Yue", "salesperson", "T-HZ", "convenience", "2019-10-08", 40),
    ("SP-13", "D-ZJ", "Ma Jun", "salesperson", "T-HZ", "online", "2020-03-02", 40),
    ("SP-14", "D-ZJ", "Zhu Hong", "salesperson", "T-NB", "supermarket", "2018-04-16", 40),
    ("DS-04", "D-ZJ", "Ningbo Haishun Beverage Co.", "distributor", "T-NB", "wholesale", "2017-01-01", 40),
    ("SP-15", "D-GD", "Hu Bin", "salesperson", "T-GZ", "supermarket", "2016-02-22", 40),
    ("SP-16", "D-GD", "Guo Xin", "salesperson", "T-GZ", "restaurant", "2019-07-01", 40),
    ("SP-17", "D-GD", "He Ping", "salesperson", "T-SZ", "convenience", "2021-11-15", 40),
    ("SP-18", "D-GD", "Gao Yan", "salesperson", "T-SZ", "online", "2020-05-11", 40),
    ("SP-19", "D-GD", "Lin Tao", "salesperson", "T-DG", "supermarket", "2026-03-02", 40),
    ("DS-05", "D-GD", "Guangzhou Yuexin Trading Co.", "distributor", "T-GZ", "wholesale", "2015-01-01", 80),
    ("DS-06", "D-GD", "Dongguan Ruifeng Food Wholesale Co.", "distributor", "T-DG", "wholesale", "2020-01-01", 40),
    ("SP-20", "D-FJ", "Luo Jie", "salesperson", "T-XM", "supermarket", "2018-08-20", 40),
    ("SP-21", "D-FJ", "Zheng Kai", "salesperson", "T-FZ", "supermarket", "2022-06-06", 40),
    ("SP-22", "D-FJ", "Liang Mei", "salesperson", "T-QZ", "convenience", "2020-09-14", 32),
    ("DS-07", "D-FJ", "Quanzhou Minhai Commerce Co.", "distributor", "T-QZ", "wholesale", "2019-01-01", 40),
    ("SP-23", "D-JJ", "Xie Dong", "salesperson", "T-BJ", "supermarket", "2014-03-03", 40),
    ("SP-24", "D-JJ", "Song Jia", "salesperson", "T-BJ", "convenience", "2021-01-11", 40),
    ("SP-25", "D-JJ", "Tang Lu", "salesperson", "T-BJ", "online", "2019-12-02", 40),
    ("SP-26", "D-JJ", "Han Bo", "salesperson", "T-TJ", "supermarket", "2017-10-09", 40),
    ("SP-27", "D-JJ", "Feng Rui", "salesperson", "T-TJ", "restaurant", "2025-09-01", 40),
    ("DS-08", "D-JJ", "Tianjin Bohai Beverage Distribution Co.", "distributor", "T-TJ", "wholesale", "2018-01-01", 40),
    ("SP-28", "D-SD", "Deng Qian", "salesperson", "T-JN", "supermarket", "2020-02-17", 40),
    ("SP-29", "D-SD", "Cao Yu", "salesperson", "T-QD", "supermarket", "2016-06-20", 40),
    ("SP-30", "D-SD", "Peng Hui", "salesperson", "T-QD", "restaurant", "2023-07-03", 40),
    ("DS-09", "D-SD", "Jinan Quancheng Trading Co.", "distributor", "T-JN", "wholesale", "2017-01-01", 40),
    ("DS-10", "D-SD", "Qingdao Haiyun Food Wholesale Co.", "distributor", "T-QD", "wholesale", "2021-01-01", 40),
    ("SP-31", "D-SC", "Zeng Li", "salesperson", "T-CD", "supermarket", "2018-03-12", 40),
    ("SP-32", "D-SC", "Xiao Nan", "salesperson", "T-CD", "restaurant", "2019-05-06", 40),
    ("SP-33", "D-SC", "Tian Xiaoyu", "salesperson", "T-CD", "convenience", "2022-10-10", 40),
    ("SP-34", "D-SC", "Dong Peng", "salesperson", "T-MY", "supermarket", "2025-06-02", 40),
    ("DS-11", "D-SC", "Mianyang Fulin Commerce Co.", "distributor", "T-MY", "wholesale", "2020-01-01", 40),
    ("SP-35", "D-CQ", "Pan Wen", "salesperson", "T-CQ", "supermarket", "2017-08-07", 40),
    ("SP-36", "D-CQ", "Yuan Lei", "salesperson", "T-CQ", "restaurant", "2018-12-03", 40),
    ("SP-37", "D-CQ", "Cai Ying", "salesperson", "T-CQ", "online", "2026-01-05", 40),
    ("DS-12", "D-CQ", "Chongqing Shancheng Beverage Co.", "distributor", "T-CQ", "wholesale", "2025-10-08", 40),
]

STAFF = [  # staff_id, name, department, role
    ("ST-FIN-01", "Jiang Hua", "finance", "pricing analyst"),
    ("ST-FIN-02", "Yu Lan", "finance", "pricing analyst"),
    ("ST-FIN-03", "Ye Qing", "finance", "billing clerk"),
    ("ST-FIN-04", "Wei Na", "finance", "accounts receivable accountant"),
    ("ST-OPS-01", "Du Feng", "sales_operations", "order desk clerk"),
    ("ST-OPS-02", "Cheng Ming", "sales_operations", "order desk clerk"),
    ("ST-LOG-01", "Kong Jie", "logistics", "logistics coordinator"),
    ("ST-LOG-02", "Shi Wen", "logistics", "logistics coordinator"),
]

CHANNELS = [  # channel_id, name, payment_terms_days
    ("supermarket", "Supermarkets and hypermarkets (modern trade)", 60),
    ("convenience", "Convenience store chains", 45),
    ("restaurant", "Restaurants and catering (HoReCa)", 30),
    ("online", "E-commerce platforms and instant retail", 30),
    ("wholesale", "Wholesale via agency distributors", 15),
]
TERMS = {c[0]: c[2] for c in CHANNELS}

# product_id, sku, name, category, list_price_minor, unit_cost_minor, is_promotional, launch_date
PRODUCTS = [
    ("P001", "QQ-WAT-550X24", "Qingquan Spring Water 550ml x24", "water", 2640, 1380, 0, ""),
    ("P002", "QQ-WAT-1500X12", "Qingquan Spring Water 1.5L x12", "water", 2880, 1560, 0, ""),
    ("P003", "QQ-MIN-380X24", "Qingquan Natural Mineral Water 380ml x24", "water", 5760, 2880, 0, ""),
    ("P004", "QQ-TEA-JAS-500X15", "Jasmine Green Tea 500ml x15", "tea", 4050, 2110, 0, ""),
    ("P005", "QQ-TEA-OOL-500X15", "Oolong Tea No Sugar 500ml x15", "tea", 4800, 2350, 0, ""),
    ("P006", "QQ-TEA-LEM-500X15", "Lemon Black Tea 500ml x15", "tea", 4050, 2180, 0, ""),
    ("P007", "QQ-JUI-NFC-300X12", "NFC Orange Juice 300ml x12", "juice", 9600, 5900, 0, ""),
    ("P008", "QQ-JUI-HAW-350X24", "Hawthorn Drink 350ml x24", "juice", 6240, 3480, 0, ""),
    ("P009", "QQ-JUI-COC-245X16", "Coconut Milk Drink Gift Box 245ml x16", "juice", 6880, 3870, 0, ""),
    ("P010", "QQ-CAR-PCH-480X15", "Peach Sparkling Water Zero Sugar 480ml x15", "carbonated", 4950, 2260, 0, ""),
    ("P011", "QQ-CAR-ORG-330X24", "Orange Soda Can 330ml x24", "carbonated", 5280, 2950, 0, ""),
    ("P012", "QQ-FUN-ELY-600X15", "Electrolyte Water 600ml x15", "functional", 5400, 2580, 0, ""),
    ("P013", "QQ-FUN-NRG-250X24", "Vitamin Energy Drink Can 250ml x24", "functional", 8640, 4290, 0, ""),
    ("P014", "QQ-PLT-WAL-240X20", "Walnut Milk 240ml x20", "plant_protein", 7200, 4150, 0, ""),
    ("P015", "QQ-TEA-CBO-400X15", "Cold Brew Oolong 400ml x15", "tea", 6750, 3100, 0, "2025-07-01"),
    ("P901", "QQ-PRM-COOLER", "Branded Cooler Bag (promotional)", "promotional", 0, 1850, 1, ""),
    ("P902", "QQ-PRM-TUMBLER", "Glass Tumbler Gift (promotional)", "promotional", 0, 620, 1, ""),
    ("P903", "QQ-PRM-SAMPLE6", "Tasting Sample Pack 6x330ml (promotional)", "promotional", 0, 690, 1, ""),
]
PROD = {p[0]: p for p in PRODUCTS}
POPULARITY = {"P001": 1.8, "P002": 0.9, "P003": 0.5, "P004": 1.3, "P005": 1.0, "P006": 1.0,
              "P007": 0.5, "P008": 0.8, "P009": 0.6, "P010": 1.0, "P011": 0.9, "P012": 0.9,
              "P013": 0.7, "P014": 0.7, "P015": 0.4}
PRODUCT_GROWTH = {"P001": 0.05, "P002": 0.02, "P003": 0.10, "P004": 0.06, "P005": 0.15,
                  "P006": -0.03, "P007": 0.08, "P008": 0.04, "P009": 0.00, "P010": 0.16,
                  "P011": -0.06, "P012": 0.15, "P013": 0.12, "P014": -0.04, "P015": 0.30}
CHANNEL_GROWTH = {"supermarket": -0.03, "convenience": 0.06, "restaurant": 0.05, "online": 0.18,
                  "wholesale": 0.01}
ASSORTMENT = {
    "supermarket": ["P001", "P002", "P004", "P005", "P007", "P008", "P009", "P010", "P014", "P015"],
    "convenience": ["P001", "P003", "P004", "P005", "P006", "P010", "P012", "P013", "P015"],
    "restaurant": ["P002", "P003", "P006", "P008", "P009", "P011", "P014"],
    "online": ["P001", "P003", "P005", "P007", "P009", "P010", "P012", "P013", "P014", "P015"],
    "wholesale": ["P001", "P002", "P004", "P006", "P008", "P009", "P011", "P012", "P013", "P014"],
}
BASE_UNITS = {"supermarket": 700, "convenience": 450, "restaurant": 300, "online": 600, "wholesale": 1400}
AFFINITY = {  # channel -> category -> multiplier
    "supermarket": {"water": 1.0, "tea": 1.0, "juice": 1.2, "carbonated": 0.9, "functional": 0.8, "plant_protein": 1.3},
    "convenience": {"water": 1.2, "tea": 1.2, "juice": 0.7, "carbonated": 1.1, "functional": 1.3, "plant_protein": 0.6},
    "restaurant": {"water": 0.8, "tea": 1.0, "juice": 1.4, "carbonated": 1.3, "functional": 0.6, "plant_protein": 1.5},
    "online": {"water": 0.8, "tea": 1.0, "juice": 1.2, "carbonated": 1.1, "functional": 1.2, "plant_protein": 1.2},
    "wholesale": {"water": 1.4, "tea": 1.0, "juice": 0.9, "carbonated": 1.0, "functional": 0.9, "plant_protein": 1.1},
}
CHANNEL_AVG_DISCOUNT = {"supermarket": 0.08, "convenience": 0.05, "restaurant": 0.04, "online": 0.10, "wholesale": 0.12}
DISCOUNT_CHOICES = {  # integer percent, all <= MAX_DISCOUNT_PCT
    "supermarket": [5, 6, 8, 8, 10, 10, 12],
    "convenience": [3, 4, 5, 5, 6, 8],
    "restaurant": [0, 2, 3, 5, 5, 8],
    "online": [5, 8, 10, 10, 12, 15],
    "wholesale": [10, 12, 12, 12, 15, 15],
}
PRICE_INDEX = {2024: 0.96, 2025: 0.98, 2026: 1.0}
COST_INDEX = {2024: 0.97, 2025: 0.99, 2026: 1.0}
ORDERS_PER_MONTH = {"supermarket": (4, 6), "convenience": (3, 5), "restaurant": (4, 7), "online": (3, 5), "wholesale": (4, 6)}
CUSTOMERS_PER_LEAF = {"supermarket": (5, 8), "convenience": (3, 5), "restaurant": (7, 11), "online": (3, 5), "wholesale": (8, 12)}
# promotional item -> (months of 2026, channels)
PROMO_CAMPAIGNS = {
    "P902": ([1, 2], ["supermarket", "online"]),             # Spring Festival gift tumbler
    "P903": ([3, 4], ["supermarket", "convenience"]),        # sparkling/tea tasting packs
    "P901": ([5, 6], ["convenience", "restaurant", "wholesale"]),  # summer cooler bags
}

SEASON = {
    "summer": [0.68, 0.66, 0.80, 0.92, 1.08, 1.30, 1.45, 1.42, 1.12, 0.92, 0.78, 0.72],
    "tea": [0.78, 0.76, 0.88, 0.98, 1.08, 1.20, 1.30, 1.28, 1.08, 0.98, 0.84, 0.80],
    "juice": [1.00, 0.95, 0.92, 0.95, 1.00, 1.08, 1.12, 1.10, 1.02, 1.00, 0.95, 1.02],
    "gift": [1.25, 1.05, 0.85, 0.80, 0.80, 0.78, 0.75, 0.78, 0.95, 1.05, 1.10, 1.30],
}
SEASON_OF_CATEGORY = {"water": "summer", "carbonated": "summer", "functional": "summer", "tea": "tea",
                      "juice": "juice", "plant_protein": "gift"}
GIFT_CATEGORIES = ("juice", "plant_protein")

# --------------------------------------------------------------------------- sales process
# stage_id, seq, name, role, department, mandatory, expected_duration_days, is_terminal
STAGES = [
    ("lead", 1, "Lead", "key account manager", "sales", 1, 7, 0),
    ("qualification", 2, "Qualification", "key account manager", "sales", 1, 10, 0),
    ("needs_analysis", 3, "Needs analysis", "key account manager", "sales", 0, 14, 0),
    ("proposal", 4, "Proposal / quote", "key account manager", "sales", 1, 10, 0),
    ("price_approval", 5, "Price approval", "pricing analyst", "finance", 1, 3, 0),
    ("negotiation", 6, "Negotiation", "key account manager", "sales", 0, 14, 0),
    ("contract", 7, "Contract signed", "key account manager", "sales", 1, 7, 0),
    ("order", 8, "Order booked", "order desk clerk", "sales_operations", 1, 3, 0),
    ("delivery", 9, "Delivery", "logistics coordinator", "logistics", 1, 5, 0),
    ("invoice", 10, "Invoiced", "billing clerk", "finance", 1, 40, 0),
    ("payment", 11, "Paid", "accounts receivable accountant", "finance", 1, 0, 1),
    ("lost", None, "Lost", "key account manager", "sales", 0, 0, 1),
]
STAGE = {s[0]: s for s in STAGES}
TRANSITIONS = [  # from, to, probability (decimal string)
    ("lead", "qualification", "0.75"), ("lead", "lost", "0.25"),
    ("qualification", "needs_analysis", "0.55"), ("qualification", "proposal", "0.25"),
    ("qualification", "lost", "0.20"),
    ("needs_analysis", "proposal", "0.80"), ("needs_analysis", "lost", "0.20"),
    ("proposal", "price_approval", "0.85"), ("proposal", "lost", "0.15"),
    ("price_approval", "negotiation", "0.65"), ("price_approval", "contract", "0.25"),
    ("price_approval", "proposal", "0.10"),
    ("negotiation", "contract", "0.70"), ("negotiation", "lost", "0.30"),
    ("contract", "order", "1.00"), ("order", "delivery", "1.00"), ("delivery", "invoice", "1.00"),
    ("invoice", "payment", "1.00"),
]
WON_FROM_SEQ = 7  # a deal is won once it reached any stage with seq >= seq(contract)
DEAL_AMOUNT = {"supermarket": (200_000, 2_500_000), "convenience": (150_000, 1_200_000),
               "restaurant": (60_000, 600_000), "online": (300_000, 3_000_000)}
DEALS_PER_OWNER = {"supermarket": (7, 10), "convenience": (6, 8), "restaurant": (8, 11), "online": (8, 10)}
DEAL_WINDOW = (D(2025, 4, 1), D(2026, 6, 26))


def win_probabilities():
    """P(reaching contract) from each stage, by fixed-point iteration over TRANSITIONS."""
    w = {s[0]: 0.0 for s in STAGES}
    for s in STAGES:
        if s[1] is not None and s[1] >= WON_FROM_SEQ:
            w[s[0]] = 1.0
    for _ in range(500):
        for s in STAGES:
            sid = s[0]
            if s[1] is not None and s[1] >= WON_FROM_SEQ or sid == "lost":
                continue
            w[sid] = sum(float(p) * w[t] for f, t, p in TRANSITIONS if f == sid)
    return w


# --------------------------------------------------------------------------- demand model
def season(category, month, south):
    s = SEASON[SEASON_OF_CATEGORY[category]][month - 1]
    return 1.0 + (s - 1.0) * 0.6 if south else s


def event_factor(d, channel, category):
    f = 1.0
    for cny in (SPRING_FESTIVAL[d.year], SPRING_FESTIVAL[d.year + 1]):
        before = (cny - d).days
        if 1 <= before <= 30:
            f *= 1.9 if category in GIFT_CATEGORIES else 1.4
    after = (d - SPRING_FESTIVAL[d.year]).days
    if 0 <= after <= 20:
        f *= 0.7
    if d.month == 9 and d.day >= 10:
        f *= 1.2
    if channel == "online":
        if d.month == 6 and d.day <= 18:
            f *= 1.8
        if (d.month == 10 and d.day >= 20) or (d.month == 11 and d.day <= 11):
            f *= 2.2
        if d.month == 12 and d.day <= 12:
            f *= 1.3
    return f


_MONTH_INDEX = {}


def month_index(ym, channel, category, south):
    key = (ym, channel, category, south)
    if key not in _MONTH_INDEX:
        total = 0.0
        for d in month_days(*ym):
            if is_working_day(d):
                total += event_factor(d, channel, category)
        _MONTH_INDEX[key] = total * season(category, ym[1], south) / 21.0
    return _MONTH_INDEX[key]


def compound(rate, n):
    f = 1.0
    step = 1.0 + rate / 12.0
    for _ in range(n):
        f *= step
    return f


def ramp_factor(start, ym, ramp_months):
    if start is None:
        return 1.0
    m = month_offset(ym) - month_offset((start.year, start.month))
    if m < 0:
        return 0.0
    f = min(1.0, (m + 0.5) / ramp_months)
    if m == 0:
        days = [d for d in month_days(*ym) if is_working_day(d)]
        left = [d for d in days if d >= start]
        f *= len(left) / len(days)
    return f


def scenario_factor(node_id, ym):
    if node_id == "DS-09" and ym >= (2026, 3):
        return 0.65
    if node_id == "SP-18" and ym >= (2026, 1):
        return 1.35
    return 1.0


def launch_factor(pid, ym):
    launch = PROD[pid][7]
    if not launch:
        return 1.0
    ld = D.fromisoformat(launch)
    m = month_offset(ym) - month_offset((ld.year, ld.month))
    if m < 0:
        return 0.0
    return min(1.0, (m + 1) / 4.0)


class Leaf:
    def __init__(self, row, factor):
        (self.id, self.district, self.name, self.kind, self.territory, self.channel,
         start, self.hours) = row
        self.start = D.fromisoformat(start)
        self.factor = factor
        self.region = REGION_OF_DISTRICT[self.district]
        self.south = self.region == "R-SOUTH"

    def ramp(self, ym):
        if self.start < HISTORY_START:
            return 1.0
        return ramp_factor(self.start, ym, 4 if self.kind == "distributor" else 6)


def expected_units(leaf, pid, ym, rng):
    cat = PROD[pid][3]
    u = (BASE_UNITS[leaf.channel] * AFFINITY[leaf.channel][cat] * TIER_FACTOR[TERR[leaf.territory][4]]
         * POPULARITY[pid] * leaf.factor * month_index(ym, leaf.channel, cat, leaf.south)
         * compound(PRODUCT_GROWTH[pid] + CHANNEL_GROWTH[leaf.channel], month_offset(ym))
         * leaf.ramp(ym) * scenario_factor(leaf.id, ym) * launch_factor(pid, ym))
    noise = max(0.6, 1.0 + 0.07 * rng.normal())
    return int(u * noise + 0.5)


# --------------------------------------------------------------------------- customers
CUSTOMER_BRANDS = {
    "supermarket": ["Jinhui Hypermarket", "Baisheng Mart", "Xinyue Supermarket", "Hongqi Fresh Market",
                    "Yongxiang Supermarket", "Dafu Hypermarket", "Tianhong Mart", "Meijia Supermarket",
                    "Huarun Fresh", "Lianyi Supermarket"],
    "convenience": ["Easy24 Convenience", "Lianjie Convenience", "Jiajia Convenience", "Xiaoyu Mart",
                    "Lucky Seven Convenience", "Home Corner Convenience"],
    "restaurant": ["Laoma Hotpot", "Jade Garden Restaurants", "Golden Dragon Banquet Hall", "Spicy Bowl",
                   "Harbour Seafood House", "Dim Sum Pavilion", "Old Street Noodle House", "Red Lantern BBQ",
                   "Lotus Vegetarian Kitchen", "Silk Road Grill", "Family Feast Canteen", "Bamboo Tea House"],
    "online": ["Cloudmall", "FreshGo Instant Retail", "QuickBuy O2O", "Pinjia Group Buying", "Shoptide Live Commerce"],
    "wholesale": ["Ruifeng Wholesale", "Xinhe Beverage Wholesale", "Dongsheng Commerce", "Fulai Grocery Wholesale",
                  "Anda Food Trading", "Shunli Wholesale", "Hengda Drinks Depot", "Wanjia Sub-distributor",
                  "Taihe Trading", "Jiuzhou Wholesale", "Kangle Food Market Stall", "Xingwang Trading"],
}
CUSTOMER_SUFFIX = {"supermarket": "store", "convenience": "chain", "restaurant": "group",
                   "online": "hub", "wholesale": "depot"}


def make_customers(leaves, rng):
    pools = {}  # (territory, channel) -> list of (name, weight)
    used = {}
    for leaf in leaves:
        lo, hi = CUSTOMERS_PER_LEAF[leaf.channel]
        n = rng.randint(lo, hi)
        key = (leaf.territory, leaf.channel)
        pool = pools.setdefault(key, [])
        city = TERR[leaf.territory][3]
        brands = CUSTOMER_BRANDS[leaf.channel]
        for _ in range(n):
            brand = rng.choice(brands)
            base = f"{brand} {city}"
            k = used.get(base, 0) + 1
            used[base] = k
            name = f"{base} {CUSTOMER_SUFFIX[leaf.channel]} {k}"
            pool.append((name, rng.uniform(0.5, 2.0)))
    rows = []
    for (terr, ch), pool in pools.items():
        for name, w in pool:
            rows.append((terr, ch, name, w))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    customers = []
    for i, (terr, ch, name, w) in enumerate(rows, start=1):
        customers.append({"customer_id": f"C{i:04d}", "name": name, "territory_id": terr, "channel": ch,
                          "weight": w})
    by_pool = {}
    for c in customers:
        by_pool.setdefault((c["territory_id"], c["channel"]), []).append(c)
    return customers, by_pool


# --------------------------------------------------------------------------- history
def make_history(leaves, rng):
    rows = []
    for ym in months((2024, 1), (2025, 12)):
        year = ym[0]
        for leaf in leaves:
            if leaf.ramp(ym) == 0.0:
                continue
            for pid in ASSORTMENT[leaf.channel]:
                units = expected_units(leaf, pid, ym, rng)
                if units <= 0:
                    continue
                lp, cost = PROD[pid][4], PROD[pid][5]
                disc = CHANNEL_AVG_DISCOUNT[leaf.channel] + 0.01 * rng.uniform(-1.0, 1.0)
                price = int(lp * PRICE_INDEX[year] * (1.0 - disc) + 0.5)
                unit_cost = int(cost * COST_INDEX[year] + 0.5)
                revenue = units * price
                rows.append((ym_str(ym), leaf.id, pid, leaf.channel, units, revenue, revenue - units * unit_cost))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows


# --------------------------------------------------------------------------- sales facts
def unit_price(list_price, discount_pct):
    return (list_price * (100 - discount_pct) + 50) // 100


def make_orders(leaves, by_pool, rng):
    """Returns a list of orders: dict(date, node_id, customer_id, channel, lines=[dict]), unsorted ids."""
    orders = []
    seq = 0
    for ym in months((2026, 1), (2026, 6)):
        for leaf in leaves:
            if leaf.ramp(ym) == 0.0:
                continue
            days = [d for d in month_days(*ym) if is_working_day(d) and d >= leaf.start]
            if not days:
                continue
            units = {}
            for pid in ASSORTMENT[leaf.channel]:
                u = expected_units(leaf, pid, ym, rng)
                if u > 0:
                    units[pid] = u
            lo, hi = ORDERS_PER_MONTH[leaf.channel]
            n = rng.randint(lo, hi)
            weights = [event_factor(d, leaf.channel, "tea") for d in days]
            dates = sorted(rng.weighted(days, weights) for _ in range(n))
            pool = by_pool[(leaf.territory, leaf.channel)]
            month_orders = []
            for d in dates:
                cust = rng.weighted(pool, [c["weight"] for c in pool])
                seq += 1
                month_orders.append({"date": d, "node_id": leaf.id, "customer_id": cust["customer_id"],
                                     "channel": leaf.channel, "seq": seq, "lines": {}})
            for pid in ASSORTMENT[leaf.channel]:
                u = units.get(pid, 0)
                if u <= 0:
                    continue
                if n == 1 or rng.random() < 0.6:
                    targets, parts = [rng.randint(0, n - 1)], [u]
                else:
                    i = rng.randint(0, n - 1)
                    j = rng.randint(0, n - 2)
                    if j >= i:
                        j += 1
                    a = int(u * rng.uniform(0.3, 0.7))
                    targets, parts = [i, j], [a, u - a]
                for t, part in zip(targets, parts):
                    if part > 0:
                        month_orders[t]["lines"][pid] = month_orders[t]["lines"].get(pid, 0) + part
            for promo, (pmonths, pchannels) in PROMO_CAMPAIGNS.items():
                if ym[1] in pmonths and leaf.channel in pchannels:
                    for o in month_orders:
                        if o["lines"] and rng.random() < 0.3:
                            o["lines"][promo] = rng.randint(10, 60)
            for o in month_orders:
                if not any(not PROD[p][6] for p in o["lines"]):
                    continue
                lines = []
                for pid in sorted(o["lines"]):
                    if PROD[pid][6]:
                        disc = 0
                    else:
                        disc = rng.choice(DISCOUNT_CHOICES[leaf.channel])
                    lines.append({"product_id": pid, "units": o["lines"][pid], "discount_pct": disc})
                o["lines"] = lines
                orders.append(o)
    return orders


def price_lines(order):
    for ln in order["lines"]:
        if "unit_price_minor" not in ln:
            ln["unit_price_minor"] = unit_price(PROD[ln["product_id"]][4], ln["discount_pct"])
        ln["revenue_minor"] = ln["units"] * ln["unit_price_minor"]
    order["total"] = sum(ln["revenue_minor"] for ln in order["lines"])


# --------------------------------------------------------------------------- deals
def fmt_ts(d, rng):
    return f"{d.isoformat()}T{9 + int(rng.random() * 9):02d}:{int(rng.random() * 60):02d}:00"


def stage_actor(stage, owner, region_idx):
    dep = STAGE[stage][4]
    if dep == "sales":
        return owner
    if stage == "price_approval":
        return ["ST-FIN-01", "ST-FIN-02"][region_idx % 2]
    if stage == "invoice":
        return "ST-FIN-03"
    if stage == "payment":
        return "ST-FIN-04"
    if dep == "sales_operations":
        return ["ST-OPS-01", "ST-OPS-02"][region_idx % 2]
    return ["ST-LOG-01", "ST-LOG-02"][region_idx % 2]


def deal_status(stages):
    if stages[-1] == "lost":
        return "lost"
    if any(STAGE[s][1] is not None and STAGE[s][1] >= WON_FROM_SEQ for s in stages):
        return "won"
    return "open"


def simulate_deal(created, owner, region_idx, rng):
    """One attempt; returns events [(stage, date, ts, actor)]."""
    events = [("lead", created, fmt_ts(created, rng), owner)]
    stage, when, reworks = "lead", created, 0
    while not STAGE[stage][7]:
        outs = [(t, float(p)) for f, t, p in TRANSITIONS if f == stage]
        nxt = rng.weighted([o[0] for o in outs], [o[1] for o in outs])
        if nxt == "proposal" and stage == "price_approval":
            reworks += 1
            if reworks > 1:
                nxt = "negotiation"
        days = max(1, int(STAGE[stage][6] * rng.uniform(0.3, 1.3) + 0.5))
        d = next_working_day(when + dt.timedelta(days=days))
        if d > AS_OF:
            break
        events.append((nxt, d, fmt_ts(d, rng), stage_actor(nxt, owner, region_idx)))
        stage, when = nxt, d
    return events


def make_deals(leaves, by_pool, rng):
    region_idx = {r[0]: i for i, r in enumerate(REGIONS)}
    raw = []
    for leaf in leaves:
        if leaf.kind != "salesperson":
            continue
        lo, hi = DEALS_PER_OWNER[leaf.channel]
        n = rng.randint(lo, hi)
        first = max(DEAL_WINDOW[0], leaf.start + dt.timedelta(days=14))
        span = (DEAL_WINDOW[1] - first).days
        if span < 0:
            continue
        pool = by_pool[(leaf.territory, leaf.channel)]
        for _ in range(n):
            while True:
                created = next_working_day(first + dt.timedelta(days=int(rng.random() * (span + 1))))
                if created > DEAL_WINDOW[1]:
                    continue
                events = simulate_deal(created, leaf.id, region_idx[leaf.region], rng)
                stages = [e[0] for e in events]
                if deal_status(stages) == "open":
                    age = (AS_OF - events[-1][1]).days
                    if age > 1.4 * STAGE[stages[-1]][6]:
                        continue
                break
            lo_a, hi_a = DEAL_AMOUNT[leaf.channel]
            amount = int(rng.uniform(lo_a, hi_a) / 1000) * 1000 * 100
            exp_days = int(58 * rng.uniform(0.8, 1.3))
            cust = rng.choice(pool)["customer_id"]
            raw.append({"customer_id": cust, "owner_node_id": leaf.id, "created": created,
                        "expected_close": created + dt.timedelta(days=exp_days),
                        "amount_minor": amount, "events": events})
    raw.sort(key=lambda r: (r["created"], r["owner_node_id"], r["customer_id"], r["amount_minor"], r["events"][0][2]))
    for i, r in enumerate(raw, start=1):
        r["deal_id"] = f"DL-{i:04d}"
    return raw


# --------------------------------------------------------------------------- receivables
def make_payments(invoices, rng):
    """invoices: list of dicts (sorted by id). Returns payments [(invoice_id, date, amount)]."""
    pays = []
    for inv in invoices:
        issue, due, amt = inv["issue_date"], inv["due_date"], inv["amount_minor"]
        terms = (due - issue).days
        r = rng.random()
        plan = []
        if r < 0.80:
            d = issue + dt.timedelta(days=int(terms * rng.uniform(0.5, 1.0)))
            plan.append((prev_working_day(d), amt))
        elif r < 0.90:
            first = int(amt * rng.uniform(0.3, 0.7))
            d1 = prev_working_day(issue + dt.timedelta(days=int(terms * rng.uniform(0.2, 0.5))))
            d2 = prev_working_day(issue + dt.timedelta(days=int(terms * rng.uniform(0.6, 1.0))))
            d1 = max(d1, issue)
            d2 = max(d2, d1)
            plan += [(d1, first), (d2, amt - first)]
        else:
            d = next_working_day(due + dt.timedelta(days=rng.randint(3, 25)))
            if due < AS_OF and d > AS_OF:  # would be overdue at as-of: pay on time instead
                d = prev_working_day(due)
            plan.append((d, amt))
        for d, a in plan:
            d = max(d, issue)
            if d <= AS_OF and a > 0:
                pays.append([inv["invoice_id"], d, a])
    return pays


# --------------------------------------------------------------------------- detectors
def detect(data):
    """Reference detectors; returns {(kind, entity_id)}. Used for self-validation and mirrored
    by tests/python/test_sample_company.py."""
    found = []
    seq = {s[0]: s[1] for s in STAGES}
    mandatory = [s[0] for s in STAGES if s[5]]
    for deal in data["deals"]:
        stages = [e[0] for e in deal["events"]]
        reached = max((seq[s] for s in stages if seq[s] is not None), default=0)
        if any(m not in stages and seq[m] < reached for m in mandatory):
            found.append(("skipped_stage", deal["deal_id"]))
        if deal["status"] == "open":
            age = (AS_OF - deal["events"][-1][1]).days
            if age > STALL_FACTOR * STAGE[stages[-1]][6]:
                found.append(("stalled_deal", deal["deal_id"]))
    node_terr = {l.id: l.territory for l in data["leaves"]}
    cust_terr = {c["customer_id"]: c["territory_id"] for c in data["customers"]}
    for o in data["orders"]:
        for ln in o["lines"]:
            if node_terr[o["node_id"]] != cust_terr[o["customer_id"]]:
                found.append(("cross_territory_sale", ln["line_id"]))
            if PROD[ln["product_id"]][6] and (ln["unit_price_minor"] > 0 or ln["revenue_minor"] > 0):
                found.append(("promo_item_sold", ln["line_id"]))
            if not PROD[ln["product_id"]][6] and ln["discount_pct"] > MAX_DISCOUNT_PCT:
                found.append(("price_policy_violation", ln["line_id"]))
    paid = {}
    for p in data["payments"]:
        if p[1] <= AS_OF:
            paid[p[0]] = paid.get(p[0], 0) + p[2]
    for inv in data["invoices"]:
        if inv["due_date"] < AS_OF and paid.get(inv["invoice_id"], 0) < inv["amount_minor"]:
            found.append(("overdue_invoice", inv["invoice_id"]))
    return sorted(found)


# --------------------------------------------------------------------------- build
def build():
    rng_org, rng_cust, rng_hist, rng_sales, rng_deal, rng_pay, rng_plant = (Rng(i) for i in range(1, 8))

    leaves = [Leaf(row, max(0.6, min(1.6, 1.0 + 0.18 * rng_org.normal()))) for row in LEAVES]
    customers, by_pool = make_customers(leaves, rng_cust)
    history = make_history(leaves, rng_hist)
    orders = make_orders(leaves, by_pool, rng_sales)
    planted = []  # (kind, entity_id, details)

    # planted: cross-territory sale -- Suzhou supermarket rep books an order for a Nanjing account
    nj_pool = by_pool[("T-NJ", "supermarket")]
    xt_customer = nj_pool[rng_plant.randint(0, len(nj_pool) - 1)]["customer_id"]
    xt_date = next_working_day(D(2026, 3, 17))
    xt_order = {"date": xt_date, "node_id": "SP-08", "customer_id": xt_customer, "channel": "supermarket",
                "seq": 10 ** 6, "lines": [{"product_id": "P004", "units": 260, "discount_pct": 8}],
                "planted": True}
    orders.append(xt_order)

    orders.sort(key=lambda o: (o["date"], o["node_id"], o["customer_id"], o["seq"]))
    line_no = 0
    for i, o in enumerate(orders, start=1):
        o["order_id"] = f"SO26-{i:05d}"
        for ln in o["lines"]:
            line_no += 1
            ln["line_id"] = f"SL26-{line_no:06d}"
    planted.append(("cross_territory_sale", xt_order["lines"][0]["line_id"],
                    f"order_id={xt_order['order_id']}; node_id=SP-08; node_territory=T-SUZ; "
                    f"customer_id={xt_customer}; customer_territory=T-NJ"))

    def eligible(o):
        return not o.get("planted")

    # planted: promotional sample pack invoiced at a price
    promo_lines = [(o, ln) for o in orders if eligible(o) for ln in o["lines"] if ln["product_id"] == "P903"]
    o, ln = promo_lines[rng_plant.randint(0, len(promo_lines) - 1)]
    ln["unit_price_minor"] = 1800
    o["planted"] = True
    planted.append(("promo_item_sold", ln["line_id"],
                    f"order_id={o['order_id']}; product_id=P903; list_price_minor=0; unit_price_minor=1800; "
                    f"units={ln['units']}"))

    # planted: discounts beyond policy (wholesale dumping, online over-promotion)
    for node_id, disc in (("DS-05", 22), ("SP-25", 28)):
        cands = [(o, ln) for o in orders if eligible(o) and o["node_id"] == node_id and o["date"].month in (4, 5)
                 for ln in o["lines"] if not PROD[ln["product_id"]][6]]
        o, ln = cands[rng_plant.randint(0, len(cands) - 1)]
        ln["discount_pct"] = disc
        o["planted"] = True
        planted.append(("price_policy_violation", ln["line_id"],
                        f"order_id={o['order_id']}; node_id={node_id}; product_id={ln['product_id']}; "
                        f"discount_pct={disc}; max_discount_pct={MAX_DISCOUNT_PCT}"))

    for o in orders:
        price_lines(o)

    cust_by_id = {c["customer_id"]: c for c in customers}
    invoices = []
    for o in orders:
        issue = o["date"]
        terms = TERMS[cust_by_id[o["customer_id"]]["channel"]]
        invoices.append({"invoice_id": "INV" + o["order_id"][2:], "customer_id": o["customer_id"],
                         "order_id": o["order_id"], "issue_date": issue,
                         "due_date": issue + dt.timedelta(days=terms), "amount_minor": o["total"],
                         "planted": o.get("planted", False)})
    payments = make_payments(invoices, rng_pay)

    # planted: overdue invoices at the as-of date
    def inv_payments(inv_id):
        return [p for p in payments if p[0] == inv_id]

    def drop_payments(inv_id):
        payments[:] = [p for p in payments if p[0] != inv_id]

    ov_plan = []
    cands = [i for i in invoices if not i["planted"] and i["due_date"] < AS_OF]

    def pick(pred):
        cs = [i for i in cands if pred(i) and not i["planted"]]
        inv = cs[rng_plant.randint(0, len(cs) - 1)]
        inv["planted"] = True
        return inv

    chan = lambda i: cust_by_id[i["customer_id"]]["channel"]  # noqa: E731
    # a restaurant group in dispute: two invoices (January and February) left unpaid
    first = pick(lambda i: chan(i) == "restaurant" and i["issue_date"].month == 1)
    same = [i for i in cands if i["customer_id"] == first["customer_id"] and i["issue_date"].month == 2 and not i["planted"]]
    if same:
        second = same[0]
        second["planted"] = True
    else:
        second = pick(lambda i: chan(i) == "restaurant" and i["issue_date"].month == 2)
    ov_plan += [(first, 0.0), (second, 0.0)]
    ov_plan.append((pick(lambda i: chan(i) == "supermarket" and i["due_date"].month == 5), 0.0))
    ov_plan.append((pick(lambda i: chan(i) == "convenience" and i["due_date"].month in (4, 5)), 0.5))
    ov_plan.append((pick(lambda i: chan(i) == "wholesale" and i["due_date"].month == 6), 0.3))
    # boundary: due the day before the as-of date, unpaid (1 day overdue)
    ov_plan.append((pick(lambda i: i["due_date"] == AS_OF - dt.timedelta(days=1)), 0.0))
    for inv, share in ov_plan:
        drop_payments(inv["invoice_id"])
        if share > 0:
            d = prev_working_day(inv["issue_date"] + dt.timedelta(days=(inv["due_date"] - inv["issue_date"]).days // 2))
            payments.append([inv["invoice_id"], d, int(inv["amount_minor"] * share)])
    for inv, _ in ov_plan:
        paid = sum(p[2] for p in inv_payments(inv["invoice_id"]))
        out = inv["amount_minor"] - paid
        planted.append(("overdue_invoice", inv["invoice_id"],
                        f"customer_id={inv['customer_id']}; due_date={inv['due_date'].isoformat()}; "
                        f"amount_minor={inv['amount_minor']}; paid_minor={paid}; outstanding_minor={out}; "
                        f"days_overdue={(AS_OF - inv['due_date']).days}"))
    # near miss (NOT overdue): unpaid invoice due exactly on the as-of date
    near = [i for i in invoices if i["due_date"] == AS_OF and not i["planted"]]
    near_miss = near[rng_plant.randint(0, len(near) - 1)]
    near_miss["planted"] = True
    drop_payments(near_miss["invoice_id"])

    payments.sort(key=lambda p: (p[1], p[0], p[2]))
    payments = [(f"PAY26-{i:05d}", p[0], p[1], p[2]) for i, p in enumerate(payments, start=1)]

    # deals
    deals = make_deals(leaves, by_pool, rng_deal)
    for d in deals:
        d["status"] = deal_status([e[0] for e in d["events"]])
    used = {}

    def pick_deal(pred):
        cs = [d for d in deals if d["deal_id"] not in used and pred(d)]
        d = cs[rng_plant.randint(0, len(cs) - 1)]
        used[d["deal_id"]] = True
        return d

    def st(d):
        return [e[0] for e in d["events"]]

    def follows(d, a, b):
        s = st(d)
        return any(s[i] == a and s[i + 1] == b for i in range(len(s) - 1))

    skip_specs = [
        ("price_approval", lambda d: d["status"] == "won" and st(d).count("price_approval") == 1
         and follows(d, "proposal", "price_approval") and follows(d, "price_approval", "negotiation")),
        ("price_approval", lambda d: d["status"] == "open" and st(d)[-1] == "negotiation"
         and st(d).count("price_approval") == 1 and follows(d, "proposal", "price_approval")),
        ("qualification", lambda d: d["status"] == "lost" and follows(d, "qualification", "needs_analysis")
         and "proposal" in st(d)),
        ("contract", lambda d: d["status"] == "won" and follows(d, "negotiation", "contract")
         and follows(d, "contract", "order")),
    ]
    for stage, pred in skip_specs:
        d = pick_deal(pred)
        s = st(d)
        i = s.index(stage)
        d["events"] = d["events"][:i] + d["events"][i + 1:]
        d["status"] = deal_status(st(d))
        planted.append(("skipped_stage", d["deal_id"],
                        f"skipped={stage}; transition={s[i - 1]}->{s[i + 1]}; status={d['status']}"))

    for stage, min_age in (("qualification", 60), ("proposal", 45), ("price_approval", 30), ("negotiation", 60)):
        limit = max(min_age, 4 * STAGE[stage][6])

        def stall_ok(d, stage=stage, limit=limit):
            s = st(d)
            if d["status"] == "open" or stage not in s:
                return False
            e = d["events"][s.index(stage)]
            return e[1] >= D(2026, 1, 5) and (AS_OF - e[1]).days >= limit

        d = pick_deal(stall_ok)
        i = st(d).index(stage)
        d["events"] = d["events"][:i + 1]
        d["status"] = "open"
        e = d["events"][-1]
        planted.append(("stalled_deal", d["deal_id"],
                        f"stage={stage}; entered={e[1].isoformat()}; days_in_stage={(AS_OF - e[1]).days}; "
                        f"expected_days={STAGE[stage][6]}"))

    data = {"leaves": leaves, "customers": customers, "orders": orders, "invoices": invoices,
            "payments": [(p[1], p[2], p[3]) for p in payments], "deals": deals}
    found = detect(data)
    expected = sorted((k, e) for k, e, _ in planted)
    if found != expected:
        raise SystemExit(f"self-check failed:\n found    {found}\n expected {expected}")

    kind_order = ["skipped_stage", "stalled_deal", "cross_territory_sale", "promo_item_sold",
                  "price_policy_violation", "overdue_invoice"]
    planted.sort(key=lambda p: (kind_order.index(p[0]), p[1]))
    planted_rows = [(f"PD-{i:02d}", k, e, det) for i, (k, e, det) in enumerate(planted, start=1)]

    # ---- tables
    tables = {}
    rev_2025 = sum(r[5] for r in history if r[0].startswith("2025"))
    target = (rev_2025 * TARGET_GROWTH_PCT // 100 + 50_000_000) // 100_000_000 * 100_000_000
    tables["company.csv"] = (["key", "value"], [
        ("name", COMPANY_NAME), ("currency", "CNY"), ("amount_scale", 2), ("calendar", "CN"),
        ("timezone", "Asia/Shanghai"), ("fiscal_year_start_month", 1), ("plan_year", PLAN_YEAR),
        ("history_start", HISTORY_START.isoformat()), ("history_end", HISTORY_END.isoformat()),
        ("actuals_start", ACTUALS_START.isoformat()), ("actuals_end", ACTUALS_END.isoformat()),
        ("as_of", AS_OF.isoformat()), ("annual_revenue_target_minor", target),
        ("max_discount_pct", MAX_DISCOUNT_PCT), ("stall_factor", STALL_FACTOR),
        ("near_miss_invoice_id", near_miss["invoice_id"]),
    ])
    org_rows = [("CO", "", COMPANY_NAME, "company", "", "", "", "")]
    for rid, rname in REGIONS:
        org_rows.append((rid, "CO", rname, "region", "", "", "", ""))
        for did, drid, dname in DISTRICTS:
            if drid != rid:
                continue
            org_rows.append((did, rid, dname, "district", "", "", "", ""))
            for leaf in leaves:
                if leaf.district == did:
                    org_rows.append((leaf.id, did, leaf.name, leaf.kind, leaf.territory, leaf.channel,
                                     leaf.start.isoformat(), leaf.hours))
    tables["org.csv"] = (["node_id", "parent_id", "name", "kind", "territory_id", "channel_id", "start_date",
                          "selling_hours_per_week"], org_rows)
    tables["territories.csv"] = (["territory_id", "name", "province", "city", "city_tier"], list(TERRITORIES))
    tables["channels.csv"] = (["channel_id", "name", "payment_terms_days"], list(CHANNELS))
    tables["customers.csv"] = (["customer_id", "name", "territory_id", "channel"],
                               [(c["customer_id"], c["name"], c["territory_id"], c["channel"]) for c in customers])
    tables["products.csv"] = (["product_id", "sku", "name", "category", "list_price_minor", "unit_cost_minor",
                               "is_promotional", "launch_date"], list(PRODUCTS))
    tables["staff.csv"] = (["staff_id", "name", "department", "role"], list(STAFF))
    tables["monthly_history.csv"] = (["month", "node_id", "product_id", "channel_id", "units", "revenue_minor",
                                      "margin_minor"], history)
    wp = win_probabilities()
    tables["process_stages.csv"] = (
        ["stage_id", "seq", "name", "role", "department", "mandatory", "expected_duration_days",
         "win_probability", "is_terminal"],
        [(s[0], "" if s[1] is None else s[1], s[2], s[3], s[4], s[5], s[6], f"{wp[s[0]]:.3f}", s[7])
         for s in STAGES])
    tables["process_transitions.csv"] = (
        ["from_stage", "to_stage", "probability", "handoff"],
        [(f, t, p, int(STAGE[f][4] != STAGE[t][4])) for f, t, p in TRANSITIONS])
    tables["deals.csv"] = (
        ["deal_id", "customer_id", "owner_node_id", "created", "expected_close", "amount_minor", "status"],
        [(d["deal_id"], d["customer_id"], d["owner_node_id"], d["created"].isoformat(),
          d["expected_close"].isoformat(), d["amount_minor"], d["status"]) for d in deals])
    tables["deal_events.csv"] = (
        ["deal_id", "stage_id", "entered_at", "actor_node_id"],
        [(d["deal_id"], e[0], e[2], e[3]) for d in deals for e in d["events"]])
    fact_rows = []
    for o in orders:
        for ln in o["lines"]:
            fact_rows.append((ln["line_id"], o["date"].isoformat(), o["order_id"], o["node_id"], o["customer_id"],
                              ln["product_id"], o["channel"], ln["units"], ln["unit_price_minor"],
                              ln["revenue_minor"], ln["discount_pct"]))
    tables["sales_facts.csv"] = (["line_id", "date", "order_id", "node_id", "customer_id", "product_id",
                                  "channel_id", "units", "unit_price_minor", "revenue_minor", "discount_pct"],
                                 fact_rows)
    tables["invoices.csv"] = (["invoice_id", "customer_id", "order_id", "issue_date", "due_date", "amount_minor"],
                              [(i["invoice_id"], i["customer_id"], i["order_id"], i["issue_date"].isoformat(),
                                i["due_date"].isoformat(), i["amount_minor"]) for i in invoices])
    tables["payments.csv"] = (["payment_id", "invoice_id", "paid_date", "amount_minor"],
                              [(p[0], p[1], p[2].isoformat(), p[3]) for p in payments])
    tables["planted_deviations.csv"] = (["deviation_id", "kind", "entity_id", "details"], planted_rows)
    return tables


def render(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def write_all(out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = build()
    for name in sorted(tables):
        header, rows = tables[name]
        (out_dir / name).write_bytes(render(header, rows))
    return sorted(tables)


def check():
    with tempfile.TemporaryDirectory() as tmp:
        names = write_all(tmp)
        bad = []
        existing = sorted(p.name for p in DEFAULT_OUT.glob("*.csv")) if DEFAULT_OUT.is_dir() else []
        for extra in existing:
            if extra not in names:
                bad.append(f"{extra}: not produced by the generator")
        for name in names:
            ref = DEFAULT_OUT / name
            if not ref.is_file():
                bad.append(f"{name}: missing in {DEFAULT_OUT}")
            elif ref.read_bytes() != (Path(tmp) / name).read_bytes():
                bad.append(f"{name}: differs")
    for b in bad:
        print(b, file=sys.stderr)
    print("sample company: OK" if not bad else f"sample company: {len(bad)} difference(s)")
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output directory (default data/sample_company)")
    ap.add_argument("--check", action="store_true",
                    help="regenerate into a temp dir and compare byte-for-byte with data/sample_company")
    args = ap.parse_args(argv)
    if args.check:
        return check()
    names = write_all(args.out)
    print(f"wrote {len(names)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
