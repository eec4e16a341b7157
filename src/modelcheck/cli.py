"""The command line: parse -> run -> render -> exit. The only module that imports click.

Heavy modules (httpx, tabulate, the rules) are imported inside the commands, so that
``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from modelcheck import __version__
from modelcheck.names import (
    COLOR_CHOICES,
    FAIL_ON_CHOICES,
    FORMAT_CHOICES,
    MODE_CHOICES,
    PROBE_PROVIDER_NAMES,
    PROVIDER_NAMES,
)
from modelcheck.status import ExitStatus

if TYPE_CHECKING:
    from modelcheck.formats import RenderOptions
    from modelcheck.report import MultiReport, Report
    from modelcheck.settings import Output

FORMAT_NAMES = ("table", "json")

DEMO_SCENARIOS = (
    "seed",
    "typo",
    "invalid-key",
    "no-quota",
    "keyless-local",
    "restricted-key",
    "gateway-list-500",
    "modes",
    "gateway-upstream",
    "anthropic",
    "azure",
    "gemini",
    "bedrock",
)
"""simulator.SCENARIOS' names, kept here so that --help need not import the simulator (a test
checks both agree)."""

CHECK_EPILOG = """\b
Examples:
  modelcheck check gpt-4o-mini                 # OPENAI_API_KEY from the environment
  modelcheck check gpt-4 gpt-3.5-turbo --format json
  modelcheck check o3 --free                   # no chat request, no tokens spent
  modelcheck check --require gpt-4o -f table -f junit -o report.xml  # JUnit file, table
  modelcheck check gpt-4o -o report.json -o report.xml -f markdown   # two files, Markdown
  modelcheck check llama3.2 --provider ollama  # a local server: no key needed
  modelcheck check claude-sonnet-4-5 --provider anthropic   # ANTHROPIC_API_KEY
  modelcheck check my-deployment --provider azure           # AZURE_OPENAI_ENDPOINT + _API_KEY
  modelcheck check gemini-2.5-flash --provider gemini       # GEMINI_API_KEY
  modelcheck check anthropic.claude-3-haiku-20240307-v1:0 --provider bedrock --region us-east-1
  modelcheck check gpt-4o --api-key-file ~/.config/openai.key --org org-123
  modelcheck check text-embedding-3-small o3-pro tts-1   # each on its own endpoint
  modelcheck check my-model@responses --endpoint chat      # MODEL@mode; chat only
  modelcheck check gpt-image-1 --paid-probes images        # a paid probe, opted in
  modelcheck check gpt-4o --provider compatible --base-url https://gw.example/v1 \\
      --header 'x-portkey-api-key: ${PORTKEY_KEY}'          # read from the environment
  modelcheck check --target prod --target gw           # [[tool.modelcheck.target]] tables
  modelcheck check --all openai:gpt-4o-mini anthropic:claude-haiku-4-5  # every key set

\b
Files: -o PATH takes its format from the extension (.json json, .xml junit,
.md markdown, .txt table), -o FORMAT:PATH names it, -o - is standard output;
a format that contradicts the extension is a usage error (exit 2).

\b
Exit status (--fail-on inconclusive, the default):
  0  every model is usable
  1  a model or the key is definitely not usable (with --strict: or a warning,
     or a model proved only by the models list)
  2  usage or configuration error
  3  inconclusive: network failure, 5xx, rate limited after retries, budget spent
  --fail-on problem: an inconclusive run exits 0 (warning on stderr)
  --fail-on never:   always 0 (report only)
