"""quotaflow: sales process management, exact to the minor unit.

Target allocation down hierarchies and over a business calendar, sales process graphs, and
deviation detection. Money is int64 minor units; dates are ``datetime.date``, ISO strings or
``numpy.datetime64``.
"""

from . import _core
from ._errors import (AmountOverflowError, Error, FileError, InternalError, InvalidArgumentError, NoMemoryError,
                      NotFoundError, OutOfRangeError, ParseError)
from .amount import format_amount, parse_amount
from .calendar import GRAINS, Calendar
from .hierarchy import Hierarchy
from .allocation import (METHODS, allocate_grid, allocate_tree, apportion, apportion_quotas, blend, capacity_weights,
                         phase, phase_many, ramp_factors, reconcile, reconcile_plan)
from .process_log import EventLog
from .tracking import TRACK_STATUSES, Rollup, price_volume_mix, rollup, track
from .process_model import DEVIATION_KINDS, DURATION_UNITS, CheckResult, ModelFit, ProcessModel
from .monitor import CHART_RULES, CHARTS, control_chart, control_charts
from . import plot
from . import rules
from .scorecard import SCORECARD_MEASURES, Scorecard, ScoreFrames

__version__ = _core.__version__

__all__ = [
    "__version__",
    "Error", "InvalidArgumentError", "OutOfRangeError", "AmountOverflowError", "NotFoundError", "FileError",
    "ParseError", "NoMemoryError", "InternalError",
    "parse_amount", "format_amount",
    "Calendar", "GRAINS",
    "Hierarchy",
    "METHODS", "apportion", "apportion_quotas", "blend", "capacity_weights", "ramp_factors", "allocate_tree", "phase",
    "phase_many", "allocate_grid", "reconcile", "reconcile_plan",
    "EventLog",
]
__all__ += ["Rollup", "rollup", "track", "price_volume_mix", "TRACK_STATUSES"]
__all__ += ["CHARTS", "CHART_RULES", "control_chart", "control_charts", "plot"]
__all__ += ["Scorecard", "ScoreFrames", "SCORECARD_MEASURES"]
__all__ += ["rules"]
from .streaming import ALERT_RULES, Monitor
__all__ += ["Monitor", "ALERT_RULES"]
from .incentive import STATEMENT_LINE_KINDS, IncentivePlan, PayoutFrames
__all__ += ["IncentivePlan", "PayoutFrames", "STATEMENT_LINE_KINDS"]
