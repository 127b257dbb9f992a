"""The demo district's steps beyond the register (`manage.py generate_demo_data`).

EXTENSION POINT. The registry must not import the apps above it (layers point down), so every app with
demo records names its step in its config, a subclass of registry.app_config.PortalAppConfig, whose
ready() registers a `DemoStep` running `<app>.demo.generate_demo`:

    class RehabConfig(app_config.PortalAppConfig):
        demo_order = 3  # the step's `order`; `demo_after_accounts = True` for `after_accounts`

A step that differs (its own `line`, not `flushed`, a generator elsewhere) is registered by the app's
own ready() with `register(DemoStep(...))`, as indicators and campaigns do.

The command writes the register first, then runs the steps by `order`; steps with `after_accounts`
run once the demo accounts exist. `order` is also the step's seed offset (`random.Random(seed + order)`),
so one --seed gives the same district whatever else is installed. `generate(rng=, batch_size=)`
returns the counts the command prints; `line(result, seconds)` words them otherwise (None: no line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def counts_line(app: str, result: dict[str, int] | None, seconds: float) -> str:
    summary = "，".join(f"{k} {v}" for k, v in (result or {}).items())
    return f"{app}: {summary}（{seconds:.1f} 秒）"


@dataclass(frozen=True)
class DemoStep:
    app: str  # the app label: printed, and whose tables --flush empties (with `flushed`)
    order: int  # run order and seed offset
    generate: Callable[..., object]  # (rng=random.Random, batch_size=int) -> counts
    after_accounts: bool = False  # needs the demo accounts (e.g. opens a campaign as demo_staff)
    flushed: bool = True  # --flush empties the app's tables
    line: Callable[[object, float], str | None] | None = None


_steps: dict[str, DemoStep] = {}


def register(step: DemoStep) -> None:
    _steps[step.app] = step


def registered() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.app))


def describe(step: DemoStep, result, seconds: float) -> str | None:
    if step.line is not None:
        return step.line(result, seconds)
    return counts_line(step.app, result, seconds)