"""


def _fail(message: str, status: ExitStatus = ExitStatus.USAGE) -> NoReturn:
    click.echo(f"modelcheck: error: {message}", err=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # The step's log may be folded away: an annotation shows the error on the run page.
        text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        click.echo(f"::error title=modelcheck::{text}")
    sys.exit(int(status))


def _setup_logging(verbose: bool, key: str | tuple[str, ...] | None) -> None:
    if not verbose:
        return
    import logging

    from modelcheck.redact import scrub

    def mask(record: logging.LogRecord) -> bool:
        """Masks the key in every debug log record."""
        record.msg = scrub(record.getMessage(), key)
        record.args = ()
        return True

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("debug: %(name)s: %(message)s"))
    handler.addFilter(mask)
    for name in ("modelcheck", "httpx"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG if name == "modelcheck" else logging.INFO)
        logger.addHandler(handler)


def _write(text: str, key: str | tuple[str, ...] | None, err: bool = False) -> None:
    from modelcheck.redact import scrub

    try:
        # color=True: click would strip ANSI from a pipe; formats add colour only when asked.
        click.echo(scrub(text, key), nl=False, err=err, color=True)
    except BrokenPipeError:
        # The reader went away (e.g. `| head -1`): nothing more to say, and no traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _summary(report: Report | MultiReport) -> str:
    from modelcheck.report import MultiReport

    multi = isinstance(report, MultiReport)
    reports = [r for _, r in report.targets] if isinstance(report, MultiReport) else [report]
    where = f" over {len(reports)} targets" if multi else ""
    usable = sum(1 for r in reports for m in r.models if m.verdict == "pass")
    total = sum(len(r.models) for r in reports)
    return (
        f"modelcheck: {usable} of {total} model(s) usable{where}; "
        f"verdict {report.verdict} (exit {report.exit_code})\n"
    )


def _check_table_style(style: str) -> None:
    from tabulate import tabulate_formats

    from modelcheck.settings import SettingsError

    if style not in tabulate_formats:
        raise SettingsError(
            f"unknown table style {style!r} (tabulate's styles: {', '.join(tabulate_formats)})"
        )


def _show_progress(output: Output) -> bool:
    return not output.quiet and sys.stderr.isatty()


class _Progress:
    """A one-line progress display on stderr (only on a terminal)."""

    def __init__(self, total: int) -> None:
        import time

        self.total = total
        self.done = 0
        self.started = time.monotonic()

    def tick(self, model: str) -> None:
        import time

        self.done += 1
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r\x1b[Kmodelcheck: {self.done}/{self.total} models, {elapsed:.1f}s")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def _render(report: Report | MultiReport, fmt: str, options: RenderOptions) -> str:
    from modelcheck.formats import FORMATS
    from modelcheck.report import MultiReport

    if isinstance(report, MultiReport):
        from modelcheck.formats.targets import render

        return render(report, fmt, options)
    return FORMATS[fmt](report, options)


def _emit(report: Report | MultiReport, output: Output, key: str | tuple[str, ...] | None) -> None:
    from modelcheck.formats import RenderOptions
    from modelcheck.redact import scrub

    for fmt, path in output.outputs:
        options = RenderOptions(color=output.color and path is None, table_style=output.table_style)
        text = _render(report, fmt, options)
        if path is None:
            _write(text, key)
            continue
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(scrub(text, key))
        except OSError as exc:
            _fail(f"cannot write {path}: {exc.strerror or exc.__class__.__name__}")
    if output.step_summary:
        markdown = _render(report, "markdown", RenderOptions())
        try:
            with open(output.step_summary, "a", encoding="utf-8") as handle:
                handle.write(scrub(markdown, key) + "\n")
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            click.echo(
                f"modelcheck: warning: cannot append to $GITHUB_STEP_SUMMARY: {reason}", err=True
            )
    if (
        report.verdict == "inconclusive"
        and output.fail_on != "inconclusive"
        and not report.exit_code
    ):
        click.echo(
            f"modelcheck: warning: the result is inconclusive; --fail-on {output.fail_on} lets "
            "the run pass",
            err=True,
        )
    if output.strict and report.exit_code == 1 and report.verdict != "fail":
        click.echo("modelcheck: warning: --strict: warnings fail the run", err=True)
    if not output.quiet:
        _write(_summary(report), key, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="modelcheck")
def cli() -> None:
    """Tell why an API key cannot use a model, and tell CI whether it can.

    \b
    Start with:  modelcheck demo
    Then:        modelcheck check gpt-4o-mini
    """


_PAIRS = "modelcheck.format_output_pairs"


class _CheckCommand(click.Command):
    """Keeps which --format was written right before which --output (click merges repeated
    options into one list each, losing that order)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from modelcheck.outputs import adjacent_pairs

        ctx.meta[_PAIRS] = adjacent_pairs(args)
        return super().parse_args(ctx, args)


