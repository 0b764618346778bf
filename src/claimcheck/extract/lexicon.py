"""Word lists the rules consult. General English, nothing from any particular article."""

from __future__ import annotations

# Verbs of saying (lemmas) that introduce what someone said, wrote or found.
SPEECH_CUES = frozenset(
    """
    say tell add claim warn estimate insist confirm predict announce state report note argue explain
    acknowledge admit allege assert suggest write tweet post declare deny contend maintain stress
    emphasize emphasise reveal indicate observe recall reply respond testify vow promise pledge urge
    conclude agree complain concede caution forecast project accuse mention remark disclose
    hint repeat reiterate boast joke quip speculate calculate show find advocate propose recommend
    ask question interject shout yell scream exclaim whisper
    """.split()
)

# Verbs and adjectives of belief: what someone thinks, not what they said. A claim they carry is
# hedged (the speaker holds it, does not assert it as fact): "Analysts expect profits to fall",
# "She is convinced that the plant is unsafe".
BELIEF_CUES = frozenset(
    """
    believe think expect hope fear doubt reckon suspect worry assume suppose anticipate feel
    convinced confident certain sure worried afraid hopeful optimistic pessimistic skeptical
    sceptical concerned
    """.split()
)
# The adjectives among them: a cue only as "is convinced that ...", with a clause.
BELIEF_ADJECTIVES = frozenset(
    "convinced confident certain sure worried afraid hopeful optimistic pessimistic skeptical "
    "sceptical concerned".split()
)

# Acts of speech that carry content (what a speaker accused, promised, urged...): speech, as
# the evaluation counts cue kinds, where acts, plans and votes are not.
SPEECH_ACT_CUES = frozenset(
    "accuse blame praise criticise criticize promise vow pledge call urge deny admit demand charge "
    "cite describe".split()
)

# Nouns that name an act of speech: "in a statement", "told ... in an interview".
SPEECH_NOUNS = frozenset(
    """
    statement interview remark remarks comment comments testimony tweet speech announcement post
    letter briefing conference op-ed editorial memo email press release
    """.split()
)

# Verbs of a stance towards something, not of words ("praised the plan", "accused the council
# of lying"): cues with their object as content.
STANCE_CUES = frozenset(
    """
    accuse admire liken compare denounce defend tout hail slam blast oppose back favor favour
    applaud dispute challenge highlight express voice discuss echo mock ridicule thank
    congratulate invite encourage praise criticize criticise blame welcome support endorse
    condemn
    """.split()
)

# Cues that carry their content as a direct object when they have no clause:
# "X claimed responsibility for ...", "officials announced deadlines for ...".
OBJECT_CUES = STANCE_CUES | frozenset(
    """
    announce claim confirm deny reveal report predict forecast estimate acknowledge admit promise
    pledge vow demand reject dismiss disclose propose question cite urge quote assert advocate
    recommend
    """.split()
)

# Cues whose content is the object of a preposition: "called for a ceasefire", "commented on
# the deal", "warned against cuts". lemma -> the prepositions that carry it.
PREPOSITION_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}), "press": frozenset({"for"}), "push": frozenset({"for"}),
    "comment": frozenset({"on"}), "speak": frozenset({"about", "of", "on"}), "talk": frozenset({"about"}),
    "argue": frozenset({"for", "against"}), "warn": frozenset({"against", "of", "about"}),
    "complain": frozenset({"about", "of"}), "insist": frozenset({"on"}), "vote": frozenset({"for", "against"}),
    "testify": frozenset({"about", "on"}), "campaign": frozenset({"for", "against"}),
}

# Cues of intent whose content is an infinitive: "refused to release his returns", "vowed to
# appeal". The speaker says what they will or will not do.
INTENT_CUES = frozenset(
    "refuse decline agree plan vow promise pledge threaten offer seek intend aim".split()
)

