"""Built-in content for Bridgework: situations, exercises, self-checks and safety texts.

Pure data, written in our own words from the facts in the practice's source guide on
emotional disconnection. Client-facing texts aim to be warm and plain; staff-facing
descriptions are short and practical.
"""

from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Situations (the eight causes of distance)
# ---------------------------------------------------------------------------

SITUATIONS: dict[str, str] = {
    "communication_breakdown": "Communication breakdown",
    "unaddressed_conflict": "Unaddressed conflict",
    "external_stressors": "External stressors",
    "loss_of_shared_identity": "Loss of shared identity",
    "broken_trust": "Betrayal and broken trust",
    "major_life_changes": "Major life changes",
    "harm": "Emotional or physical harm",
    "personal_struggles": "Personal struggles (trauma, anxiety, depression, low self-esteem)",
}

SITUATION_DESCRIPTIONS: dict[str, str] = {
    "communication_breakdown": (
        "The partners have stopped talking openly and neither feels really heard; talk has "
        "narrowed to practical matters. Busy schedules, stress or plain routine often sit "
        "behind it."
    ),
    "unaddressed_conflict": (
        "Disagreements are left hanging or sidestepped, and resentment quietly builds. One "
        "or both partners may withdraw just to keep the peace."
    ),
    "external_stressors": (
        "Pressure from work, children, illness or money is using up the couple's energy, "
        "so getting through the week comes before being close."
    ),
    "loss_of_shared_identity": (
        "Values, goals or daily routines have drifted apart, and individual pursuits crowd "
        "out time together. The partners describe living side by side rather than together."
    ),
    "broken_trust": (
        "Infidelity, dishonesty or repeated broken promises have damaged trust. Plan a "
        "focused session; closeness usually comes back only as trust is rebuilt."
    ),
    "major_life_changes": (
        "A move, a new baby, a change of career or caring for an ageing parent has reshaped "
        "daily life, and the couple has not yet adjusted to it together."
    ),
    "harm": (
        "Emotional, physical or psychological abuse. Distance may be self-protective. Screen "
        "each partner individually, start with individual sessions, and hold joint homework "
        "while harm may be ongoing."
    ),
    "personal_struggles": (
        "One partner's own difficulties, such as trauma, anxiety, depression or low "
        "self-esteem, make it hard to stay emotionally available. Consider an individual "
        "referral alongside couples work."
    ),
}

# Built-in exercises a counselor should consider assigning after a focused session on a
# situation. Every slug listed here also names that situation in its exercise's
# ``situations``. Harm gets professional guidance only: no joint homework.
SUGGESTED_EXERCISES: dict[str, list[str]] = {
    "communication_breakdown": ["open-communication", "daily-empathy", "limit-distractions"],
    "unaddressed_conflict": ["open-communication", "regular-check-ins", "appreciation"],
    "external_stressors": ["time-for-connection", "laugh-together", "physical-presence"],
    "loss_of_shared_identity": ["new-things-together", "shared-goals", "time-for-connection"],
    "broken_trust": ["rebuild-trust", "regular-check-ins"],
    "major_life_changes": ["regular-check-ins", "shared-goals", "time-for-connection"],
    "harm": ["seek-guidance"],
    "personal_struggles": ["seek-guidance", "daily-empathy", "appreciation"],
}

# ---------------------------------------------------------------------------
# Built-in exercises (the twelve reconnection steps)
# ---------------------------------------------------------------------------

CADENCES: tuple[str, ...] = ("once", "daily", "weekdays", "weekly", "biweekly")


@dataclass(frozen=True)
class BuiltinExercise:
    slug: str
    number: int
    title: str
    purpose: str
    instructions: str
    suggested_cadence: str
    situations: tuple[str, ...]
    reveal_together: bool


_ALL_SITUATIONS: tuple[str, ...] = tuple(SITUATIONS)