@cli.command(cls=_CheckCommand, epilog=CHECK_EPILOG)
@click.argument("models", nargs=-1, metavar="[MODEL]...")
@click.option(
    "--require",
    multiple=True,
    metavar="MODEL",
    help="A model that must be usable (repeatable; adds to MODEL...).",
)
@click.option(
    "--provider",
    type=click.Choice(PROBE_PROVIDER_NAMES),
    help="Which API [default: from the base URL's host, else the key's prefix, else the one "
    "native key variable set (ANTHROPIC_API_KEY, GEMINI_API_KEY, ...), else openai]. "
    "`compatible` is any OpenAI-compatible server.",
)
@click.option("--base-url", metavar="URL", help="API root [env: OPENAI_BASE_URL].")
@click.option(
    "--api-key-env", metavar="NAME", help="Env variable holding the key [default: OPENAI_API_KEY]."
)
@click.option("--api-key-file", metavar="PATH", help="Read the key from this file.")
@click.option("--api-key", metavar="KEY", help="The key itself (warns: it lands in shell history).")
@click.option(
    "--api-version",
    metavar="VERSION",
    help="Azure api-version [env: OPENAI_API_VERSION; default 2024-10-21].",
)
@click.option(
    "--anthropic-version",
    metavar="VERSION",
    help="anthropic-version header [default 2023-06-01; 2026-10-21 also works].",
)
@click.option(
    "--region",
    metavar="REGION",
    help="Bedrock region [env: AWS_REGION, AWS_DEFAULT_REGION].",
)
@click.option("--org", metavar="ID", help="OpenAI-Organization header [env: OPENAI_ORG_ID].")
@click.option("--project", metavar="ID", help="OpenAI-Project header [env: OPENAI_PROJECT_ID].")
@click.option(
    "--free/--no-free",
    default=None,
    help="Free endpoints only: no request that uses a model, no tokens.",
)
@click.option(
    "--mode",
    type=click.Choice(MODE_CHOICES),
    help="Start every model on this mode (MODEL@mode sets one) [default: from the model "
    "data, else chat].",
)
@click.option(
    "--endpoint",
    type=click.Choice(MODE_CHOICES),
    help="Probe every model on this mode only, never switching (e.g. chat, for apps that "
    "must call chat).",
)
@click.option(
    "--paid-probes",
    "paid_probes",
    multiple=True,
    metavar="MODE[,MODE]",
    help="Also exercise modes whose probe costs money (images, video); see README, Modes.",
)
@click.option(
    "--header",
    "headers",
    multiple=True,
    metavar="NAME:VALUE",
    help="An extra request header for a gateway (repeatable; values masked like keys).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="What fails the run [default: inconclusive]: see Exit status below.",
)
@click.option("--strict/--no-strict", default=None, help="Warnings fail the run too.")
@click.option(
    "--format",
    "-f",
    multiple=True,
    type=click.Choice(FORMAT_CHOICES),
    help="Report format on standard output [default: auto]; repeatable. Written right "
    "before --output, it names that file's format.",
)
@click.option(
    "--output",
    "-o",
    multiple=True,
    metavar="[FORMAT:]FILE",
    help="Write a report to FILE; its format follows the extension (.json, .xml junit, .md, "
    ".txt table) or FORMAT:. `-` is standard output. Repeatable.",
)
@click.option("--table-style", metavar="NAME", help="tabulate style for `table` [default: simple].")
@click.option(
    "--summary/--no-summary",
    default=None,
    help="Append Markdown to $GITHUB_STEP_SUMMARY when it is set [default: on].",
)
@click.option("--color", type=click.Choice(COLOR_CHOICES), help="Colour [default: auto].")
@click.option("-q", "--quiet/--no-quiet", default=None, help="No progress and no summary line.")
@click.option("--timeout", type=float, metavar="SECONDS", help="Per-request time limit [20].")
@click.option(
    "--concurrency",
    type=int,
    metavar="N",
    help="Requests in flight at most [64]; halved on each 429.",
)
@click.option(
    "--max-requests",
    type=int,
    metavar="N",
    help="Hard cap on requests [1 + 2 per model + max(8, models/10)].",
)
@click.option(
    "--max-tokens",
    type=int,
    metavar="N",
    help="Hard cap on completion tokens [what the planned probes may spend + 1 per model].",
)
@click.option(
    "--retries",
    type=int,
    metavar="N",
    help="Retries of a 429 rate limit [2] (billing errors are never retried).",
)
@click.option(
    "--allow-http/--no-allow-http",
    default=None,
    help="Allow sending the key over plain http to a non-loopback host.",
)
@click.option(
    "--ca-bundle",
    metavar="PATH",
    help="PEM file of CAs to trust (e.g. a corporate proxy's) [env: SSL_CERT_FILE].",
)
@click.option(
    "--as-of",
    metavar="DATE",
    help="Judge announced retirements as of DATE (YYYY-MM-DD) instead of today.",
)
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Config file [default: modelcheck.toml or pyproject.toml, searched upwards].",
)
@click.option(
    "-v", "--verbose/--no-verbose", default=None, help="Debug log on stderr (key masked)."
)
@click.option(
    "--target",
    "target_names",
    multiple=True,
    metavar="NAME",
    help="Check this [[tool.modelcheck.target]] of the config file (repeatable) "
    "[default: all of them].",
)
@click.option(
    "--all",
    "all_targets",
    is_flag=True,
    default=False,
    help="Also check every provider whose key variable is set (one target each); "
    "NAME:MODEL requires a model of one target.",
)
def check(
    models: tuple[str, ...],
    config_path: str | None,
    all_targets: bool,
    target_names: tuple[str, ...],
    **flags: Any,
) -> None:
    """Check whether this key can use each MODEL, and if not, why.

    Sends each model the smallest request that proves access on the endpoint it is
    served on (chat: one short message, one output token; embeddings, responses,
    moderations, audio...), with the key's models list alongside; a retrieve only when
    an answer leaves the cause open. Settings come from flags, then MODELCHECK_*
    variables, then the config file.
    """
    from pathlib import Path

    from modelcheck.run import run_check, run_targets
    from modelcheck.settings import SettingsError, load_run

    flags["_pairs"] = click.get_current_context().meta.get(_PAIRS, [])
    try:
        targets, output = load_run(
            models,
            flags,
            os.environ,
            Path.cwd(),
            config_path=config_path,
            stdout_tty=sys.stdout.isatty(),
            all_targets=all_targets,
            target_names=target_names,
        )
        if (
            any(fmt in ("table", "auto") for fmt, _ in output.outputs)
            or output.table_style != "simple"
        ):
            _check_table_style(output.table_style)
    except SettingsError as exc:
        _fail(str(exc))
    # No ::add-mask:: for the key: the runner masks a key from a secret by itself, and the
    # command would put the full key into a stream (README, "Secrets").
    for target in targets:
        for warning in target.settings.warnings:
            click.echo(f"modelcheck: warning: {warning}", err=True)
    secrets = tuple(s for t in targets for s in t.settings.secrets)
    _setup_logging(output.verbose, secrets)
    count = sum(len(t.settings.models) for t in targets)
    progress = _Progress(count) if _show_progress(output) else None
    tick = progress.tick if progress else None
    report: Report | MultiReport
    try:
        if len(targets) == 1 and not targets[0].name:
            report = run_check(targets[0].settings, output, on_model_done=tick)
        else:
            report = run_targets(targets, output, on_model_done=tick)
    except KeyboardInterrupt:
        click.echo("\nmodelcheck: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    finally:
        if progress is not None:
            progress.clear()
    _emit(report, output, secrets)
    if report.interrupted:
        click.echo("modelcheck: interrupted", err=True)
    sys.exit(report.exit_code)


_simple_format = click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default="table",
    show_default=True,
    help="Report format.",
)
"""--format for `demo` and `explain` (table or json)."""


