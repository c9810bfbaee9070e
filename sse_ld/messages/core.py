"""The machinery of the message catalogue: bilingual texts, message templates, and
translating a message from one language to the other through its template.

A template is a sentence with ``${name}`` placeholders (``$$`` is a literal dollar). The
same template both renders a message (:func:`fill`) and recognises one (:func:`match`):
the English text a stage wrote is matched against the templates of its finding code, the
placeholders give back the parameters, and the template of the other language is filled
with them. So the stages keep writing plain English sentences, and translation needs only
the finding's code and its text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

__all__ = ["LANGS", "Kind", "Text", "fill", "match", "translate"]

#: The languages of the catalogue, the first being the one the stages write in.
LANGS = ("en", "es")

_PLACEHOLDER = re.compile(r"\$(?:(\$)|\{([a-z_]+)\})")


@dataclass(frozen=True, slots=True)
class Text:
    """One sentence (or template) in English and Spanish."""

    en: str
    es: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (English for any language the catalogue lacks)."""
        return self.es if lang == "es" else self.en


@dataclass(frozen=True, slots=True)
class Kind:
    """What the catalogue knows about one finding code.

    Attributes:
        code: the stable finding code.
        stage: the stage that reports it (for the documentation).
        title: a few words naming the kind of problem.
        explanation: what it means, in one or two sentences.
        fix: how to fix it in general; used when a finding carries no hint of its own.
        messages: templates of the messages findings of this code carry.
        hints: templates of the hints findings of this code carry.
    """

    code: str
    stage: str
    title: Text
    explanation: Text
    fix: Text
    messages: tuple[Text, ...] = ()
    hints: tuple[Text, ...] = ()
    #: Words some placeholders take, translated: placeholder name -> English word -> Text.
    words: Mapping[str, Mapping[str, Text]] = field(default_factory=dict)


def fill(template: str, params: Mapping[str, object]) -> str:
    """``template`` with each ``${name}`` replaced by ``params[name]``."""
    return _PLACEHOLDER.sub(lambda m: "$" if m.group(1) else str(params[m.group(2)]), template)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    seen: set[str] = set()
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        if m.group(1):
            parts.append(re.escape("$"))
        else:
            name = m.group(2)
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.S)


def match(text: str, templates: Sequence[Text]) -> tuple[Text, dict[str, str]] | None:
    """The first template (in either language) that ``text`` is an instance of, with the
    parameters it was filled with; ``None`` when no template fits."""
    for template in templates:
        for lang in LANGS:
            m = _pattern(template.get(lang)).fullmatch(text)
            if m:
                return template, m.groupdict()
    return None


def _word(value: str, words: Mapping[str, Text], lang: str) -> str:
    for word in words.values():
        if value in (word.en, word.es):
            return word.get(lang)
    return value


def translate(
    text: str,
    templates: Sequence[Text],
    lang: str,
    *,
    words: Mapping[str, Mapping[str, Text]] | None = None,
    fragments: Sequence[Text] = (),
) -> str | None:
    """``text`` said in ``lang``, through the first template it matches; ``None`` if none.

    A parameter named in ``words`` is itself translated word for word; any other
    parameter is translated through ``fragments`` (sub-sentences such as "it contains a
    space") when one matches, and kept as it is otherwise (values, names, codes).
    """
    found = match(text, templates)
    if found is None:
        return None
    template, params = found
    out: dict[str, str] = {}
    for name, value in params.items():
        if words and name in words:
            out[name] = _word(value, words[name], lang)
        elif fragments and (sub := translate(value, fragments, lang)) is not None:
            out[name] = sub
        else:
            out[name] = value
    return fill(template.get(lang), out)
