"""diagnose(): evidence in, ranked diagnoses and verdicts out. Pure functions, no I/O."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from modelcheck.bedrockids import profiles_for
from modelcheck.diagnosis.causes import cause_docs, fix_steps, get_cause, provider_links
from modelcheck.diagnosis.knowledge import AS_OF, lookup
from modelcheck.diagnosis.predicates import (
    GATEWAYS,
    LOCAL_SERVERS,
    Context,
    close_matches,
    known_close_matches,
)
from modelcheck.diagnosis.results import CONFIDENT, Assessment, Diagnosis, ModelAssessment
from modelcheck.diagnosis.rule import Rule
from modelcheck.diagnosis.rules import RULES
from modelcheck.diagnosis.signals import Signals, extract
from modelcheck.evidence import ModelEvidence, Probe, RunEvidence
from modelcheck.providers import PROVIDERS

__all__ = [
    "Assessment",
    "Diagnosis",
    "ModelAssessment",
    "assess",
    "context_for",
    "diagnose",
    "matched_rules",
    "rank",
]

log = logging.getLogger("modelcheck.rules")

MAX_DIAGNOSES = 5


class _SafeFields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _make(rule: Rule, ctx: Context) -> Diagnosis:
    cause = get_cause(rule.cause)
    fields = _SafeFields(ctx.fields())
    provider = ctx.provider if ctx.provider != "unknown" else None
    gateway = ctx.gateway_name if ctx.answered_by == "gateway" else None
    if rule.fix:
        fields.update(provider_links(provider))
        fix = tuple(step.format_map(fields) for step in rule.fix)
    else:
        fix = fix_steps(cause, provider, gateway)
    return Diagnosis(
        cause=cause.id,
        rule=rule.id,
        confidence=rule.confidence,
        summary=rule.summary.format_map(fields),
        fix=fix,
        docs=cause_docs(cause, provider, gateway),
        inconclusive=cause.inconclusive,
        severity="warning" if rule.stage == "success" else "error",
        priority=rule.priority,
    )


def _unknown_summary(ctx: Context, fields: dict[str, str], seen: str) -> str:
    """The raw evidence: what was there (status, code, type, message or body), and the
    signals found in it."""
    parts = [f"status {fields['status']}"]
    parts += [
        f"{name} {ctx_value}"
        for name, ctx_value in (("code", ctx.code), ("type", ctx.etype))
        if ctx_value
    ]
    if ctx.message:
        said = f"\u201c{fields['message']}\u201d"
    elif ctx.body_excerpt:
        said = f"body \u201c{fields['excerpt']}\u201d"
    else:
        said = "no error text"
    return f"Unrecognised answer: {', '.join(parts)}: {said} (signals found: {seen})"


def _unknown(ctx: Context) -> Diagnosis:
    cause = get_cause("unknown")
    fields = ctx.fields()
    seen = ", ".join(f"{k}={v}" for k, v in ctx.signals.used().items()) or "none"
    # Nothing matched, so nothing is known for sure: the run is inconclusive (exit 3).
    return Diagnosis(
        cause="unknown",
        rule="fallback.unknown",
        confidence=0.1,
        summary=_unknown_summary(ctx, fields, seen),
        fix=fix_steps(cause, None),
        docs=cause.docs,
        inconclusive=True,
    )


def rank(diagnoses: Iterable[Diagnosis], limit: int = MAX_DIAGNOSES) -> tuple[Diagnosis, ...]:
    """Most likely first (by priority, then confidence); one entry per cause (its best);
    at most ``limit``. Only the first can be confident: the others' confidence is capped at
    what the first leaves (1 - its confidence)."""
    best: dict[str, Diagnosis] = {}
    for d in diagnoses:
        if d.cause not in best or (d.priority, d.confidence) > (
            best[d.cause].priority,
            best[d.cause].confidence,
        ):
            best[d.cause] = d
    ordered = sorted(best.values(), key=lambda d: (-d.priority, -d.confidence))[:limit]
    if len(ordered) > 1:
        cap = min(1.0 - ordered[0].confidence, CONFIDENT - 0.01)
        ordered[1:] = [
            replace(d, confidence=round(min(d.confidence, max(cap, 0.05)), 2)) for d in ordered[1:]
        ]
    return tuple(ordered)


def matched_rules(ctx: Context, stage: str = "probe") -> tuple[Rule, ...]:
    """Every rule of ``stage`` that matches ``ctx``, in table order."""
    found: list[Rule] = []
    for rule in RULES:
        if rule.stage != stage:
            continue
        try:
            hit = rule.matches(ctx)
        except Exception as exc:  # one broken rule must never break a report
            # One line (never a traceback); the traceback only under --verbose.
            log.warning("rule %s failed: %s: %s", rule.id, exc.__class__.__name__, exc)
            log.debug("rule %s failed", rule.id, exc_info=True)
            continue
        if hit:
            log.debug("rule %s matched -> %s (%s)", rule.id, rule.cause, rule.describe())
            found.append(rule)
    where = f"{ctx.model or 'account'} {ctx.endpoint or 'key'} {ctx.status or ctx.network or ''}"
    tried = sum(1 for r in RULES if r.stage == stage)
    log.debug("%s: %d %s rules tried, %d matched", where.strip(), tried, stage, len(found))
    if ctx.signals.used():
        log.debug("signals: %s", ctx.signals.used())
    return tuple(found)


def diagnose(ctx: Context, stage: str = "probe", fallback: bool = True) -> tuple[Diagnosis, ...]:
    """Run every rule of ``stage`` on ``ctx``; ranked diagnoses (``unknown`` if none match)."""
    found = [_make(rule, ctx) for rule in matched_rules(ctx, stage)]
    if not found and fallback:
        log.debug("no rule matched; reporting unknown")
        found.append(_unknown(ctx))
    return rank(found)


def answered_by(provider: str, signals: Signals, custom_base_url: bool) -> str | None:
    """Who answered: "gateway", "local", "provider", or None when nothing says."""
    prov = PROVIDERS.get(provider)
    if signals.gateway is not None:
        return "gateway"
    if provider in LOCAL_SERVERS:
        return "local"
    if provider in GATEWAYS or (prov is not None and prov.gateway):
        return "gateway"
    if provider in ("compatible", "unknown") or custom_base_url:
        return None
    return "provider"


def probe_signals(probe: Probe) -> Signals:
    """The signals of one probe's answer."""
    error = probe.error
    message = (error.message or "") if error else ""
    details = (error.details or "") if error else ""
    return extract(
        message=f"{message} {details}".strip() or probe.body_excerpt,
        code=error.code if error else None,
        etype=error.type if error else None,
        param=error.param if error else None,
        text=probe.body_excerpt,
        headers=dict(probe.headers),
    )