DEMO_EPILOG = """\b
Examples:
  modelcheck demo
  modelcheck demo --scenario seed
  modelcheck demo --serve --scenario typo --port 8089   # then, in another shell:
  OPENAI_API_KEY=sk-demo-... modelcheck check gtp-4 --base-url http://127.0.0.1:8089/v1
"""


@cli.command(epilog=DEMO_EPILOG)
@click.option(
    "--scenario",
    default=None,
    help=f"One of {', '.join(DEMO_SCENARIOS)}, or all [default: all; with --serve: seed].",
)
@click.option(
    "--serve",
    is_flag=True,
    default=False,
    help="Run the simulated server in the foreground and print its base URL, key and a "
    "command to try (Ctrl-C stops it).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="With --serve: the port on 127.0.0.1 (0: any free one).",
)
@_simple_format
def demo(scenario: str | None, serve: bool, port: int, fmt: str) -> None:
    """Run `check` against a built-in simulated server on 127.0.0.1 (OpenAI, and the native
    Anthropic, Azure OpenAI, Gemini and Bedrock APIs).

    No key and no internet needed: each scenario starts the simulator, runs the check
    shown, and prints its report. The demo itself exits 0. With --serve, one scenario's
    server stays up for you to try every flag, format and CI snippet against it.
    """
    from modelcheck.run import run_check
    from modelcheck.settings import resolve
    from modelcheck.simulator import SCENARIOS
    from modelcheck.simulator import serve as serving

    if serve:
        _serve_demo(scenario or "seed", port)
        return
    scenario = scenario or "all"
    names = list(SCENARIOS) if scenario == "all" else [scenario]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        _fail(f"unknown scenario {unknown[0]!r} (known: {', '.join(SCENARIOS)}, all)")
    from modelcheck.formats import FORMATS, RenderOptions
    from modelcheck.report import to_dict

    documents = []
    for i, name in enumerate(names):
        sc = SCENARIOS[name]
        from modelcheck.providers import PROVIDERS

        key_env = PROVIDERS[sc.provider].key_envs[0]
        with serving(sc) as server:
            settings = resolve(
                models=sc.demo_models,
                env={key_env: sc.demo_key} if sc.require_key else {},
                provider=sc.provider,
                base_url=server.url,
                as_of=sc.as_of,
            )
            report = run_check(settings)
        flag = f" --provider {sc.provider}" if sc.provider != "openai" else ""
        command = f"modelcheck check {' '.join(sc.demo_models)}{flag} --base-url {server.url}"
        if sc.as_of:
            command += f" --as-of {sc.as_of}"
        if fmt == "json":
            # One JSON document for the whole demo: nothing else on standard output.
            documents.append(
                {
                    "scenario": name,
                    "description": sc.description,
                    "command": command,
                    "report": to_dict(report),
                }
            )
            continue
        if i:
            _write("\n", None)
        _write(f"=== scenario {name}: {sc.description}\n", settings.key)
        _write(f"$ {command}\n\n", settings.key)
        _write(FORMATS[fmt](report, RenderOptions()), settings.key)
        _write(f"(exit status would be {report.exit_code})\n", settings.key)
    if fmt == "json":
        import json

        text = json.dumps({"schema": "modelcheck.demo/1", "scenarios": documents}, indent=2)
        _write(text + "\n", None)


