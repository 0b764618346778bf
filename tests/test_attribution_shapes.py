"""Attribution by shape (issue 21): text -> (speaker, cue kind, modality, negated, content), with
the negatives each shape must not catch. Cue kinds are the evaluation's (speech, belief,
according to, other); a transcript turn has no cue word (None)."""

from __future__ import annotations

import pytest

from claimcheck.evaluate import cue_kind
from tests.conftest import assert_spans_exact, attributed

BELIEF = [
    # belief verbs carry a clause of content, held as a belief, not asserted
    ("Analysts expect profits to fall next year.",
     [("Analysts", "belief", "believed", False, "profits to fall next year")]),
    ("Mary Holt believes the bridge will close in March.",
     [("Mary Holt", "belief", "believed", False, "the bridge will close in March")]),
    ("Tom Reyes fears the harbour will flood.",
     [("Tom Reyes", "belief", "believed", False, "the harbour will flood")]),
    # "doubts that X": believes not X
    ("Tom Reyes doubts that the budget will balance.",
     [("Tom Reyes", "belief", "believed", True, "the budget will balance")]),
    # belief adjectives with a clause: the holder is the subject of "be"
    ("The regulator is convinced that the plant is unsafe.",
     [("regulator", "belief", "believed", False, "the plant is unsafe")]),
    ("Union leaders are confident that the vote will pass.",
     [("Union leaders", "belief", "believed", False, "the vote will pass")]),
    ("Mary Holt is worried that the harbour will flood.",
     [("Mary Holt", "belief", "believed", False, "the harbour will flood")]),
    # the same speaker saying it: asserted
    ("Mary Holt said the bridge will close in March.",
     [("Mary Holt", "speech", "asserted", False, "the bridge will close in March")]),
    # negatives: an adjective without a clause, a belief without content, a negated belief
    ("The mayor is happy with the result.", []),
    ("Tom Reyes is sure of it.", []),
    ("Mary Holt thinks so.", []),
    ("Tom Reyes does not doubt that the budget will balance.", []),
]

SPEECH = [
    ("Mary Holt denied that the plant had leaked.",
     [("Mary Holt", "speech", "asserted", True, "the plant had leaked")]),
    ("Tom Reyes urged voters to reject the plan.",
     [("Tom Reyes", "speech", "asserted", False, "voters to reject the plan")]),
    # the passive's agent speaks when the verb reports a clause
    ("It was announced by the ministry on Monday that taxes would rise.",
     [("the ministry", "speech", "asserted", False, "taxes would rise")]),
    # ... and only then: being called something is an act done to the subject
    ("The plan was criticised by the mayor.", []),
    ("The ship was sunk by a storm.", []),
    # a passive with no agent has no speaker
    ("It is said that the harbour will close.", []),
    # a quote split by its tag is one speaker's, both halves
    ("\u201cWe will win the match and the cup,\u201d the coach said, \u201cand then we will rest.\u201d",
     [("coach", "speech", "asserted", False, "We will win the match and the cup"),
      ("coach", None, "asserted", False, "and then we will rest")]),
    # someone seen or heard saying it: the saying is the claim, not the witness's
    ("The video shows Mehmet Oz saying that green coffee extract was a magic cure.",
     [("Mehmet Oz", "speech", "asserted", False, "green coffee extract was a magic cure")]),
    ("Reporters heard Tom Reyes say that the harbour would close.",
     [("Tom Reyes", "speech", "asserted", False, "the harbour would close")]),
    # ... but one speaker reporting another's words is still the reporter's claim
    ("Mary Holt said Tom Reyes told her that the harbour would close.",
     [("Mary Holt", "speech", "asserted", False, "Tom Reyes told her that the harbour would close")]),
    # a quote's tag with its speaker before an apposition, the verb's subject misparsed
    ("“The dock is unsafe. The cranes are old,” Tom Reyes, the harbour master, said on Monday "
     "on “Morning Show.”",
     [("Tom Reyes", "speech", "asserted", False, "The dock is unsafe. The cranes are old")]),
    # a clause after a comma is not the tag's new reported clause, even when parsed as one
    ("“You should resign and give the money back,” Ann Cole told the chief executive, after he "
     "admitted he had not been held accountable.",
     [("Ann Cole", "speech", "asserted", False, "You should resign and give the money back")]),
    # what the tag goes on to report is the tag's speaker's, unless its clause has a subject of
    # its own: a name is that speaker; a pronoun may be the addressee and is not guessed
    ("“We will appeal,” Ann Cole said, adding that the ruling was unfair.",
     [("Ann Cole", "speech", "asserted", False, "We will appeal"),
      ("Ann Cole", "speech", "asserted", False, "the ruling was unfair")]),
    ("“We will appeal,” Ann Cole said, and Tom Reyes warned that costs would rise.",
     [("Ann Cole", "speech", "asserted", False, "We will appeal"),
      ("Tom Reyes", "speech", "asserted", False, "costs would rise")]),
    # a that-clause the parser took for the sentence's root is still the cue's content
    ("The nominee continues to insist, most recently in a television interview, that he wants to "
     "release his taxes.",
     [("nominee", "speech", "asserted", False, "he wants to release his taxes")]),
    # the object of a verb that makes it happen does the saying; of one that asks, no one yet
    ("The senator forced Tom Reyes, who was under questioning, to admit that no manager had been "
     "held accountable.",
     [("Tom Reyes", "speech", "asserted", False, "no manager had been held accountable")]),
    ("The panel offered Tom Reyes a platform to say whatever he wanted.", []),
    # a cue's clause stays on its side of a semicolon
    ("More than six in 10 said they were tired of the campaign; 46 percent said they were unenthusiastic.",
     [("More than six in 10", "speech", "asserted", False, "they were tired of the campaign"),
      ("46 percent", "speech", "asserted", False, "they were unenthusiastic")]),
    # a quote of whole sentences right after its cue, with no comma
    ("Tom Reyes said on Monday “The dock is unsafe. The cranes are old.”",
     [("Tom Reyes", "speech", "asserted", False, "The dock is unsafe. The cranes are old")]),
    # a quotation is kept whatever it holds; an act's bare object is not a claim
    ("Mary Holt thanked him.", []),
    ("The council voted to close the harbour.", []),
]

