#!/usr/bin/env python3
"""Checks the translation files against every key the app can ask for.

Keys come from the templates (`#t("key")`), from literal keys in the Swift sources and from the
key families the Swift code builds at run time (`"kind." + rawValue`, ...). Fails (exit 1) when a
key is missing from either language, when the two files hold different keys, or when a key's
`{placeholders}` differ between the languages, or when a text has a placeholder that the code
calling it does not supply (it would reach the reader as "{name}").

A text with a number in it may be an object of plural forms chosen by its `count` argument, one
per CLDR category of the language: {"one": ..., "other": ...} in English, {"other": ...} in
Chinese. Each form must hold the same placeholders.

Usage: scripts/check_translations.py [--list]   (--list prints every key the app uses)
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ROOT / "Resources" / "Views"
LOCALES = ROOT / "Resources" / "Locales"
SOURCES = ROOT / "Sources"
LANGUAGES = ["zh-Hans", "en"]
# The CLDR plural categories of whole numbers in each language (Translator.swift says the same).
PLURAL_CATEGORIES = {"zh-Hans": {"other"}, "en": {"one", "other"}}

# Keys assembled at run time from an enum's raw value; keep in step with the Swift enums.
DYNAMIC_FAMILIES = {
    "kind.": ["citizen", "staff", "assistant", "admin"],
    "role.": ["clerk", "reviewer", "notary", "mediator", "judge", "supervisor"],
    "area.": ["government", "justice", "petitions"],
    "channel.": ["exempt", "proxy", "online", "video", "overseas_point"],
    "identity.": ["level1", "level2", "level3", "none"],
    "department_kind.": ["public_security", "police_station", "notary_office", "court", "overseas_chinese_affairs",
                         "letters_and_visits", "real_estate_registry", "vehicle_administration", "civil_affairs", "people_government",
                         "social_security", "medical_insurance", "tax", "justice_bureau"],
    "staff.": ["active", "invited", "suspended"],
    "password.": ["too_short", "too_long", "common", "contains_email"],
    # NotarialActRefusal (Core) and the notarial steps and states built from raw values.
    "notarization.refused.": ["already_revoked", "wrong_role", "notary_interested", "document_locked", "document_unchanged",
                              "no_document", "no_session", "wrong_session", "session_closed", "already_certified",
                              "identity_not_confirmed", "will_not_stated", "no_recording", "not_required_signer", "document_changed",
                              "already_signed", "signatures_missing", "not_certified", "already_approved", "not_approved",
                              "already_issued", "malformed_number", "not_issued", "missing_reason", "reason_too_long"],
    "notarization.drawing.": ["too_large", "not_png", "bad_dimensions", "blank", "filled"],
    "notarization.journal.method.": ["totp", "recovery_code"],
    "notarization.journal.kind.": ["act", "correction", "revocation"],
    "timeline.notarial_": ["prepare_document", "open_certification", "sign", "certify", "revoke"],
    "timeline.certificate_delivery_": ["requested", "sent", "delivered"],
    "mail.event.certificate_": ["revoked", "delivery_sent", "delivery_delivered"],
    "mail.event.notarial_": ["document_ready", "document_revised", "certified"],
    # Letters and visits: Core's petition enums and the steps built from them.
    "petition.kind.": ["suggestion", "complaint", "request"],
    "petition.stage.": ["received", "handling", "answered", "reviewing", "reviewed", "re_reviewing", "closed", "declined", "repeated"],
    "petition.satisfaction.": ["satisfied", "partly", "dissatisfied"],
    "petition.route.": ["litigation", "administrative_review", "arbitration", "other"],
    "petition.other_route.": ["none", "litigation", "administrative_review", "arbitration"],
    "petition.level.": ["0", "1", "2"],
    "petition.paper.opinion.": ["0", "1", "2"],
    "petition.answer.heading.": ["0", "1", "2"],
    "petition.ask.": ["review", "re_review"],
    "petition.clock.": ["decide", "handle", "request_review", "answer_review", "request_re_review", "answer_re_review"],
    "petition.event.": ["received", "repeated", "accepted", "transferred", "declined", "extended", "answered", "rated",
                        "review_requested", "evidence"],
    "petition.refusal.": ["not_holder", "not_petitioner", "wrong_stage", "same_office", "missing_reason", "reason_too_long",
                          "extension_used", "extension_too_long", "extension_too_late", "already_rated", "anonymous_no_review",
                          "review_window_closed"],
}
# The arguments the code hands to every key of a family (the rest get none).
DYNAMIC_ARGUMENTS = {"petition.clock.": {"due"}, "petition.event.": {"office", "to", "level"}, "petition.refusal.": {"max"},
                     "mail.petition.": {"number", "note", "link", "office", "due"}}
DYNAMIC_EXTRA = [f"area.{a}.summary" for a in DYNAMIC_FAMILIES["area."]] + [
    f"mail.petition.{m}.{part}" for m in ["accepted", "transferred", "declined", "extended", "answered_0", "answered_1", "answered_2"]
    for part in ["subject", "body"]]

KEY = r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+"
TEMPLATE_KEY = re.compile(r'#t\(\s*"([^"]+)"\s*\)')
# Literal keys in Swift: t("x", t(\"x\" inside interpolation, key: "x", subjectKey: / bodyKey: "x",
# title: "x" (req.page's title key), and failed("x", ...) helpers in the sign-in controller.
SWIFT_PATTERNS = [
    re.compile(r'\bt\(\s*\\?"(' + KEY + r')\\?"'),
    re.compile(r'\b(?:key|subjectKey|bodyKey|title):\s*"(' + KEY + r')"'),
    re.compile(r'\bfailed\(\s*"(' + KEY + r')"'),
]
# Other dotted literals (audit actions, file names) are not keys; keys reach text only through
# the calls above, so those are what is checked.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Calls whose arguments can be read: t("key") / t("key", ["name": ...]), and keys handed to the
# outbox or to AppError together with `arguments: [...]`.
CALL_WITH_KEY = re.compile(r'(\bt\(|\bfailed\(|\b(?:key|subjectKey|bodyKey):)\s*\\?"(' + KEY + r')\\?"')
ARGUMENT_NAME = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:')


def template_keys():
    keys = {}
    for path in sorted(VIEWS.rglob("*.leaf")):
        for key in TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")):
            keys.setdefault(key, str(path.relative_to(ROOT)))
    return keys


def swift_keys():
    keys = {}
    for path in sorted(SOURCES.rglob("*.swift")):
        rel = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
            if not code:
                continue
            found = set()
            for pattern in SWIFT_PATTERNS:
                found.update(pattern.findall(code))
            for key in found:
                keys.setdefault(key, f"{rel}:{number}")
    return keys


def bracketed(text, start):
    """The text inside the [...] that opens at `start`, or None."""
    if start >= len(text) or text[start] != "[":
        return None
    depth = 0
    for index in range(start, len(text)):
        depth += {"[": 1, "]": -1}.get(text[index], 0)
        if depth == 0:
            return text[start + 1:index]
    return None


def swift_arguments():
    """For each key whose call site shows its arguments: the argument names every call supplies."""
    supplied = {}
    for path in sorted(SOURCES.rglob("*.swift")):
        text = path.read_text(encoding="utf-8")
        for match in CALL_WITH_KEY.finditer(text):
            kind, key, rest = match.group(1), match.group(2), match.end()
            after = text[rest:rest + 400]
            if kind in ("t(", "failed("):
                if re.match(r"\s*\)", after):
                    names = set()
                else:
                    opening = re.match(r"\s*,\s*\[", after)
                    inner = bracketed(text, rest + opening.end() - 1) if opening else None
                    if inner is None:
                        continue
                    names = set(ARGUMENT_NAME.findall(inner))
            else:
                found = re.search(r"arguments:\s*\[", after)
                if not found or "enqueue(" in after[:found.start()]:
                    continue
                inner = bracketed(text, rest + found.end() - 1)
                if inner is None:
                    continue
                names = set(ARGUMENT_NAME.findall(inner))
            supplied[key] = supplied[key] & names if key in supplied else names
    return supplied


def dynamic_keys():
    keys = {prefix + value: "dynamic family" for prefix, values in DYNAMIC_FAMILIES.items() for value in values}
    keys.update({key: "dynamic family" for key in DYNAMIC_EXTRA})
    return keys


def load(language):
    """The language's texts as key -> list of forms (one form unless the text has plural forms)."""
    path = LOCALES / f"{language}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            pairs = json.load(handle, object_pairs_hook=list)
    except (OSError, ValueError) as error:
        print(f"cannot read {path}: {error}")
        sys.exit(1)
    table, problems = {}, []
    for key, value in pairs:
        if key in table:
            problems.append(f"{path.name}: duplicate key {key}")
        if isinstance(value, list):
            # object_pairs_hook turned the plural object into pairs.
            forms = dict(value)
            if set(forms) != PLURAL_CATEGORIES[language] or not all(isinstance(form, str) for form in forms.values()):
                problems.append(f"{path.name}: {key} must give the plural forms {sorted(PLURAL_CATEGORIES[language])} as texts")
            texts = [form for form in forms.values() if isinstance(form, str)]
            if len({frozenset(PLACEHOLDER.findall(text)) for text in texts}) > 1:
                problems.append(f"{path.name}: the plural forms of {key} hold different placeholders")
        elif isinstance(value, str):
            texts = [value]
        else:
            print(f"{path.name}: value of {key} is neither a text nor plural forms")
            sys.exit(1)
        table[key] = texts
    return table, problems


