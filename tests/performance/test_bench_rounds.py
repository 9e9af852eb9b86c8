"""`make bench`'s arithmetic (bench/run.py), without a server: rounds, the median round, the
one-shot submissions never sent twice, and the budgets' verdict."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

# bench/ is not a package, and on sys.path its modules would shadow the apps (bench/search.py).
_spec = importlib.util.spec_from_file_location(
    "tadrib_bench_run", Path(__file__).resolve().parents[2] / "bench" / "run.py"
)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

SERVER = SimpleNamespace(base="http://127.0.0.1:1")
TARGETS = {
    "healthz": {"path": "/healthz", "expect": 200},
    "attempt": {"path": "/en/quizzes/attempts/1/", "expect": 200},
    "quiz_submit": {"rows": [{"path": f"/s/{n}"} for n in range(100)], "expect": 302},
}


def fake_wrk(readings: dict[str, list[float]], seen: list):
    """A wrk that answers each target's next reading (requests/s) and records what it got."""

    def wrk(base, rows, *, duration, connections, workdir):
        name = "quiz_submit" if rows[0]["path"].startswith("/s/") else rows[0]["path"]
        seen.append((name, [r["path"] for r in rows], duration))
        rps = readings[name].pop(0) if readings.get(name) else 100.0
        sent = 30 if name == "quiz_submit" else int(rps * duration)
        return {
            "rps": rps,
            "p50_ms": 10.0,
            "p95_ms": 20.0,
            "p99_ms": 25.0,
            "max_ms": 30.0,
            "requests": sent,
            "errors": 0,
            "failed": 0,
            "statuses": {str(302 if name == "quiz_submit" else 200): sent},
            "exhausted": sent > len(rows),  # wrk's own flag: it went round the list
        }

    return wrk


def measured(monkeypatch, readings, rounds=3):
    seen = []
    monkeypatch.setattr(bench, "wrk", fake_wrk(readings, seen))
    monkeypatch.setattr(bench, "log", lambda message: None)
    args = SimpleNamespace(rounds=rounds, duration=5, connections=4)
    return bench.throughput(SERVER, TARGETS, args, Path("/nonexistent")), seen


def test_each_round_is_against_the_healthz_readings_either_side_and_the_median_counts(
    monkeypatch,
):
    result, _seen = measured(
        monkeypatch,
        {
            # the warm-up reads "/healthz" and the attempt once each (the default 100)
            "/healthz": [100.0, 1000.0, 1000.0, 3000.0, 1000.0],
            "/en/quizzes/attempts/1/": [100.0, 300.0, 100.0, 280.0],
        },
    )
    attempt = result["attempt"]
    # Round 1: 300 / 1000; round 2: 100 / 2000 (someone else's load); round 3: 280 / 2000.
    assert attempt["round_ratios"] == [0.3, 0.05, 0.14]
    assert attempt["ratio"] == 0.14 and attempt["round"] == 3  # the median, whole
    assert result["healthz"]["rps_runs"] == [1000.0, 1000.0, 3000.0, 1000.0]


def test_submissions_are_never_sent_twice_across_rounds(monkeypatch):
    result, seen = measured(monkeypatch, {})
    assert result["quiz_submit"]["exhausted"] is False  # 90 of the 100 sent
    sent = [paths for name, paths, _duration in seen if name == "quiz_submit"]
    assert [len(paths) for paths in sent] == [100, 70, 40]  # each round after the last's 30
    assert sent[1][0] == "/s/30" and sent[2][0] == "/s/60"
    assert all(duration == 2 for name, _p, duration in seen if name == "quiz_submit")
    # The warm-up sends none of them.
    assert sum(1 for name, _p, _d in seen if name == "quiz_submit") == 3


@pytest.mark.parametrize(
    "prepared",
    [70, 60],  # wrk goes round the last 10 in round 3; none are left for round 3
)
def test_running_out_of_submissions_is_reported(monkeypatch, prepared):
    monkeypatch.setitem(TARGETS, "quiz_submit", {**TARGETS["quiz_submit"]})
    TARGETS["quiz_submit"]["rows"] = TARGETS["quiz_submit"]["rows"][:prepared]
    result, _seen = measured(monkeypatch, {})
    assert result["quiz_submit"]["exhausted"] is True


def one_database(**changes):
    pages = {name: {"ratio": 0.30, "round_ratios": [0.3, 0.3, 0.3]} for name in bench.PAGE_BUDGETS}
    submit = {
        "ratio": 0.06,
        "p50_ms": 20.0,
        "p95_ms": 40.0,
        "failed": 0,
        "errors": 0,
        "exhausted": False,
        "round_ratios": [0.06],
    }
    throughput = {**pages, "quiz_submit": submit}
    for name, values in changes.items():
        throughput[name] = {**throughput[name], **values}
    return {"throughput": throughput, "server_log": {"database_locked": 0, "tracebacks": 0}}


def test_a_run_within_every_budget_misses_nothing():
    assert bench.budgets_missed("postgres", one_database()) == []
    assert bench.budgets_missed("sqlite", one_database(quiz_submit={"ratio": 0.02})) == []


@pytest.mark.parametrize(
    ("kind", "changes", "expected"),
    [
        ("sqlite", {"attempt": {"ratio": 0.24}}, "attempt ratio 0.240 < 0.25"),
        ("postgres", {"my_learning": {"ratio": 0.2}}, "my_learning ratio 0.200 < 0.25"),
        ("postgres", {"quiz_submit": {"ratio": 0.049}}, "quiz_submit ratio 0.049 < 0.05"),
        ("postgres", {"quiz_submit": {"p95_ms": 81.0}}, "p95 81.0 ms > 4 × p50 20.0 ms"),
        ("sqlite", {"quiz_submit": {"failed": 2}}, "quiz_submit: 2 failed"),
        ("sqlite", {"quiz_submit": {"exhausted": True}}, "ran out of prepared attempts"),
    ],
)
def test_a_missed_budget_is_named(kind, changes, expected):
    missed = bench.budgets_missed(kind, one_database(**changes))
    assert len(missed) == 1 and expected in missed[0], missed


def test_a_locked_database_is_a_miss():
    result = one_database()
    result["server_log"]["database_locked"] = 3
    assert bench.budgets_missed("sqlite", result) == ["server log: {'database_locked': 3}"]


def test_an_unexpected_answer_in_any_round_counts(monkeypatch):
    wrk = fake_wrk({}, [])
    calls = []

    def one_round_answers_a_redirect(base, rows, **kwargs):
        result = wrk(base, rows, **kwargs)
        calls.append(rows[0]["path"])
        if rows[0]["path"] == "/en/quizzes/attempts/1/" and calls.count(rows[0]["path"]) == 2:
            result["statuses"] = {"200": 10, "302": 5}  # the first round after the warm-up
        return result

    monkeypatch.setattr(bench, "wrk", one_round_answers_a_redirect)
    monkeypatch.setattr(bench, "log", lambda message: None)
    args = SimpleNamespace(rounds=3, duration=5, connections=4)
    result = bench.throughput(SERVER, TARGETS, args, Path("/nonexistent"))
    assert result["attempt"]["unexpected_statuses"] == {"302": 5}
