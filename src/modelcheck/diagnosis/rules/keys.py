"""The key, checked locally before any request: nothing is sent when these match."""

from __future__ import annotations

from modelcheck.diagnosis import predicates as p
from modelcheck.diagnosis.rule import CERTAIN, Rule

RULES: tuple[Rule, ...] = (
    Rule(
        id="key.missing.bedrock",
        cause="missing_api_key",
        priority=CERTAIN,
        confidence=0.98,
        summary="No Bedrock API key ({key_source}) and no AWS credentials to sign with; no "
        "request was sent.",
        seen_in=("case:key_missing_bedrock",),
        stage="key",
        providers=frozenset({"bedrock"}),
        when=(p.key_missing, p.key_required),
        fix=(
            "Set AWS_BEARER_TOKEN_BEDROCK to a Bedrock API key (Bedrock console \u203a API keys).",
            "Or sign with SigV4: pip install 'modelcheck[aws]' and configure the standard AWS "
            "credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, an "
            "instance role) with a region.",
        ),
    ),
    Rule(
        id="key.missing",
        cause="missing_api_key",
        priority=CERTAIN,
        confidence=0.97,
        summary="No API key found ({key_source}); no request was sent.",
        seen_in=("case:key_missing",),
        stage="key",
        when=(p.key_missing, p.key_required),
    ),
    Rule(
        id="key.empty_file",
        cause="missing_api_key",
        priority=CERTAIN,
        confidence=0.98,
        summary="The key file is empty ({key_source}); no request was sent.",
        seen_in=("case:key_empty_file",),
        stage="key",
        when=(p.key_empty_file, p.key_required),
        fix=("Write the key into the file (one line), or point --api-key-file at the right file.",),
    ),
    Rule(
        id="key.pasted_prefix",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.96,
        summary="The key from {key_source} starts with \u201c{pasted_prefix}\u201d: it was copied "
        "together with what stood in front of it (a .env line or a header). No request was sent.",
        seen_in=("case:key_pasted_prefix",),
        stage="key",
        when=(p.key_pasted_prefix,),
        fix=(
            "Keep only the key itself in the variable or file: drop \u201c{pasted_prefix}\u201d "
            "(a .env file is read as NAME=value; an Authorization header adds \u201cBearer \u201d "
            "itself).",
        ),
    ),
    Rule(
        id="key.other_provider",
        cause="wrong_provider_key",
        priority=CERTAIN,
        confidence=0.97,
        summary="The key ({masked_key}, from {key_source}) is {foreign_label}, but the provider is "
        "{provider_title}; no request was sent.",
        seen_in=("case:key_other_provider",),
        stage="key",
        when=(p.key_refused,),
        fix=(
            "If you meant {foreign_provider}: {foreign_hint}.",
            "If you meant {provider_title}: set {key_env} to a {provider_title} key from {keys}.",
            "If a gateway that accepts this key sits in between, pass its --base-url: the key "
            "is then sent (with a warning).",
        ),
    ),
    Rule(
        id="key.subscription_token",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.97,
        summary="The key ({masked_key}, from {key_source}) is a Claude subscription OAuth token "
        "(Free, Pro, Max, Claude Code): the API does not accept it for other use; no request was "
        "sent.",
        seen_in=("case:key_subscription_token",),
        stage="key",
        when=(p.key_subscription_token,),
        fix=(
            "Create an API key in the Claude Console ({keys}) and use it instead "
            "(sk-ant-api03-...).",
            "Anthropic does not allow routing Free, Pro or Max credentials to other tools.",
        ),
    ),
    Rule(
        id="key.admin_key",
        cause="insufficient_permissions",
        priority=CERTAIN,
        confidence=0.97,
        summary="The key ({masked_key}, from {key_source}) is an admin key: {provider_title} "
        "accepts it only on its administration endpoints, not for models; no request was sent.",
        seen_in=("case:key_admin",),
        stage="key",
        when=(p.key_admin,),
        fix=(
            "Use a project or workspace API key from {keys} (admin keys manage the organization).",
        ),
    ),
    Rule(
        id="key.placeholder",
        cause="missing_api_key",
        priority=CERTAIN,
        confidence=0.95,
        summary="The key ({masked_key}, from {key_source}) is placeholder text, not a key; no "
        "request was sent.",
        seen_in=("case:key_placeholder",),
        stage="key",
        when=(p.key_placeholder,),
    ),
    Rule(
        id="key.quoted",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.95,
        summary="The key from {key_source} starts or ends with a quote character, which would be "
        "sent as part of the key; no request was sent.",
        seen_in=("case:key_quoted",),
        stage="key",
        when=(p.key_quoted,),
    ),
    Rule(
        id="key.whitespace",
        cause="invalid_api_key",
        priority=CERTAIN,
        confidence=0.95,
        summary="The key from {key_source} contains spaces, a newline or another control "
        "character; no request was sent.",
        seen_in=("case:key_whitespace",),
        stage="key",
        when=(p.key_whitespace,),
    ),
)
