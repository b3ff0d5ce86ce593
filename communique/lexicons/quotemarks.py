"""Where quotations are: the spans between paired quote marks."""
from __future__ import annotations

import re
from typing import Optional

QUOTE_PAIRS = {'"': '"', "\u201c": "\u201d", "''": "''", "``": "''"}  # '' and `` as some wires write them
MARKS = re.compile(r"``|''|[\"\u201c\u201d]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the contents of paired quote marks, paragraph by paragraph."""
    spans = []
    for para in re.finditer(r"[^\n]+", text):
        open_at: Optional[int] = None
        closer = ""
        for m in MARKS.finditer(para.group()):
            pos = para.start() + m.start()
            if open_at is None and m.group() in QUOTE_PAIRS:
                open_at, closer = pos + len(m.group()), QUOTE_PAIRS[m.group()]
            elif open_at is not None and m.group() == closer:
                if text[open_at:pos].strip():
                    spans.append((open_at, pos))
                open_at = None
    return spans
