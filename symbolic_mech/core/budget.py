"""Time budgets: every kernel decision runs under one.

``with time_limit(seconds):`` raises :class:`TimeLimit` once the budget is
spent.  In the main thread a real-time timer interrupts the computation
(sympy is Python code, so the interrupt lands within a few seconds even in a
long expansion); elsewhere, and always in addition, :func:`check` is called
between steps.  Budgets nest: an inner budget never outlasts the outer one.
:class:`TimeLimit` derives from BaseException so that no ``except Exception``
inside sympy swallows it.

The default budget of a kernel call is :data:`DEFAULT_SECONDS`; change it
for the whole process with :func:`set_default`.

>>> with time_limit(5):
...     remaining() <= 5
True
"""
from __future__ import annotations

import contextlib
import math
import signal
import threading
import time

__all__ = ["TimeLimit", "time_limit", "check", "remaining", "set_default", "default", "DEFAULT_SECONDS"]

DEFAULT_SECONDS = 60.0
_state = threading.local()
_default = [DEFAULT_SECONDS]


class TimeLimit(BaseException):
    """The time budget of a kernel decision is spent."""


def set_default(seconds: float) -> None:
    """Set the budget that kernel calls use when they are given none."""
    _default[0] = _seconds(seconds)


def default() -> float:
    return _default[0]


def _seconds(seconds) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"budget must be a number of seconds, got {type(seconds).__name__}")
    if not 0 < seconds < math.inf:
        raise ValueError(f"budget must be a positive finite number of seconds, got {seconds!r}")
    return float(seconds)


def _deadlines() -> list:
    if not hasattr(_state, "deadlines"):
        _state.deadlines = []
    return _state.deadlines


def remaining() -> float:
    """Seconds left in the innermost budget (inf outside any)."""
    stack = _deadlines()
    return min(stack) - time.monotonic() if stack else math.inf


def check() -> None:
    """Raise TimeLimit if the current budget is spent."""
    if remaining() <= 0:
        raise TimeLimit


def _on_alarm(signum, frame):
    if remaining() <= 0:
        # fire again soon in case this raise lands in a finalizer, which swallows it
        signal.setitimer(signal.ITIMER_REAL, 0.25)
        raise TimeLimit
    _arm()


def _arm():
    left = remaining()
    if math.isfinite(left):
        signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


@contextlib.contextmanager
def time_limit(seconds):
    """Run the block under a budget of ``seconds`` (nested in any outer budget)."""
    seconds = _seconds(seconds)
    stack = _deadlines()
    deadline = time.monotonic() + seconds
    if stack:
        deadline = min(deadline, min(stack))
    main = threading.current_thread() is threading.main_thread()
    outermost = main and not stack
    previous = signal.getsignal(signal.SIGALRM) if outermost else None
    stack.append(deadline)
    try:
        if main:
            if outermost:
                signal.signal(signal.SIGALRM, _on_alarm)
            _arm()
        check()
        yield
    finally:
        stack.pop()
        if main:
            if stack:
                _arm()
            else:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
