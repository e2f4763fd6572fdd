"""The race app's answer to a change: every course raced again, from 16 starts, tuning included.

    python benchmarks/bench_race.py

A change of course or budget in `gdviz.apps.Race` re-runs `experiments.race` for the ticked
optimizers (all six here) and redraws. This times the whole kernel side of that answer, the
app's own answer to a change of its step budget (race, figure, status line), on every course at
its own budget, best of 2, and prints how many walks the tuning took. Against it, the same walks
one by one through `gdviz.run` (the one-walk loop the batches replaced) are estimated from the
walks counted, the full budget each (an upper bound where walks stop at a goal) and that loop's
time per step, measured here on a sample: a ratio in one process, not a timed test.

Target, printed rather than asserted: each course under 2 s on this machine.
"""

import time

import numpy as np

import gdviz
from gdviz import experiments, optimizers
from gdviz.apps import Race


def answer_seconds(app, course, repeat=2):
    """Fastest wall time of the app's answer to one change: the budget set to the course's own.

    Before each timed change the controls are set quietly (no race) to the course and a budget
    5 steps short, so each timed change is one race and one redraw at the course's budget.
    """
    budget = experiments.RACE_COURSES[course]["max_steps"]
    times = []
    for _ in range(repeat):
        with app.quietly():
            app.course.value, app.budget.value = course, budget - 5
        start = time.perf_counter()
        app.budget.value = budget
        times.append(time.perf_counter() - start)
    assert app.results.max_steps == budget and app.results.landscape.name == course
    return min(times)


def one_walk_seconds_per_step(course, sample=32):
    """The one-walk loop's time per step: `run` on plain descent and Adam from the race's starts."""
    landscape = experiments.course_landscape(course)
    budget = experiments.RACE_COURSES[course]["max_steps"]
    starts = experiments.race_starts(course)
    steps, start_time = 0, time.perf_counter()
    for i in range(sample):
        name = ("gradient_descent", "adam")[i % 2]
        walk = gdviz.run(optimizers.get(name)(landscape, starts[i % len(starts)], 1e-3), max_steps=budget)
        steps += walk.n_updates
    return (time.perf_counter() - start_time) / steps


def main():
    app = Race("bowl")
    print("course            app answers (s)   walks tuned   one-walk loop (est., s)   ratio")
    slowest = 0.0
    for course in experiments.RACE_COURSES:
        answer = answer_seconds(app, course)
        walks = sum(entry.searched.get("walks", 0) for entry in app.results.entries.values())
        walks += 3 * 16 * len(app.results.entries)  # each entry's own and nudged scores
        estimate = walks * app.results.max_steps * one_walk_seconds_per_step(course)
        slowest = max(slowest, answer)
        print(f"{course:17s} {answer:13.2f}   {walks:11d}   {estimate:21.0f}   {estimate / answer:7.0f}x")
    verdict = "under" if slowest < 2.0 else "OVER"
    print(f"\nslowest answer {slowest:.2f} s: {verdict} the 2 s target")
    assert np.isfinite(slowest)


if __name__ == "__main__":
    main()