def _serve_demo(name: str, port: int) -> None:
    """``demo --serve``: one scenario's server in the foreground until Ctrl-C or SIGTERM."""
    import signal
    import threading

    from modelcheck.providers import PROVIDERS
    from modelcheck.simulator import SCENARIOS, SimServer

    if name not in SCENARIOS:
        _fail(f"unknown scenario {name!r} (known: {', '.join(SCENARIOS)})")
    sc = SCENARIOS[name]
    try:
        server = SimServer(sc, port=port).start()
    except OSError as exc:
        _fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    key_env = PROVIDERS[sc.provider].key_envs[0]
    flag = f" --provider {sc.provider}" if sc.provider != "openai" else ""
    as_of = f" --as-of {sc.as_of}" if sc.as_of else ""
    models = " ".join(sc.demo_models) or "gpt-4o-mini"
    if sc.require_key:
        key = [f"key:      {sc.demo_key}  (a demo key: set {key_env} to it)"]
        export = [f"  export {key_env}={sc.demo_key}"]
    else:
        key, export = ["key:      none needed (a server that takes no key)"], []
    lines = [
        f"modelcheck demo: scenario {name} ({sc.description})",
        f"base URL: {server.url}",
        *key,
        "",
        "Try, in another shell:",
        *export,
        f"  modelcheck check {models}{flag} --base-url {server.url}{as_of}",
        "",
        "Serving on 127.0.0.1 only; Ctrl-C stops it.",
    ]
    click.echo("\n".join(lines))
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("modelcheck demo: stopped", err=True)