MISREAD = [
    # a headline's "Claims" tagged as a plural noun after a name is still the cue
    ("Holt Energy Claims the plant is safe.",
     [("Holt Energy", "speech", "asserted", False, "the plant is safe")]),
    # a surname the recogniser takes for an organisation is the person named in full before
    ("Chancellor Willy Brandt visited the plant on Monday. Brandt said the plant would stay open.",
     [("Willy Brandt", "speech", "asserted", False, "the plant would stay open")]),
]

TRANSCRIPTS = [
    # "Q:"/"A:": the answers are the interviewee's, the questions nobody's
    ("Mary Holt, the harbour director, spoke to us on Monday.\n\nQ: Will the harbour close?\n\n"
     "A: It will close in March, and the workers will be paid.\n\nQ: Why?\n\nA: The dock is unsafe.\n",
     [("Mary Holt", None, "asserted", False, "It will close in March, and the workers will be paid"),
      ("Mary Holt", None, "asserted", False, "The dock is unsafe")]),
    # initials stand for the people the article names
    ("Mary Holt spoke to Tom Reyes.\n\nTR: Will the harbour close?\n\nMH: It will close in March.\n\n"
     "TR: Why?\n\nMH: The dock is unsafe and the cranes are old.\n",
     [("Mary Holt", None, "asserted", False, "It will close in March"),
      ("Mary Holt", None, "asserted", False, "The dock is unsafe and the cranes are old")]),
    # an upper-case label in a transcript is a speaker; the one asking is the interviewer
    ("The panel met on Monday.\n\nMODERATOR: Will the harbour close?\n\nDIRECTOR: It will close in March."
     "\n\nMODERATOR: Why?\n\nDIRECTOR: The dock is unsafe and the cranes are old.\n",
     [("Director", None, "asserted", False, "It will close in March"),
      ("Director", None, "asserted", False, "The dock is unsafe and the cranes are old")]),
    # one colon line is not a transcript
    ("WARNING: The harbour is closed.\n\nThe ferry runs from the north pier.\n", []),
]


@pytest.mark.parametrize(("text", "expected"), BELIEF + SPEECH + MISREAD + TRANSCRIPTS)
def test_shapes(extract_text, nlp, text, expected):
    extraction = extract_text(text)
    got = [(c.speaker.name,
            cue_kind(w for t in nlp(c.cue.text) for w in (t.lemma_, t.lower_)) if c.cue else None,
            c.modality.value, c.negated, c.content.text)
           for c in attributed(extraction)]
    assert got == expected
    assert_spans_exact(extraction)


def test_surname_tagged_as_organisation_is_a_person(extract_text):
    text = "Economy Minister Peter Altmaier met workers. Altmaier said the tariffs would hurt exports."
    (claim,) = attributed(extract_text(text))
    assert (claim.speaker.name, claim.speaker.kind.value) == ("Peter Altmaier", "person")


def test_organisation_named_like_no_person_stays_an_organisation(extract_text):
    text = "Kestrel Air said the flights would resume in May."
    (claim,) = attributed(extract_text(text))
    assert claim.speaker.kind.value == "organisation"