def placeholders(forms):
    return set().union(*(PLACEHOLDER.findall(form) for form in forms))


def main():
    used = {}
    for source in (dynamic_keys(), swift_keys(), template_keys()):
        for key, where in source.items():
            used.setdefault(key, where)
    if "--list" in sys.argv:
        for key in sorted(used):
            print(f"{key}\t{used[key]}")
        return 0

    problems = []
    tables = {}
    for language in LANGUAGES:
        table, found = load(language)
        tables[language] = table
        problems += found
        problems += [f"{language}.json: missing {key} (used in {used[key]})" for key in sorted(used) if key not in table]
        problems += [f"{language}.json: empty text for {key}" for key, forms in table.items() if not all(form.strip() for form in forms)]

    first, second = (tables[language] for language in LANGUAGES)
    problems += [f"only in {LANGUAGES[0]}.json: {key}" for key in sorted(first.keys() - second.keys())]
    problems += [f"only in {LANGUAGES[1]}.json: {key}" for key in sorted(second.keys() - first.keys())]
    for key in sorted(first.keys() & second.keys()):
        a, b = placeholders(first[key]), placeholders(second[key])
        if a != b:
            problems.append(f"placeholders differ for {key}: {LANGUAGES[0]} {sorted(a)} vs {LANGUAGES[1]} {sorted(b)}")

    # A placeholder nobody fills would reach the reader as "{name}".
    supplied = {key: set() for key in template_keys()}
    supplied.update({key: next((names for prefix, names in DYNAMIC_ARGUMENTS.items() if key.startswith(prefix)), set())
                     for key in dynamic_keys()})
    for key, names in swift_arguments().items():
        supplied[key] = supplied.get(key, names) & names
    for language, table in tables.items():
        for key, names in sorted(supplied.items()):
            missing = placeholders(table.get(key, [])) - names
            if missing:
                problems.append(f"{language}.json: {key} uses {sorted(missing)}, which the code does not supply")

    unused = sorted(first.keys() - used.keys())
    if problems:
        print("\n".join(problems))
        print(f"\n{len(problems)} problem(s).")
        return 1
    print(f"ok: {len(used)} keys used, {len(first)} keys in each language"
          + (f"; not referenced anywhere: {', '.join(unused)}" if unused else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