BUILTIN_EXERCISES: tuple[BuiltinExercise, ...] = (
    BuiltinExercise(
        slug="open-communication",
        number=1,
        title="Open the lines of communication",
        purpose="Have one calm, honest talk about the distance you have been feeling, "
        "without blaming each other.",
        instructions=(
            "1. Agree on a quiet time to talk when neither of you is rushed, tired or hungry.\n"
            "2. Beforehand, jot down two or three things you have noticed and how they left "
            "you feeling.\n"
            "3. Take turns. Begin with \"I feel...\" and describe your own experience rather "
            "than what your partner did wrong.\n"
            "4. When it is your partner's turn, listen without interrupting, then ask: "
            "\"What has it been like for you?\"\n"
            "5. Keep it to about half an hour. If it gets heated, pause and agree on when "
            "you will pick it up again.\n"
            "6. Afterwards, note one thing you now understand a little better."
        ),
        suggested_cadence="once",
        situations=("communication_breakdown", "unaddressed_conflict"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="time-for-connection",
        number=2,
        title="Make time for connection",
        purpose="Set up a small, regular ritual that belongs to just the two of you.",
        instructions=(
            "1. Together, pick one ritual you can really keep: an evening out or in, coffee "
            "together before work, or an hour before bed without phones.\n"
            "2. Put it in both your calendars at a fixed time, like any other appointment.\n"
            "3. When the time comes, keep the focus on each other: no chores, bills or "
            "to-do lists.\n"
            "4. If something gets in the way, move it to another day instead of skipping it.\n"
            "5. Remember that turning up week after week counts for more than making it fancy."
        ),
        suggested_cadence="weekly",
        situations=("external_stressors", "loss_of_shared_identity", "major_life_changes"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="seek-guidance",
        number=3,
        title="Make the most of your sessions",
        purpose="Prepare for your next session so the time with your counselor goes where "
        "you need it most.",
        instructions=(
            "1. A day or two before your session, find a quiet moment on your own.\n"
            "2. Write down one or two things that have been on your mind since last time.\n"
            "3. Add anything that went better than you expected, however small.\n"
            "4. If there is something you would rather talk over with your counselor on your "
            "own, note that too. You can ask for individual time whenever you need it.\n"
            "5. Bring your notes along, or read them through just before the session starts."
        ),
        suggested_cadence="once",
        situations=_ALL_SITUATIONS,
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="appreciation",
        number=4,
        title="Reignite appreciation",
        purpose="Each day, notice one thing you value about your partner and let them know.",
        instructions=(
            "1. Once a day, think of one specific thing your partner did, or a quality of "
            "theirs, that you are glad about.\n"
            "2. Make it concrete: \"Thanks for making lunch this morning\" lands better than "
            "\"Thanks for everything.\"\n"
            "3. Tell them face to face, send a message, or leave a short note where they "
            "will find it.\n"
            "4. Do not pair it with a request or expect anything back.\n"
            "5. Record in your check-in that you did it."
        ),
        suggested_cadence="daily",
        situations=("unaddressed_conflict", "loss_of_shared_identity", "personal_struggles"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="new-things-together",
        number=5,
        title="Do new things together",
        purpose="Try something new to both of you each week, so you build fresh shared "
        "experiences.",
        instructions=(
            "1. Each of you lists three things neither of you has done before: a class, a "
            "walk somewhere new, a recipe, a game.\n"
            "2. Swap lists and choose one together for this week.\n"
            "3. Set a day and time, and sort out anything you need ahead of time.\n"
            "4. Do it side by side and let yourselves be beginners; getting it wrong is part "
            "of the fun.\n"
            "5. Afterwards, take a minute to tell each other what you enjoyed."
        ),
        suggested_cadence="weekly",
        situations=("loss_of_shared_identity", "major_life_changes"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="rebuild-trust",
        number=6,
        title="Rebuild trust, bit by bit",
        purpose="Rebuild trust through small promises that are made and kept, day after day.",
        instructions=(
            "1. Each day, make one small, specific promise you are sure you can keep, such "
            "as calling when you said you would or being home by a set time.\n"
            "2. Say it out loud or write it down, so you both know what it is.\n"
            "3. Keep it. If something gets in the way, tell your partner straight away and "
            "honestly.\n"
            "4. In your check-in, note what you promised and whether you kept it.\n"
            "5. Keep the promises small. Trust grows from many kept promises rather than "
            "one big gesture.\n"
            "6. Bring anything that feels stuck to your next session."
        ),
        suggested_cadence="daily",
        situations=("broken_trust",),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="physical-presence",
        number=7,
        title="Be physically present",
        purpose="Share a moment of gentle, non-sexual closeness every day.",
        instructions=(
            "1. Talk together about the kinds of touch that feel good to each of you, like a "
            "hug, holding hands or sitting close.\n"
            "2. Each day, offer one of those moments: a longer hug hello, holding hands on a "
            "walk, sitting close on the sofa.\n"
            "3. Only offer touch your partner has said they welcome. Saying \"not right now\" "
            "is always fine.\n"
            "4. Slow down while you are close and put other things aside for a moment.\n"
            "5. Notice how it felt and note it in your check-in."
        ),
        suggested_cadence="daily",
        situations=("external_stressors", "loss_of_shared_identity", "major_life_changes"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="daily-empathy",
        number=8,
        title="Practice empathy daily",
        purpose="Practise understanding how your partner feels, even when you see things "
        "differently.",
        instructions=(
            "1. Once a day, when your partner tells you about something on their mind, stop "
            "what you are doing and listen.\n"
            "2. Try to name the feeling behind their words: tired, worried, proud, let down.\n"
            "3. Say it back in your own words, for example: \"It sounds like today really "
            "wore you out.\"\n"
            "4. Ask whether you got it right, and let them correct you.\n"
            "5. Hold off on fixing, advising or defending yourself. The aim is to understand, "
            "not to agree."
        ),
        suggested_cadence="daily",
        situations=("communication_breakdown", "unaddressed_conflict", "personal_struggles"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="regular-check-ins",
        number=9,
        title="Set regular check-ins",
        purpose="Take a few minutes each week to talk about how things are between you.",
        instructions=(
            "1. Choose a set time each week when you are both fairly relaxed.\n"
            "2. Each of you answers three questions on your own first: What went well "
            "between us this week? What felt off? What support would help me next week?\n"
            "3. Your answers are shown to both of you once you have both answered.\n"
            "4. Sit down together and take turns talking them through, without interrupting.\n"
            "5. Agree on one small thing each of you will do for the other in the coming "
            "week.\n"
            "6. Keep it short and kind: a tune-up, not a verdict."
        ),
        suggested_cadence="weekly",
        situations=(
            "communication_breakdown",
            "unaddressed_conflict",
            "external_stressors",
            "broken_trust",
            "major_life_changes",
        ),
        reveal_together=True,
    ),
    BuiltinExercise(
        slug="shared-goals",
        number=10,
        title="Create shared goals",
        purpose="Choose one goal to work towards together as a team.",
        instructions=(
            "1. Each of you writes down two or three things you would love to do or build "
            "together: a trip, a room to redo, something to save up for.\n"
            "2. Your ideas are shown to both of you once you have both finished.\n"
            "3. Sit down together, compare, and pick one goal you both feel good about.\n"
            "4. Break it into first steps and agree who does what, and by when.\n"
            "5. Put the first step in your calendar and take it within the next two weeks.\n"
            "6. Share which goal you chose, and how it is going, at your next session."
        ),
        suggested_cadence="once",
        situations=("loss_of_shared_identity", "major_life_changes"),
        reveal_together=True,
    ),
    BuiltinExercise(
        slug="limit-distractions",
        number=11,
        title="Limit digital distractions",
        purpose="Keep one time each day free of screens so you can give each other your "
        "full attention.",
        instructions=(
            "1. Agree on one screen-free time each day, such as dinner or the half hour "
            "before sleep.\n"
            "2. Put your phones on silent in another room and switch off the TV.\n"
            "3. Use the time to talk, eat, play a game or simply sit together.\n"
            "4. If a call really cannot wait, say so, keep it brief and come back.\n"
            "5. Go easy on each other if one of you slips; just start again the next day."
        ),
        suggested_cadence="daily",
        situations=("communication_breakdown", "external_stressors", "loss_of_shared_identity"),
        reveal_together=False,
    ),
    BuiltinExercise(
        slug="laugh-together",
        number=12,
        title="Laugh together",
        purpose="Set aside time each week simply to have fun and laugh together.",
        instructions=(
            "1. Once a week, pick something light to share: a comedy, a silly game or a box "
            "of old photos.\n"
            "2. Take turns choosing, so you both get to share what makes you laugh.\n"
            "3. Tell each other about a funny moment from your time together.\n"
            "4. Keep it gentle: no jokes at each other's expense.\n"
            "5. Notice how you feel afterwards and mention it in your check-in."
        ),
        suggested_cadence="weekly",
        situations=("unaddressed_conflict", "external_stressors", "major_life_changes"),
        reveal_together=False,
    ),
)

# ---------------------------------------------------------------------------
# Signs of distance self-check (the ten signs of disconnection)
# ---------------------------------------------------------------------------

SIGNS: tuple[tuple[str, str], ...] = (
    ("withholding_feelings", "I kept my feelings to myself instead of sharing them."),
    ("lack_of_curiosity", "We showed little interest in each other's day, plans or worries."),
    ("avoiding_conflict", "I let a problem slide rather than talk it through."),
    ("diminished_intimacy", "Affection or physical closeness between us felt forced or missing."),
    ("separate_lives", "We spent most of our free time apart."),
    ("surface_conversations", "Our conversations stayed on chores, schedules and logistics."),
    ("lonely_together", "I felt lonely even when we were in the same room."),
    ("indifference", "My partner's good or hard news left me feeling flat."),
    ("avoiding_future", "Talking about plans for our future felt awkward or not worth it."),
    ("resentment", "Frustration came out sideways, as sarcasm, criticism or going cold."),
)

SIGN_RATINGS: tuple[tuple[str, str, int], ...] = (
    ("rarely", "Rarely", 0),
    ("sometimes", "Sometimes", 1),
    ("often", "Often", 2),
)

SIGNS_EXERCISE = BuiltinExercise(
    slug="signs-self-check",
    number=13,
    title="Signs of distance self-check",
    purpose="A short, private look at how connected you have felt over the last two weeks.",
    instructions=(
        "1. Find a few quiet minutes on your own.\n"
        "2. Read each statement and think back over the last two weeks only.\n"
        "3. Choose Rarely, Sometimes or Often, whichever fits best. Go with your first "
        "honest answer; there are no right or wrong ones.\n"
        "4. Only your counselor sees your answers. Your partner will not see them.\n"
        "5. Doing this every two weeks helps you and your counselor see how things are "
        "changing over time."
    ),
    suggested_cadence="biweekly",
    situations=tuple(key for key in SITUATIONS if key != "harm"),
    reveal_together=False,
)

# ---------------------------------------------------------------------------
# Private safety screen (asked of each partner individually)
# ---------------------------------------------------------------------------

SAFETY_SCREEN_INTRO: str = (
    "This is a short, private set of questions your counselor asks everyone they work "
    "with. Your answers go only to your counselor and the clinical team who supports "
    "them. Your partner will never see them, and nothing in the app will show them that "
    "you answered."
)

SAFETY_PRIVACY_QUESTION: str = (
    "Are you somewhere private right now, where no one else can see your screen?"
)

SAFETY_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("afraid", "In the last few weeks, has anyone at home made you feel afraid?"),
    ("threatened", "In the last few weeks, has anyone at home threatened you?"),
    (
        "controlled",
        "In the last few weeks, has anyone at home tried to control where you go, who you "
        "see or your money?",
    ),
    (
        "hurt",
        "In the last few weeks, has anyone at home hurt you physically, or pushed, hit or "
        "forced you?",
    ),
)

SAFETY_ANSWERS: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("no", "No"),
    ("prefer_not_to_say", "Prefer not to say"),
)

SAFETY_FREE_TEXT_LABEL: str = "Anything else you would like your counselor to know? (Optional.)"

# Who reads the screen's answers and note: the same people the intro names.
SAFETY_AUDIENCE: str = "Your counselor and their clinical team only"

SAFETY_DEFERRED_MESSAGE: str = (
    "That is completely fine. No answers have been kept. We will ask again another time, "
    "when it suits you better."
)

SAFETY_PAGE_TEXT: str = (
    "Thank you for telling us. Your counselor will get in touch with you privately, in a "
    "way that is safe for you. If you ever need help straight away, the emergency number "
    "and a free, confidential hotline are shown on this page. If you need to leave this "
    "page quickly, tap the quick exit button at any time."
)

# ---------------------------------------------------------------------------
# Shared homework and check-ins
# ---------------------------------------------------------------------------

NEUTRAL_PAUSE_MESSAGE: str = (
    "Your counselor has paused shared homework for now, so it needs nothing from you. "
    "They'll talk it through with you at your next session."
)

CHECKIN_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("done", "I did it"),
    ("partly", "Partly"),
    ("not_this_time", "Not this time"),
)

CLOSENESS_HELP: str = (
    "Think about how things feel between you today. 1 means very far apart, 10 means as "
    "close as you would like to be. Go with your first instinct; there is no right number, "
    "and it is normal for it to go up and down."
)