def context_for(
    ev: RunEvidence,
    probe: Probe | None,
    model: ModelEvidence | None = None,
    today: str = AS_OF,
    list_state: str | None = None,
    signals: Signals | None = None,
    answered: str | None = "auto",
) -> Context:
    """Build the rule context for one probe of one model (either may be None)."""
    provider = PROVIDERS.get(ev.provider)
    # A 2xx with the expected shape says nothing the signals would read.
    if signals is not None:
        sig = signals
    else:
        quiet = probe is None or (probe.ok and probe.error is None)
        sig = Signals() if quiet or probe is None else probe_signals(probe)
    who = answered if answered != "auto" else answered_by(ev.provider, sig, ev.custom_base_url)
    gateway_name = sig.gateway or (ev.provider if who == "gateway" else None)
    ctx = Context(
        provider=ev.provider,
        key=ev.key,
        base_url=ev.base_url,
        default_base_url=provider.default_base_url if provider else None,
        provider_title=provider.title if provider else ev.provider,
        key_env=provider.key_envs[0] if provider and provider.key_envs else "",
        key_required=(
            ev.key_required
            if ev.key_required is not None
            else (provider.key_required if provider else True)
        ),
        answered_by=who,
        gateway_name=gateway_name,
        proxy=ev.proxy,
        organization=ev.organization,
        project=ev.project,
        listed_count=len(ev.listed_ids) if ev.listed_ids is not None else None,
        today=today,
        signals=sig,
    )
    if probe is not None:
        ctx = replace(
            ctx,
            endpoint=probe.endpoint,
            status=probe.status,
            error=probe.error,
            body_kind=probe.body_kind,
            body_excerpt=probe.body_excerpt,
            shape_ok=probe.shape_ok,
            network=probe.network.kind if probe.network else None,
            network_detail=probe.network.detail if probe.network else "",
            location=probe.location,
            retry_after=probe.retry_after_s
            if probe.retry_after_s is not None
            else sig.retry_after_s,
            attempts=probe.attempts,
            earlier=probe.earlier,
        )
    if model is not None:
        ctx = _with_model(ctx, ev, model, today, list_state)
    return ctx


