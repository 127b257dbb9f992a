"""Pinyin of person names, stored on Person for the search by initials ("zs" finds 张三) and the
sort by pinyin. pypinyin (a maintained dictionary of readings) does the conversion."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin


def _split_other(text: str) -> list[str]:
    # Latin letters and digits in a name stay as they are, one "syllable" per character;
    # punctuation (the · of minority names) is dropped.
    return [char.lower() for char in text if char.isascii() and char.isalnum()]


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin with a space between syllables, the syllables' initials): 张三 -> ("zhang san", "zs")."""
    syllables = [s.lower() for s in lazy_pinyin((name or "").strip(), errors=_split_other) if s.strip()]
    return " ".join(syllables)[:400], "".join(s[0] for s in syllables)[:50]