EXPLAIN_EPILOG = """\b
Examples:
  modelcheck explain '{"error":{"message":"...","code":"model_not_found"}}'
  pbpaste | modelcheck explain                  # or: modelcheck explain - < error.log
  curl -si https://api.openai.com/v1/models | modelcheck explain
  modelcheck explain "Error code: 429 - {'error': {...}}" --provider openai --model gpt-4o

\b
Exit status:
  1  a likely cause was found
  2  the input could not be read (binary, empty) or a bad flag
  3  nothing matched: the cause is `unknown` (the parsed fields are shown)
"""


@cli.command(epilog=EXPLAIN_EPILOG)
@click.argument("text", required=False)
@click.option("--status", type=click.IntRange(100, 599), help="HTTP status, if the text lacks it.")
@click.option(
    "--provider", type=click.Choice(sorted(PROVIDER_NAMES)), help="Provider, if the text lacks it."
)
@click.option("--model", metavar="ID", help="Model id, if the text lacks it.")
@click.option(
    "--endpoint",
    type=click.Choice(("chat", "responses", "messages", "models")),
    help="Which endpoint answered.",
)
@click.option(
    "--as-of",
    metavar="DATE",
    help="Judge retirements as of DATE (YYYY-MM-DD), e.g. when the error was seen.",
)
@_simple_format
def explain(text: str | None, fmt: str, as_of: str | None, **hints: Any) -> None:
    """Explain a pasted error offline: no network, no key.

    TEXT is an error body, `curl -i` output, an SDK exception line or traceback, a gateway
    message or a network error. Without TEXT (or with -) it is read from standard input.
    Status, provider and model are read from the text; the options fill what it lacks.
    """
    from modelcheck.explainer import MAX_INPUT, UnreadableInput, decode_input, explain_text, render

    if text is None or text == "-":
        if text is None and sys.stdin.isatty():
            _fail("paste the error text as an argument, or pipe it in (see --help)")
        raw = sys.stdin.buffer.read(MAX_INPUT + 1)
    else:
        raw = text.encode("utf-8", errors="replace")
    try:
        decoded = decode_input(raw)
    except UnreadableInput as exc:
        _fail(str(exc))
    today = None
    if as_of is not None:
        from datetime import date

        try:
            today = date.fromisoformat(as_of.strip()).isoformat()
        except ValueError:
            _fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
    result = explain_text(decoded, today=today, **hints)
    # What was pasted may hold a key (a curl command, a log line): render() masks it.
    _write(render(result, fmt), None)
    top = result.diagnoses[0]
    _write(f"modelcheck: most likely {top.cause} (exit {result.exit_code})\n", None, err=True)
    sys.exit(result.exit_code)


