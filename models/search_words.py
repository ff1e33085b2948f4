"""How search reads text: the one normalisation of words, for the index and for queries alike.

``search_words(text)`` is, in order:

1. Unicode NFKC (compatibility forms: ligatures, full-width and Arabic presentation forms become
   plain letters), then case folded (``Ça`` → ``ça``, ``ß`` → ``ss``);
2. every combining mark removed: Latin accents (``été`` → ``ete``, ``ç`` → ``c``), Arabic harakat
   (fatha, damma, kasra, shadda, sukun, tanwin, superscript alef) and the hamza written above or
   below a letter, so the alef forms ``أ إ آ`` become ``ا`` (and ``ؤ`` → ``و``, ``ئ`` → ``ي``);
   tatweel ``ـ`` and invisible format characters (zero-width joiners, soft hyphen) removed;
3. letter variants folded: alef wasla ``ٱ`` → ``ا``, taa marbuta ``ة`` → ``ه``, alef maqsura
   ``ى`` → ``ي``; Arabic-Indic digits become ``0``–``9``;
4. split into words: a word is a run of letters and digits, so the digits Darija written in Latin
   letters uses as letters (2 3 5 7 9: ``3lach``, ``s7a7``) stay inside their word, and so do
   numbers (``2026``); anything else (spaces, punctuation, apostrophes, symbols, emoji) separates.

Words longer than MAX_WORD_CHARS are cut to that length (queries are cut the same way). A query's
last word also matches as the beginning of a word (results while typing).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

MAX_WORD_CHARS = 40
SNIPPET_CHARS = 160

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans({"ٱ": "ا", "ة": "ه", "ى": "ي"})


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if ch != _TATWEEL and unicodedata.category(ch) not in ("Mn", "Me", "Cf"))
    kept = unicodedata.normalize("NFC", kept).translate(_LETTERS)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in kept)


def search_words(text: str) -> list[str]:
    """The distinct words of ``text`` as the index stores them, in order of first appearance."""
    return list(dict.fromkeys(word[:MAX_WORD_CHARS] for word in _WORD.findall(_fold(text))))


@dataclass(frozen=True)
class Terms:
    """A parsed query: every word must be found; the last one (``prefix``) may also begin a longer word."""

    exact: tuple[str, ...]
    prefix: str | None

    @classmethod
    def of(cls, query: str) -> Terms:
        words = [word[:MAX_WORD_CHARS] for word in _WORD.findall(_fold(query))]
        if not words:
            return cls((), None)
        last = words[-1]
        return cls(tuple(w for w in dict.fromkeys(words[:-1]) if w != last), last)

    def __bool__(self) -> bool:
        return self.prefix is not None

    def match(self, words: set[str] | list[str]) -> bool:
        """Whether a message (or title) with these normalised ``words`` has every term."""
        present = set(words)
        return all(w in present for w in self.exact) and (
            self.prefix is None or any(w.startswith(self.prefix) for w in present)
        )

    def matches_word(self, word: str) -> bool:
        return word in self.exact or (self.prefix is not None and word.startswith(self.prefix))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return _fold(ch)


def snippet(text: str, terms: Terms, length: int = SNIPPET_CHARS) -> str:
    """At most ``length`` characters of ``text`` (the original, whitespace runs made single spaces)
    around its first word that a term matches; its beginning when none does."""
    folded: list[str] = []
    origin: list[int] = []  # for each folded character, where it came from in ``text``
    for i, ch in enumerate(text):
        for out in _fold_char(ch):
            folded.append(out)
            origin.append(i)
    start = 0
    for found in _WORD.finditer("".join(folded)):
        if terms.matches_word(found.group()[:MAX_WORD_CHARS]):
            start = origin[found.start()]
            break
    begin = start - min(start, length // 3)
    if begin > 0:  # from the start of a word
        space = _SPACES.search(text, begin, start)
        begin = space.end() if space else begin
    window = text[begin : begin + length * 2]
    before = "…" if begin > 0 else ""
    flat = _SPACES.sub(" ", window).strip()
    cut = length - len(before)
    if len(flat) > cut or begin + length * 2 < len(text):
        return before + flat[: cut - 1].rstrip() + "…"
    return before + flat
