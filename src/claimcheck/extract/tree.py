"""Walks over a dependency parse that never recurse.

spaCy's ``Token.subtree`` is a recursive generator: every level of the tree is one more nested
generator frame in C, so a deep enough tree ("said said said ...", parsed as a chain of clauses)
overflows the C stack and kills the process. The rules use this instead.
"""

from __future__ import annotations

from spacy.tokens import Token


def subtree(tok: Token) -> list[Token]:
    """``list(tok.subtree)``, in the same order, with an explicit stack instead of recursion.

    Every descendant lies between ``tok``'s left and right edge, so the children of the whole
    subtree are read off the heads in that range once: linear in the range."""
    doc = tok.doc
    lo, hi = tok.left_edge.i, tok.right_edge.i
    if lo == hi:
        return [tok]
    kids: dict[int, list[int]] = {}
    for i in range(lo, hi + 1):
        head = doc[i].head.i
        if head != i and lo <= head <= hi:
            kids.setdefault(head, []).append(i)
    out: list[Token] = []
    # (index, emit): visit a token's left children, then the token, then its right children.
    stack: list[tuple[int, bool]] = [(tok.i, False)]
    while stack:
        i, emit = stack.pop()
        if emit:
            out.append(doc[i])
            continue
        children = kids.get(i, ())
        stack.extend((c, False) for c in reversed(children) if c > i)
        stack.append((i, True))
        stack.extend((c, False) for c in reversed(children) if c < i)
    return out


def subtree_size(tok: Token) -> int:
    """``len(list(tok.subtree))`` without recursion."""
    if tok.left_edge.i == tok.right_edge.i:
        return 1
    return len(subtree(tok))