MODELS_EPILOG = """\b
Examples:
  modelcheck models                            # every model this key can list
  modelcheck models 'gpt-4*' --format json     # a glob (or a plain substring)
  modelcheck models --mode embeddings --probe  # check each listed embeddings model
  modelcheck models --provider anthropic --probe --free   # free checks only

\b
Exit status: 0 the list was read (and, with --probe, every shown model is usable);
1 a problem (the key, or a model with --probe); 2 a bad flag; 3 inconclusive.
"""


@cli.command(epilog=MODELS_EPILOG)
@click.argument("pattern", required=False)
@click.option("--provider", type=click.Choice(PROBE_PROVIDER_NAMES), help="Which API.")
@click.option("--base-url", metavar="URL", help="API root [env: OPENAI_BASE_URL].")
@click.option("--api-key-env", metavar="NAME", help="Env variable holding the key.")
@click.option("--api-key-file", metavar="PATH", help="Read the key from this file.")
@click.option("--api-key", metavar="KEY", help="The key itself (warns: shell history).")
@click.option("--api-version", metavar="VERSION", help="Azure api-version.")
@click.option("--anthropic-version", metavar="VERSION", help="anthropic-version header.")
@click.option("--region", metavar="REGION", help="Bedrock region.")
@click.option("--org", metavar="ID", help="OpenAI-Organization header.")
@click.option("--project", metavar="ID", help="OpenAI-Project header.")
@click.option("--header", "headers", multiple=True, metavar="NAME:VALUE", help="Extra header.")
@click.option(
    "--mode", "mode_filter", type=click.Choice(MODE_CHOICES), help="Only models of this mode."
)
@click.option(
    "--probe/--no-probe",
    default=False,
    help="Also check each shown model (its smallest request: about 1 token each; with "
    "--free, free requests only).",
)
@click.option("--free/--no-free", default=None, help="With --probe: free requests only.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--timeout", type=float, metavar="SECONDS", help="Per-request time limit [20].")
@click.option("--max-requests", type=int, metavar="N", help="Hard cap on requests.")
@click.option("--max-tokens", type=int, metavar="N", help="Hard cap on completion tokens.")
@click.option("--allow-http/--no-allow-http", default=None, help="Allow plain http.")
@click.option("--ca-bundle", metavar="PATH", help="PEM file of CAs to trust.")
@click.option("--as-of", metavar="DATE", help="Judge retirements as of DATE.")
@click.option("--config", "config_path", metavar="PATH", help="Config file.")
@click.option("-v", "--verbose/--no-verbose", default=None, help="Debug log on stderr.")
def models(
    pattern: str | None,
    mode_filter: str | None,
    probe: bool,
    fmt: str,
    config_path: str | None,
    **flags: Any,
) -> None:
    """List the models this key can see: id, mode, known retirement or gate, and with
    --probe whether each is usable.

    PATTERN filters the ids: a glob (`gpt-4*`) or a substring. The list itself is free.
    """
    import asyncio
    from pathlib import Path

    from modelcheck.catalog import alist_models, render_json, render_table
    from modelcheck.settings import SettingsError, load_settings

    try:
        settings, output = load_settings(
            (), flags, os.environ, Path.cwd(), config_path=config_path, allow_no_models=True
        )
    except SettingsError as exc:
        _fail(str(exc))
    for warning in settings.warnings:
        click.echo(f"modelcheck: warning: {warning}", err=True)
    _setup_logging(output.verbose, settings.secrets)
    listing = asyncio.run(
        alist_models(settings, output, pattern=pattern, mode=mode_filter, probe=probe)
    )
    render = render_json if fmt == "json" else render_table
    _write(render(listing, probe), settings.secrets)
    sys.exit(listing.report.exit_code)


def _cause_dict(cause: Any) -> dict[str, Any]:
    from modelcheck.diagnosis.causes import fix_steps
    from modelcheck.diagnosis.rules import RULES

    return {
        "id": cause.id,
        "title": cause.title,
        "why": cause.why,
        "fix": list(fix_steps(cause, None)),
        "docs": cause.docs,
        "inconclusive": cause.inconclusive,
        "account": cause.account,
        "scope": cause.scope,
        "rules": [r.id for r in RULES if r.cause == cause.id],
    }


