"""Attribution, construction by construction: (text, expected (kind, speaker, content))."""

import pytest

from claimcheck.ingest import document_from_text
from tests.conftest import assert_spans_exact, attributed

CASES = [
    # "According to X, ..." with and without an apposition; at the end of the sentence.
    ("According to Jane Doe, head of the Example Institute, at least 40 people died in the fire.",
     [("according_to", "Jane Doe", "at least 40 people died in the fire")]),
    ("Prices rose sharply last month, according to the statistics office.",
     [("according_to", "statistics office", "Prices rose sharply last month")]),
    # "X said (on DAY) (that) ..." and other reporting verbs.
    ("Finance Minister Carla Gomez said on Monday that the budget would be cut.",
     [("indirect", "Carla Gomez", "the budget would be cut")]),
    ("The mayor warned that the bridge could collapse.",
     [("indirect", "mayor", "the bridge could collapse")]),
    ("Analyst Tom Reed estimated the deal was worth $2bn.",
     [("indirect", "Tom Reed", "the deal was worth $2bn")]),
    ("Police confirmed the suspect had been arrested.",
     [("indirect", "Police", "the suspect had been arrested")]),
    ("John Smith told the Reuters news agency that talks had failed.",
     [("indirect", "John Smith", "talks had failed")]),
    # Quotes: speaker after, before, in the middle; straight, curly, doubled marks.
    ("‘The plan is dead,’ said Maria Lopez, a senator from Ohio.",
     [("direct_quote", "Maria Lopez", "The plan is dead")]),
    ('"The plan is dead," Maria Lopez said.',
     [("direct_quote", "Maria Lopez", "The plan is dead")]),
    ("''The plan is dead,'' said Maria Lopez.",
     [("direct_quote", "Maria Lopez", "The plan is dead")]),
    ("Maria Lopez said: “The plan is dead. We will start again.”",
     [("direct_quote", "Maria Lopez", "The plan is dead. We will start again")]),
    ("Maria Lopez spoke to reporters. “The plan is dead,” she said. “We start again.”",
     [("direct_quote", "Maria Lopez", "The plan is dead"), ("direct_quote", "Maria Lopez", "We start again")]),
    # Parenthetical cues: the host clause is the content, on the host verb's side.
    ("A truck hit the crowd on Thursday, killing 80 people, French officials said.",
     [("indirect", "French officials", "A truck hit the crowd on Thursday, killing 80 people")]),
    ("And yet, her aides say, the region remains a priority for her.",
     [("indirect", "her aides", "the region remains a priority for her")]),
    ("Any fair reading of the deal, said Nora Field, an expert on trade, would call it weak.",
     [("indirect", "Nora Field",
       "Any fair reading of the deal, said Nora Field, an expert on trade, would call it weak")]),
    # Object cues: the object (and what hangs on it) is the content.
    ("President Ann Cole condemned the attack on the embassy.",
     [("indirect", "Ann Cole", "the attack on the embassy")]),
    ("Police urged residents to stay indoors.",
     [("indirect", "Police", "residents to stay indoors")]),
    ("CNN quoted a witness as saying the driver fired shots.",
     [("indirect", "CNN", "a witness as saying the driver fired shots")]),
    ("Mrs. Clinton has proposed enforcing a partial no-fly zone over the region.",
     [("indirect", "Clinton", "enforcing a partial no-fly zone over the region")]),
    # Shares of those polled speak for themselves.
    ("Twenty-four percent said she did nothing wrong.",
     [("indirect", "Twenty-four percent", "she did nothing wrong")]),
    # A quote's tag may use any verb after ",' / !' / ?'".
    ("“Out!” the crowd yelled.", [("direct_quote", "crowd", "Out!")]),
    # A name inside a relative clause is not the speaker.
    ("“We need answers,” said a party member who supports Ann Cole.",
     [("direct_quote", "party member", "We need answers")]),
    # Surname and honorific mentions link to the full name.
    ("Peter Okafor arrived on Friday. Mr Okafor said the vote was fair.",
     [("indirect", "Peter Okafor", "the vote was fair")]),
    ("Peter Okafor spoke first. Okafor also said the count was slow.",
     [("indirect", "Peter Okafor", "the count was slow")]),
    # A headline that opens with a person's name and a colon gives that person's words.
    ("Ann Cole: Voters Want A Fair Count\nThe count began on Monday.",
     [("indirect", "Ann Cole", "Voters Want A Fair Count")]),
    # A transcript's label, and a headline's surname, when the article names that person in full.
    ("Ann Cole spoke to the station on Sunday.\nCOLE: We will win the county.",
     [("direct_quote", "Ann Cole", "We will win the county")]),
    # "was quoted as saying": the passive verb's subject speaks; the frame is no claim.
    ("Ann Cole was quoted as saying the vote was fair.", [("indirect", "Ann Cole", "the vote was fair")]),
    # What someone was asked is not what they said.
    ("Asked whether the port would close, Peter Okafor said it would.",
     [("indirect", "Peter Okafor", "it would")]),
    # Calls, intents and stances: the preposition's object, the infinitive, the object.
    ("Senator Ann Cole called for a ceasefire in Kordan.",
     [("indirect", "Ann Cole", "a ceasefire in Kordan")]),
    ("Peter Okafor called on the council to reopen the bridge.",
     [("indirect", "Peter Okafor", "the council to reopen the bridge")]),
    ("Peter Okafor refused to release the harbour accounts.",
     [("indirect", "Peter Okafor", "release the harbour accounts")]),
    ("Lina Berg praised the council for its courage.",
     [("indirect", "Lina Berg", "the council for its courage")]),
    # What someone called something is their claim: the object with the name given to it.
    ("Senator Ann Cole called the plan a disgraceful fraud.",
     [("indirect", "Ann Cole", "the plan a disgraceful fraud")]),
    ("Peter Okafor described the blast as an intentional act.",
     [("indirect", "Peter Okafor", "the blast as an intentional act")]),
    # a comma-separated that-clause after an aside is still what the cue reports
    ("The mayor continues to insist, most recently in an interview with KTV, that the bridge is safe.",
     [("indirect", "mayor", "the bridge is safe")]),
    # a lead paragraph ending in a colon introduces the quote in the next paragraph
    ("Reporter Lina Berg says:\n“Well, the port is closed.”",
     [("direct_quote", "Lina Berg", "Well, the port is closed")]),
    # a reporting verb before a quote the sentence then gives to someone else keeps its claim
    ("Ann Cole said Peter Okafor was right when he said on Monday that, “the harbour is ruined.”",
     [("indirect", "Ann Cole", "Peter Okafor was right when he said on Monday that, “the harbour is ruined"),
      ("direct_quote", "Peter Okafor", "the harbour is ruined")]),
    # a "not" ending the quote, hung by the parser on the tag's verb, does not negate the tag
    ('"Are we ready? Probably not," Ann Moore said.',
     [("direct_quote", "Ann Moore", "Are we ready? Probably not")]),
    # a quoted show or book title is not a quote
    ("“We are ready,” Ola Brandt said on KTV’s “Morning Show.”",
     [("direct_quote", "Ola Brandt", "We are ready")]),
    # an addressee told to do something: whom, and what
    ("The mayor told residents to leave the valley.",
     [("indirect", "mayor", "residents to leave the valley")]),
    # "said in a statement (on Monday) that ...": the that-clause after the phrase is the content.
    ("The Ministry of Transport said in a statement on Monday that 40 trains were cancelled.",
     [("indirect", "The Ministry of Transport", "40 trains were cancelled")]),
    ("Peter Okafor, a former mayor of Tasso, said in one of a series of posts that the bridge was shut.",
     [("indirect", "Peter Okafor", "the bridge was shut")]),
    # "as X noted, ...": the host clause is X's claim, and not also the narrator's.
    ("As Ann Cole noted, the bridge was closed for a week.",
     [("indirect", "Ann Cole", "the bridge was closed for a week")]),
    ("Ferries were late, as Lina Berg pointed out.", [("indirect", "Lina Berg", "Ferries were late")]),
    # a phrasal cue reports only with its particle
    ("Lina Berg pointed out that the ferry was late.", [("indirect", "Lina Berg", "the ferry was late")]),
    # "according to" after a reporting verb's content is the source of that content only.
    # (The parser may hang the phrase inside the reported clause, or after it: the teller stays.)
    ("Peter Okafor told KTV that the driver fled, according to the police.",
     [("indirect", "Peter Okafor", "the driver fled, according to the police")]),
    ("Okafor told the local channel KTV that \"the driver fired on the crowd, according to the police.\"",
     [("indirect", "Okafor", "the driver fired on the crowd, according to the police")]),
    # a quote's tag that goes on: "..., adding that ..." is the same speaker's claim.
    ("“Nobody reads the report,” the council member said, adding that donors were angry.",
     [("direct_quote", "council member", "Nobody reads the report"),
      ("indirect", "council member", "donors were angry")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_attribution(extract_text, text, expected):
    extraction = extract_text(text)
    got = [(c.kind.value, c.speaker.name, c.content.text) for c in attributed(extraction)]
    assert got == expected
    assert_spans_exact(extraction)


NEGATIVES = [
    "The river flooded the valley after three days of rain.",
    "The so-called peace plan collapsed within a week.",
    "He did not say whether the plan would survive.",
    "Officials are expected to meet again next month.",
    "It is said that the castle is haunted.",
    # "call" and "describe" without a name given to their object report nothing
    "The dock union called off the strike on Monday.",
    "Peter Okafor described the scene to the court.",
    "A group called the Harbour Guild runs the ferry.",
    # a time after the verb is not what was spoken of; a plan without an infinitive is an act
    "The ferry company spoke on Tuesday.",
    "Peter Okafor planned the route with care.",
    # a label that names nobody in the article is not a speaker
    "UPDATE: The count resumed on Monday.",
    # a place before the colon is not a speaker
    "Syria: Rebels Take The Town\nThe army left on Monday.",
    # a relative clause after "statement" is not what was said; "as" with an object is no aside
    "The minister read a statement that was written by her staff.",
    "As the minister said this, the crowd left the hall.",
    # "so that" is a purpose, not a report
    "The council met early so that the ferry could leave on time.",
    # "told" with no one told anything reports nothing
    "Peter Okafor told a long story about the ferry.",
    # "point" without "out" reports nothing
    "Peter Okafor pointed the camera at the bridge.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_speaker_is_invented(extract_text, text):
    extraction = extract_text(text)
    assert attributed(extraction) == []
    narrated = [c for c in extraction.claims if c.kind.value == "narrator"]
    assert narrated and all(c.speaker.name == "Test Wire" for c in narrated)


def test_pronoun_resolves_to_nearest_earlier_speaker(extract_text):
    extraction = extract_text(
        "Anna Berg said the plant would close. ‘It is a sad day,’ she said.")
    assert [c.speaker.name for c in attributed(extraction)] == ["Anna Berg", "Anna Berg"]
    quote = attributed(extraction)[1]
    assert quote.speaker.mention.text == "she"


def test_pronoun_without_antecedent_stays_unresolved(extract_text):
    extraction = extract_text("‘It is a sad day,’ she said.")
    (claim,) = attributed(extraction)
    assert claim.speaker.name is None and not claim.speaker.resolved
    assert claim.speaker.mention.text == "she"


def test_role_is_kept_apart_from_the_name(extract_text):
    extraction = extract_text("US President Donald Trump predicted the group would be defeated.")
    (claim,) = attributed(extraction)
    assert (claim.speaker.name, claim.speaker.role, claim.speaker.kind.value) == (
        "Donald Trump", "US President", "person")
    assert claim.cue.text == "predicted"


def test_group_and_organisation_speakers(extract_text):
    extraction = extract_text(
        "Western and other officials have announced deadlines for a final victory.")
    (claim,) = attributed(extraction)
    assert claim.speaker.kind.value == "group"
    assert claim.speaker.name == "Western and other officials"


def test_said_on_is_when_the_claim_was_made(extract_text):
    extraction = extract_text("Carla Gomez said on Thursday that 5,000 fighters remain.")
    (claim,) = attributed(extraction)
    assert claim.said_on.text == "Thursday"
    assert claim.said_on.resolved_start.isoformat() == "2018-12-13"
    assert claim.dates == ()  # "Thursday" is when it was said, not part of what was said


def test_unbalanced_quote_does_not_swallow_the_article(extract_text):
    text = "“This quote never closes, said a man.\nThe council approved the budget on Monday.\nIt passed easily."
    extraction = extract_text(text)
    contents = [c.content.text for c in extraction.claims]
    assert "The council approved the budget on Monday" in contents
    assert_spans_exact(extraction)


def test_denial_negates_the_content(extract_text):
    extraction = extract_text("The ministry denied that troops had crossed the border.")
    (claim,) = attributed(extraction)
    assert claim.negated


@pytest.mark.parametrize(("text", "negated"), [
    ("“I haven’t talked to the trainers at all,” Peter Okafor said.", True),
    ("“We will never sell the club,” the owner said.", True),
    ("Ann Cole said: “The vote was not rigged.”", True),
    # negatives: a negation outside the quote's main clause, or none
    ("“We talked to the trainers,” Peter Okafor said.", False),
    ("“The players who did not travel stayed home,” the coach said.", False),
])
def test_quote_negation(extract_text, text, negated):
    (claim,) = attributed(extract_text(text))
    assert claim.kind.value == "direct_quote" and claim.negated is negated


def test_pronoun_is_not_the_cues_addressee(extract_text):
    text = ("Peter Okafor opened the bridge on Monday. Lina Berg asked him how long it was.\n"
            "“About 40 metres,” he told Berg.")
    claims = [c for c in attributed(extract_text(text)) if c.kind.value == "direct_quote"]
    assert [(c.speaker.name, c.content.text) for c in claims] == [("Peter Okafor", "About 40 metres")]


def test_a_crowd_is_not_a_he(extract_text):
    text = ("Peter Okafor spoke to the rally.\n“Who will pay?”\n“The council!” the audience shouted.\n"
            "“That is right,” he said.")
    claims = {c.content.text: c.speaker for c in attributed(extract_text(text))}
    assert claims["The council!"].kind.value == "group"
    assert claims["That is right"].name == "Peter Okafor"


def test_quote_running_on_into_the_next_paragraph(extract_text):
    text = "Ann Cole said the result “was fair and final.\n\n“The count was checked twice.”\n\nThe vote ended."
    extraction = extract_text(text)
    got = [(c.kind.value, c.speaker.name, c.content.text) for c in attributed(extraction)]
    assert ("direct_quote", "Ann Cole", "The count was checked twice") in got
    assert_spans_exact(extraction)


@pytest.mark.parametrize(("text", "speaker"), [
    # "the minister" is the one person the article titled so, whether or not they spoke before
    ("Transport Minister Lina Berg visited the site.\n“It will reopen in May,” the minister said.", "Lina Berg"),
    ("Transport Minister Lina Berg visited the site. It will reopen in May, according to the minister.",
     "Lina Berg"),
    # two ministers: not guessed
    ("Transport Minister Lina Berg and Health Minister Ann Cole met.\n“It was useful,” the minister said.",
     "minister"),
])
def test_title_resolves_to_the_titled_person(extract_text, text, speaker):
    (claim,) = attributed(extract_text(text))
    assert claim.speaker.name == speaker


def test_transcript_turns(extract_text):
    text = ("Chris Walsh interviewed Ann Cole on Sunday.\n\n"
            "\"WALSH: Will the count be finished this week?\n\n"
            "\"COLE: It will not. We have “two more” districts to go.\n\n"
            "The interview ended at noon.")
    extraction = extract_text(text)
    got = [(c.kind.value, c.speaker.name, c.content.text) for c in attributed(extraction)]
    # The interviewer's question is nobody's claim: not Walsh's, not the paper's.
    assert got == [("direct_quote", "Ann Cole", "It will not. We have “two more” districts to go")]
    assert [c.negated for c in attributed(extraction)] == [True]
    assert not any("count be finished" in c.content.text for c in extraction.claims)
    assert_spans_exact(extraction)


def test_refusal_negates_the_content(extract_text):
    (claim,) = attributed(extract_text("Peter Okafor refused to release the harbour accounts."))
    assert claim.negated


@pytest.mark.parametrize(("statement", "speaker"), [
    ("Ann Cole said the harbour would close.", "Ann Cole"),
    ("Ann Cole called the plan a fraud.", "Ann Cole"),
    # a statement worded with an act or a stance asserts the act: read whole, no speaker
    ("Kestrel Air agreed to buy 30 jets.", None),
    ("Ann Cole praised the plan.", None),
])
def test_statement_speaker(extractor, statement, speaker):
    claim = extractor.statement(document_from_text(statement))
    assert (claim.speaker.name if claim.kind.value != "narrator" else None) == speaker


def test_narrator_negation(extract_text):
    (claim,) = extract_text("The company did not pay any tax last year.").claims
    assert claim.kind.value == "narrator" and claim.negated


def test_untagged_quote_continues_only_the_immediately_preceding_speaker(extract_text):
    text = ("“We will rebuild,” said Anna Berg.\n“It will take years.”\n"
            "The city urged residents to stay indoors.\n“People were running everywhere.”")
    claims = attributed(extract_text(text))
    assert [(c.speaker.name, c.content.text) for c in claims] == [
        ("Anna Berg", "We will rebuild"),
        ("Anna Berg", "It will take years"),
        ("city", "residents to stay indoors"),
        (None, "People were running everywhere"),
    ]


def test_role_noun_makes_a_person_whatever_ner_says(extract_text):
    extraction = extract_text(
        "Maryam Violet, an Iranian journalist visiting Nice, told the Guardian that she saw the truck.")
    (claim,) = attributed(extraction)
    assert claim.speaker.kind.value == "person"