def _with_model(
    ctx: Context, ev: RunEvidence, model: ModelEvidence, today: str, list_state: str | None
) -> Context:
    listed_ids = ev.listed_ids or ()
    close: tuple[str, ...] = ()
    if model.listed is False and (model.exercise is None or not model.exercise.ok):
        close = close_matches(model.model, listed_ids)
    if list_state is None:
        list_state = (
            "this key's model list could not be read"
            if ev.listed_ids is None
            else f"this key's list of {len(listed_ids)} models lacks it"
        )
    family = ctx.provider if ctx.provider not in ("gemini-openai",) else "gemini"
    known = lookup(model.model, family)
    # Close matches are for failing models only (a model that works needs no "did you mean").
    failing = model.exercise is None or not model.exercise.ok
    known_close = (
        known_close_matches(model.model, family, today) if known is None and failing else ()
    )
    hint = ""
    if known is None and known_close and model.listed is not True:
        hint = f" It looks like {known_close[0]}, a real model (which this key's list lacks)."
    adapted = "max_completion_tokens" if model.needs_max_completion_tokens else ""
    extra = {"list_state": list_state, "known_hint": hint, "adapted": adapted}
    if ctx.provider == "bedrock":
        profiles = profiles_for(model.model, listed_ids, ev.region)
        extra["profile_id"] = profiles[0]
        extra["profiles_listed"] = (
            f" ({', '.join(profiles[:3])} in this region's list)"
            if any(p in listed_ids for p in profiles)
            else ""
        )
        extra["region"] = ev.region or "this region"
    return replace(
        ctx,
        model=model.model,
        listed=model.listed,
        known=known,
        close=close,
        known_close=known_close,
        extra=extra,
    )


def _failed(probe: Probe | None) -> bool:
    return probe is not None and not probe.ok


def _model_warnings(ev: RunEvidence, m: ModelEvidence, today: str) -> tuple[Diagnosis, ...]:
    ctx = context_for(ev, m.chat, m, today)
    return diagnose(ctx, stage="success", fallback=False)


@dataclass(frozen=True)
class _RunFacts:
    """What the whole run shows, against which a failure is judged account-wide or not."""

    passed: tuple[str, ...]
    """Models that a request proved usable."""
    list_ok: bool
    """The models list answered 2xx, and the provider's list is scoped to the key."""
    answered: bool
    """Some request got an HTTP answer."""
    gateway: bool


def _run_facts(ev: RunEvidence) -> _RunFacts:
    provider = PROVIDERS.get(ev.provider)
    probes = [p for m in ev.models for p in m.probes]
    if ev.list_probe is not None:
        probes.append(ev.list_probe)
    passed = tuple(
        m.model
        for m in ev.models
        if (m.exercise is not None and m.exercise.ok) or _metadata_pass(ev, m)
    )
    return _RunFacts(
        passed=passed,
        list_ok=ev.list_probe is not None
        and ev.list_probe.ok
        and (provider is None or provider.list_scope in ("key", "account")),
        # A proxy's 407 and a redirect are not the server's own answer.
        answered=any(
            p.status is not None and p.status != 407 and not 300 <= p.status < 400 for p in probes
        ),
        gateway=bool(provider and provider.gateway) or ev.custom_base_url,
    )


def _contradiction(cause_id: str, facts: _RunFacts, model: str | None) -> str | None:
    """Why a failure of ``cause_id`` cannot be the key's or the connection's as a whole, or
    None when nothing in the run says so (README, "Verdict policy")."""
    scope = get_cause(cause_id).scope
    others = [m for m in facts.passed if m != model]
    if scope == "model":
        return None
    if others:
        shown = ", ".join(others[:3]) + (" and others" if len(others) > 3 else "")
        return f"{shown} passed with the same key"
    if scope == "key" and facts.list_ok:
        return "the models list accepted the same key"
    if scope == "connection" and facts.list_ok:
        return "the models list answered over the same connection"
    if scope == "connection" and cause_id != "wrong_base_url" and facts.answered:
        return "the server answered other requests"
    return None


@dataclass
class _Pending:
    """One model's evidence and diagnoses, before the scope of each finding is decided."""

    evidence: ModelEvidence
    verdict: str
    diagnoses: list[Diagnosis]
    ctx: Context | None = None


