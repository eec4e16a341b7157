"""The pytest plugin, run through pytester against the simulator on 127.0.0.1: skips with the
cause id and fix, --modelcheck-strict failures, --modelcheck-free, one check per target per
session (counted at the server), the modelcheck_report fixture and the summary line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from modelcheck.simulator import Scenario, SimServer

Sim = Callable[[Scenario], SimServer]
KEY = "sk-proj-pluginTEST0000T3BlbkFJ000000000007x7x"

TESTS = """
import os

import pytest

URL = os.environ["SIM_URL"]


@pytest.mark.requires_model("gpt-4o-mini", base_url=URL)
def test_one():
    pass


@pytest.mark.requires_model("gpt-4o-mini", "gpt-3.5-turbo", base_url=URL)
def test_two():
    pass


@pytest.mark.requires_model("gtp-4", base_url=URL)
def test_typo():
    pass


@pytest.mark.requires_model("gpt-4o-mini", base_url=URL)
def test_report(modelcheck_report):
    assert modelcheck_report.model("gpt-4o-mini").verdict == "pass"
    assert modelcheck_report.verdict == "fail"  # the target's report covers gtp-4 too
"""


@pytest.fixture
def server(sim: Sim, monkeypatch: pytest.MonkeyPatch) -> SimServer:
    started = sim(Scenario("plugin", "plugin", listed=("gpt-4o-mini", "gpt-3.5-turbo")))
    monkeypatch.setenv("SIM_URL", started.url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return started


def chat_posts(server: SimServer, model: str) -> int:
    return sum(
        1
        for r in server.requests
        if r.method == "POST" and isinstance(r.body, dict) and r.body.get("model") == model
    )


def test_unusable_models_skip_with_the_cause_and_each_target_is_checked_once(
    pytester: pytest.Pytester, server: SimServer
) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(passed=3, skipped=1)
    # Reported at the test's own line (its decorator's), as a skip mark is, not the plugin's.
    lines = TESTS.lstrip("\n").splitlines()
    line = lines.index('@pytest.mark.requires_model("gtp-4", base_url=URL)') + 1
    result.stdout.fnmatch_lines(
        [
            f"SKIPPED [[]1[]] test_*.py:{line}: modelcheck: gtp-4 is not usable (model_not_found:*Fix:*"
        ]
    )
    # Three tests share one target (same settings): one check for all of their models.
    assert chat_posts(server, "gpt-4o-mini") == 1
    assert chat_posts(server, "gtp-4") == 1
    assert server.count("GET", "/v1/models") == 1
    result.stdout.fnmatch_lines(
        ["modelcheck: 1 target(s), 2 of 3 model(s) usable; not usable: gtp-4 (model_not_found)*"]
    )


def test_strict_fails_instead_of_skipping(pytester: pytest.Pytester, server: SimServer) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest("--modelcheck-strict")
    result.assert_outcomes(passed=3, errors=1)  # failed in setup: an error, as pytest counts it
    result.stdout.fnmatch_lines(["*gtp-4 is not usable (model_not_found*"])


def test_free_sends_no_request_that_uses_a_model(
    pytester: pytest.Pytester, server: SimServer
) -> None:
    pytester.makepyfile(TESTS)
    result = pytester.runpytest("--modelcheck-free")
    # The list proves the listed models; gtp-4 is not in it.
    result.assert_outcomes(passed=3, skipped=1)
    assert server.count("POST") == 0


def test_a_session_without_markers_sends_nothing(
    pytester: pytest.Pytester, server: SimServer
) -> None:
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert server.count() == 0
    assert "modelcheck:" not in result.stdout.str()


def test_a_marker_with_a_bad_setting_fails_the_test(
    pytester: pytest.Pytester, server: SimServer
) -> None:
    pytester.makepyfile(
        "import pytest\n\n"
        "@pytest.mark.requires_model('gpt-4o-mini', provider='nope')\n"
        "def test_bad():\n    pass\n\n"
        "@pytest.mark.requires_model()\n"
        "def test_empty():\n    pass\n"
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*unknown provider 'nope'*", "*names no model*"])
    assert "Traceback" not in result.stdout.str()


def test_the_fixture_needs_the_marker(pytester: pytest.Pytester, server: SimServer) -> None:
    pytester.makepyfile("def test_no_marker(modelcheck_report):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*modelcheck_report needs @pytest.mark.requires_model*"])


def test_a_missing_key_skips_with_its_cause(
    pytester: pytest.Pytester, server: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    pytester.makepyfile(TESTS)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=4)  # the fixture test too: setup skips first
    result.stdout.fnmatch_lines(["*missing_api_key*"])
    assert server.count() == 0


def test_distinct_settings_are_distinct_targets(
    pytester: pytest.Pytester, server: SimServer
) -> None:
    pytester.makepyfile(
        "import os\nimport pytest\n\nURL = os.environ['SIM_URL']\n\n"
        "@pytest.mark.requires_model('gpt-4o-mini', base_url=URL)\n"
        "def test_a():\n    pass\n\n"
        "@pytest.mark.requires_model('gpt-4o-mini', base_url=URL, timeout=5)\n"
        "def test_b():\n    pass\n\n"
        "@pytest.mark.requires_model('gpt-4o-mini', base_url=URL, timeout=5)\n"
        "def test_c():\n    pass\n"
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=3)
    assert server.count("GET", "/v1/models") == 2
    assert chat_posts(server, "gpt-4o-mini") == 2
    result.stdout.fnmatch_lines(["modelcheck: 2 target(s), 2 of 2 model(s) usable; 4 requests"])
