"""The business calendar from Python: months of 2025 on China's official calendar.

(Not named calendar.py: a script of that name would shadow the standard library module.)
"""
import quotaflow as qf

cal = qf.Calendar.preset("CN")
print(cal.periods("2025-01-01", "2026-01-01", "month").to_string(index=False))
print(f"2025: {cal.working_days('2025-01-01', '2026-01-01')} working days")
print("next working day after 2025-09-30:", cal.add_working_days("2025-09-30", 1))
try:
    cal.working_days("2026-01-01", "2025-01-01")
except qf.Error as e:  # also a ValueError
    print("as expected:", e)