def _seen(m: ModelEvidence) -> bool:
    """The key's list or the model's retrieve shows the model."""
    return bool(m.listed) or (m.retrieve is not None and m.retrieve.ok)


def _metadata_pass(ev: RunEvidence, m: ModelEvidence) -> bool:
    """No request used the model, and metadata proves it usable: it is in a list scoped to
    the key (or a public catalogue, and the key itself passed its check)."""
    if m.exercise is not None or m.unexercised is None:
        return False
    if m.free_check is not None:
        # A free per-model check (count_tokens) accepted the key and the model.
        return m.free_check.ok
    if not _seen(m):
        return False
    return ev.list_scope == "key" or (ev.key_check is not None and ev.key_check.ok)


def _diagnose_model(ev: RunEvidence, m: ModelEvidence, today: str) -> _Pending:
    chat, retrieve = m.exercise, m.retrieve
    if chat is not None and chat.ok:
        return _Pending(m, "pass", list(_model_warnings(ev, m, today)))
    if _metadata_pass(ev, m):
        return _Pending(m, "pass", [])
    free_failed = m.free_check is not None and not m.free_check.ok
    if (
        chat is None
        and m.unexercised is not None
        and _seen(m)
        and not m.skipped
        and not free_failed
    ):
        # Listed, but the list does not prove this key can use the model.
        reason = {
            "catalog": "listed in a public catalogue, but the key itself could not be checked",
            "account": "listed, but this provider's list also shows models a key cannot use",
        }.get(ev.list_scope, "listed, but this server's list may not be scoped to the key")
        return _Pending(replace(m, skipped=f"{reason} ({m.unexercised})"), "skipped", [])
    # The request that used the model says the most; then a free check; the retrieve speaks
    # only when neither was sent.
    decisive = chat or m.free_check or retrieve
    if decisive is None or not _failed(decisive):
        return _Pending(m, "skipped", [])
    ctx = context_for(ev, decisive, m, today)
    found = list(diagnose(ctx))
    metadata_refused = decisive.endpoint == "models.retrieve" or (
        decisive.endpoint == "free_check" and decisive.status != 200
    )
    if metadata_refused and found[0].cause == "insufficient_permissions":
        # Only a free metadata endpoint was asked (--free): a key without the permission to
        # read it may still use the model, so this decides nothing.
        found = [
            replace(
                d,
                inconclusive=True,
                summary=f"{d.summary} Only a free endpoint was asked: a key without the "
                "models-read scope may still use the model (run without --free to find out).",
            )
            for d in found
        ]
    return _Pending(m, "failed", found, ctx)


def _scope_note(d: Diagnosis, why: str, gateway: bool) -> Diagnosis:
    if gateway and get_cause(d.cause).scope == "key":
        note = f"This is one model's failure, not the key's ({why}): the gateway's upstream for "
        note += "this model failed."
    else:
        note = f"This concerns this model only: {why}."
    return replace(d, summary=f"{d.summary} {note}")


