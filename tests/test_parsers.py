"""The reply and action parsers: linear in the reply's length, and the same answers as the regular expressions they
replace (WebShop's own `(.+)\\[(.+)\\]`, the ```` ``` ```` fence pattern, the `^\\s*Action\\s*:` label) on random text."""
import random, re, time
import pytest
from rro.core import parse_react, ParsedOutput
from rro.envs.sql import parse_sql_action, first_statement
from rro.envs.webshop.env import parse_webshop_action

WEBSHOP_RE = re.compile(r"(.+)\[(.+)\]")  # web_agent_site/envs/web_agent_text_env.py
FENCE_RE = re.compile(r"```(?:sql|mysql)?\s*\n?(.*?)```", re.S | re.I)  # the pattern parse_sql_action used before
ACTION_RE, THOUGHT_RE = re.compile(r"^\s*Action\s*:", re.I | re.M), re.compile(r"^\s*Thought\s*:\s*", re.I)

def random_texts(alphabet, n=20_000, longest=14, seed=0):
    rng = random.Random(seed)
    for _ in range(n): yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))

def test_webshop_parse_is_webshops_regex():
    for s in random_texts(["[", "]", "a", "B", "\n", " ", "search", "click", "[x]"]):
        m = WEBSHOP_RE.match(s)
        assert parse_webshop_action(s) == ((m.group(1), m.group(2).lower()) if m else (s, None)), repr(s)

def old_sql_parse(action):
    m = FENCE_RE.search(action)
    text = (m.group(1) if m else action).strip()
    if text.rstrip(";").strip().lower() == "submit": return "submit", ""
    stmt = first_statement(text)
    return ("sql", stmt) if stmt else ("invalid", "the action is empty")

def test_sql_fence_is_the_old_pattern():
    for s in random_texts(["`", "```", "sql", "SQL", "mysql", "\n", " ", "\t", "x", ";", "submit", "SELECT 1"], longest=10):
        assert parse_sql_action(s) == old_sql_parse(s), repr(s)

def old_react(text):
    marks = list(ACTION_RE.finditer(text))
    if not marks: return ParsedOutput(THOUGHT_RE.sub("", text.strip()), "", "no 'Action:' line in the agent output")
    m = marks[-1]
    thought = THOUGHT_RE.sub("", text[:m.start()].strip()).strip()
    action = text[m.end():].strip()
    if not action: return ParsedOutput(thought, "", "the 'Action:' line is empty")
    return ParsedOutput(thought, action)

def test_react_labels_are_the_old_pattern():
    for s in random_texts(["Action", "action", ":", " ", "\n", "\t", "\x0c", "\r", "Thought", "x"], longest=10):
        assert parse_react(s) == old_react(s), repr(s)

@pytest.mark.parametrize("c", list("\n [](`;:'aA\t") + ["Action:", "```sql\n", "search["])
def test_a_megabyte_of_one_character_parses_at_once(c):
    # a guard against quadratic parsing (those took seconds at 40,000 characters), not a speed target:
    # reproduce/bench_hostile.py --parsers measures the time
    text = (c * (1_000_000 // len(c) + 1))[:1_000_000]
    t = time.perf_counter()
    for s in (text, "Action: " + text, "```sql" + text, "search[" + text):
        parse_react(s); parse_sql_action(s); parse_webshop_action(s)
    assert time.perf_counter() - t < 2.0