@cli.command()
@click.argument("cause_id", required=False, metavar="[ID]")
@_simple_format
def causes(cause_id: str | None, fmt: str) -> None:
    """List the cause ids (a public contract), or show one in full."""
    import json

    from tabulate import tabulate

    from modelcheck.diagnosis.causes import ALIASES, CAUSES, fix_steps
    from modelcheck.diagnosis.predicates import close_matches
    from modelcheck.diagnosis.rules import RULES

    if fmt == "json" and cause_id is None:
        document = {
            "schema": "modelcheck.causes/1",
            "causes": [_cause_dict(c) for c in CAUSES.values()],
            "aliases": dict(ALIASES),
        }
        _write(json.dumps(document, indent=2) + "\n", None)
        return
    if cause_id is None:
        rows = [(c.id, c.title, fix_steps(c, None)[0]) for c in CAUSES.values()]
        table = tabulate(rows, headers=["id", "title", "first fix"], maxcolwidths=[None, 40, 60])
        _write(table + "\n", None)
        return
    cid = ALIASES.get(cause_id, cause_id)
    if cid not in CAUSES:
        near = close_matches(cause_id, CAUSES)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        _fail(f"unknown cause id {cause_id!r}{hint} (`modelcheck causes` lists them)")
    cause = CAUSES[cid]
    if fmt == "json":
        _write(json.dumps(_cause_dict(cause), indent=2) + "\n", None)
        return
    lines = [f"{cause.id}: {cause.title}", "", cause.why, "", "Fix:"]
    lines.extend(f"  - {step}" for step in fix_steps(cause, None))
    lines.extend(["", f"Docs: {cause.docs}", ""])
    kind = "inconclusive (exit 3)" if cause.inconclusive else "definite (exit 1)"
    lines.append(f"Kind: {kind}; reported {'once per run' if cause.account else 'per model'}.")
    rules = [r.id for r in RULES if r.cause == cid]
    lines.append("Rules: " + (", ".join(rules) if rules else "(none: the fallback)"))
    _write("\n".join(lines) + "\n", None)


@cli.command()
@click.option("--cause", "cause_id", metavar="ID", help="Only the rules for this cause id.")
@_simple_format
def rules(cause_id: str | None, fmt: str) -> None:
    """List the rules: id, cause, confidence and what each matches (from the rule table)."""
    import json

    from tabulate import tabulate

    from modelcheck.diagnosis.rules import RULES

    if fmt == "json":
        chosen = [r for r in RULES if cause_id is None or r.cause == cause_id]
        if not chosen:
            _fail(f"no rule has cause {cause_id!r} (`modelcheck causes` lists the ids)")
        document = {
            "schema": "modelcheck.rules/1",
            "rules": [
                {
                    "id": r.id,
                    "cause": r.cause,
                    "confidence": round(r.confidence, 2),
                    "priority": r.priority,
                    "stage": r.stage,
                    "matches": r.describe(),
                    "seen_in": list(r.seen_in),
                }
                for r in chosen
            ],
        }
        _write(json.dumps(document, indent=2) + "\n", None)
        return
    rows = [
        (r.id, r.cause, f"{r.confidence:.2f}", r.describe())
        for r in RULES
        if cause_id is None or r.cause == cause_id
    ]
    if not rows:
        _fail(f"no rule has cause {cause_id!r} (`modelcheck causes` lists the ids)")
    headers = ["rule", "cause", "confidence", "matches"]
    _write(tabulate(rows, headers=headers, maxcolwidths=[None, None, None, 70]) + "\n", None)


def main() -> None:
    """Console-script entry point: never a traceback."""
    try:
        cli.main(prog_name="modelcheck", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("modelcheck: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    except Exception as exc:  # last resort: one readable line, never a traceback
        click.echo(f"modelcheck: internal error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(int(ExitStatus.INCONCLUSIVE))