def assess(ev: RunEvidence, today: str = AS_OF) -> Assessment:
    """Diagnose a whole run: a verdict per model, and the findings that concern the whole key,
    account or connection, reported once.

    A finding is account-wide only when the evidence is: a local key check, or a failure that
    every probed model (and the models list, when it failed) shows while nothing in the run
    contradicts it (another model working; for key causes, a models list that accepted the
    key). Otherwise it belongs to the model that showed it (README, "Verdict policy")."""
    facts = _run_facts(ev)
    account: dict[str, Diagnosis] = {}
    for d in diagnose(context_for(ev, None, None, today), stage="key", fallback=False):
        account[d.cause] = d
    pending = [_diagnose_model(ev, m, today) for m in ev.models]
    failed = [p for p in pending if p.verdict == "failed"]
    probed = [p for p in pending if p.verdict in ("pass", "failed")]
    list_found: tuple[Diagnosis, ...] = ()
    if _failed(ev.key_check):
        # The authenticated key check of a public catalogue: its refusal is the key's.
        for d in diagnose(context_for(ev, ev.key_check, None, today)):
            account.setdefault(d.cause, d)
    if _failed(ev.list_probe):
        list_found = diagnose(context_for(ev, ev.list_probe, None, today))
        if all(m.chat is None for m in ev.models):
            # Nothing but metadata was asked: a missing models-read scope decides nothing.
            list_found = tuple(
                replace(d, inconclusive=True) if d.cause == "insufficient_permissions" else d
                for d in list_found
            )
    warnings: dict[str, Diagnosis] = {}
    row = PROVIDERS.get(ev.provider)
    optional = row.list_optional if row is not None else ""
    list_note = ""

    def account_wide(cause_id: str) -> bool:
        if not get_cause(cause_id).account or _contradiction(cause_id, facts, None):
            return False
        shown = [p for p in failed if any(d.cause == cause_id for d in p.diagnoses)]
        if probed:
            return len(shown) == len(probed)
        return any(d.cause == cause_id for d in list_found)

    hoisted = {d.cause for p in failed for d in p.diagnoses if account_wide(d.cause)}
    hoisted |= {d.cause for d in list_found if account_wide(d.cause)}
    for d in list_found:
        if d.cause in hoisted or not probed:
            if d.cause not in account or d.confidence > account[d.cause].confidence:
                account[d.cause] = d
        elif optional and ev.list_probe is not None and ev.list_probe.status in (400, 404):
            list_note = optional  # a best-effort list: its absence is not a finding
        elif d.cause != "unknown":
            # The models were probed directly: the list's failure decides nothing.
            warnings[d.cause] = replace(
                d,
                severity="warning",
                inconclusive=False,
                summary=f"The models list failed: {d.summary} The models were probed directly; "
                "their verdicts do not depend on the list.",
            )
    models = tuple(_assess_model(p, account, hoisted, facts) for p in pending)
    ranked = rank(account.values()) + rank(warnings.values())
    notes: list[str] = [list_note] if list_note else []
    if ev.free:
        notes.append(
            "--free sent no chat request: quota, billing, parameter and per-model permission "
            "problems cannot be seen in this mode."
        )
    if ev.interrupted:
        notes.append("Interrupted (Ctrl-C): models marked skipped were not finished.")
    if ev.budget_exhausted:
        notes.append(
            "A budget ran out (--max-requests / --max-tokens); models marked skipped were not "
            "fully probed."
        )
    errors = [d for d in ranked if d.severity == "error"]
    if any(not d.inconclusive for d in errors) or any(m.verdict == "fail" for m in models):
        verdict = "fail"
    elif errors or any(m.verdict in ("inconclusive", "skipped") for m in models):
        verdict = "inconclusive"
    else:
        verdict = "pass"
    return Assessment(account=ranked, models=models, verdict=verdict, notes=tuple(notes))


def _assess_model(
    p: _Pending, account: dict[str, Diagnosis], hoisted: set[str], facts: _RunFacts
) -> ModelAssessment:
    m = p.evidence
    generated = m.exercise is not None and m.exercise.ok
    note = m.unexercised
    if p.verdict == "pass" and not generated:
        note = f"judged on metadata only ({note})" if note else "judged on metadata only"
    base = ModelAssessment(
        model=m.model,
        listed=m.listed,
        verdict="skipped",
        probes=m.probes,
        diagnoses=(),
        mode=m.mode,
        mode_source=m.mode_source,
        proof="generated" if generated else ("listed" if p.verdict == "pass" else "none"),
        note=note,
    )
    if p.verdict == "pass":
        return replace(base, verdict="pass", diagnoses=tuple(p.diagnoses))
    if p.verdict == "skipped" or p.ctx is None:
        causes = tuple(c for c in account if get_cause(c).account)
        return replace(base, skipped=m.skipped or "not probed", account_causes=causes)
    own: list[Diagnosis] = []
    shared: list[str] = []
    for d in p.diagnoses:
        if d.cause in hoisted:
            if d.cause not in account or d.confidence > account[d.cause].confidence:
                account[d.cause] = d
            shared.append(d.cause)
            continue
        why = _contradiction(d.cause, facts, m.model) if get_cause(d.cause).account else None
        own.append(_scope_note(d, why, facts.gateway) if why else d)
    definite = any(not d.inconclusive for d in p.diagnoses)
    suggestions: tuple[str, ...] = ()
    ctx = p.ctx
    if m.listed is False and ctx.known is None:
        # Typos only: close ids from the key's own list, then the real model it resembles.
        suggestions = ctx.close + tuple(k for k in ctx.known_close if k not in ctx.close)
    return replace(
        base,
        verdict="fail" if definite else "inconclusive",
        diagnoses=tuple(own),
        suggestions=suggestions,
        account_causes=tuple(shared),
        skipped=m.skipped,
    )