# Verbs that say what someone called something: a claim only with the name they gave it ("X
# called the plan a fraud", "described the blast as an intentional act"), never alone ("called
# off the strike", "described the scene").
DESCRIBING_CUES = frozenset({"call", "describe", "label", "brand", "dub", "term", "characterize", "characterise"})

# Cues that report an act or a stance rather than words ("agreed to buy", "praised the plan",
# "called for talks"). In an article they credit the speaker; a statement worded with them is
# about the act ("Kestrel Air agreed to buy 30 jets" asserts a deal), so it is read as a whole.
ACT_CUES = INTENT_CUES | STANCE_CUES | frozenset({"press", "push", "vote", "campaign"})

# Every word that can introduce an attribution.
CUES = SPEECH_CUES | (BELIEF_CUES - BELIEF_ADJECTIVES) | OBJECT_CUES | DESCRIBING_CUES | INTENT_CUES

# Verbs that report only with their particle: "pointed out that ...", "spelled out his plan".
PHRASAL_CUES: dict[str, str] = {"point": "out", "spell": "out"}

# Cues whose object is the addressee, not the content: "told the Reuters news agency".
ADDRESSEE_CUES = frozenset({"tell", "inform", "assure", "warn", "remind", "advise", "brief"})

# Cues that negate their content: "X denied that ..." asserts the opposite; "X doubts that ..."
# believes it.
NEGATING_CUES = frozenset({"deny", "dismiss", "reject", "refuse", "decline", "doubt"})

# Nouns that stand for an organisation when they head a speaker phrase.
ORG_NOUNS = frozenset(
    """
    agency ministry government company firm department office council committee organisation
    organization administration court commission party bank airline union coalition alliance
    observatory newspaper network group army military police force forces campaign
    institute university school hospital regulator authority authorities board team club league
    association federation service corporation channel outlet tribunal parliament congress senate
    cabinet embassy consulate prosecutor prosecutors statement report study survey poll
    """.split()
)

# Nouns for many people spoken of as one: "the audience screamed" is a group, never a "he".
GROUP_NOUNS = frozenset(
    "audience crowd public majority minority jury panel family staff electorate opposition community "
    "protesters demonstrators fans spectators onlookers residents".split()
)

# Documents and findings that speak for whoever produced them ("according to a Reuters tally").
DOCUMENT_NOUNS = frozenset(
    "statement report study survey poll analysis document letter data figures estimate tally "
    "release filing memo review audit census".split()
)

# Honorifics dropped from names ("Mr Amin" is Amin); titles kept as roles.
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "mx", "mx."})
TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary senator sen. sen rep. rep representative governor gov.
    gov mayor chancellor king queen prince princess general gen. gen colonel col. col lieutenant
    lt. captain capt. sergeant sgt. admiral adm. judge justice chairman chairwoman chair director
    chief commander ambassador spokesman spokeswoman spokesperson officer coach professor prof.
    former acting deputy leader pope sheikh emir ayatollah speaker
    """.split()
)

# Nouns for people: a role headed by one makes its holder a person, whatever NER said of the name.
PERSON_NOUNS = TITLE_WORDS | frozenset(
    """
    journalist reporter correspondent expert analyst official lawyer attorney witness resident
    student teacher doctor researcher scientist economist author writer editor founder ceo
    executive adviser advisor aide candidate voter retiree mother father woman man wife husband
    son daughter activist owner manager player striker goalkeeper nominee strategist consultant
    historian commentator columnist diplomat envoy politician lawmaker legislator mayor actor
    singer artist survivor victim eyewitness native citizen worker employee member partner
    """.split()
)

PRONOUN_KINDS = {
    "he": "person",
    "she": "person",
    "they": "group",
    "it": "organisation",
}

TIME_UNITS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1,
    "night": 1,
    "week": 7,
    "fortnight": 14,
    "month": 30.4375,
    "quarter": 91.3125,
    "year": 365.25,
    "decade": 3652.5,
    "century": 36525,
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
