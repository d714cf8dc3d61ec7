"""`OpenAIPolicy` against a real OpenAI-compatible server that the test starts on 127.0.0.1: `transformers serve` (transformers'
own FastAPI server) serving a small trained model. No server of rro's own; the only thing between the two in one test is a
TCP relay that drops connections, to see them retried."""
import json, os, re, shutil, socket, subprocess, sys, threading, time, urllib.request
from pathlib import Path
from dataclasses import replace
import pytest
from rro.pipeline import PROFILES, env_tasks, expert_chats, base_model
from rro.policy import HFPolicy, GenerationConfig, conversation
from rro.rollout import Ledger, run_episodes
from rro.serving import OpenAIPolicy, ServerError, action_regex
from rro.train import train_sft

P = PROFILES["smoke"]
P = replace(P, tiny=replace(P.tiny, max_position_embeddings=2048))  # every prompt here fits, so nothing is cut differently

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def wait_for(url: str, proc, timeout: float = 180):
    t0 = time.time()
    while time.time() - t0 < timeout:
        assert proc.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(url, timeout=2): return
        except OSError: time.sleep(0.5)
    raise TimeoutError(url)

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    "A small SFT model on WebShop, and `transformers serve` serving it (its generation_config samples, so that seeds matter)."
    root = tmp_path_factory.mktemp("serve")
    env, train, test = env_tasks("webshop", P)
    chats = expert_chats("webshop", env, train, root)
    model = root/"sft"
    train_sft(base_model(P, {"webshop": chats}, root), chats, model, P.sft)
    cfg = json.loads((model/"generation_config.json").read_text())
    (model/"generation_config.json").write_text(json.dumps({**cfg, "do_sample": True}))  # transformers serve samples only then
    port = free_port()
    cli = Path(sys.executable).with_name("transformers")  # the venv's own, on the PATH or not
    proc = subprocess.Popen([str(cli) if cli.exists() else shutil.which("transformers"), "serve", str(model), "--host", "127.0.0.1", "--port", str(port),
                             "--device", "cpu", "--dtype", "float32"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", proc)
        yield env, test, str(model), f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate(); proc.wait(30)

def convs(env, tasks):
    "First and second turns of WebShop episodes: prompts of two lengths."
    out = []
    for t in tasks:
        e = env.fork(); e.reset(t)
        out.append(conversation(t, []))
        from rro.core import Step
        out.append(conversation(t, [Step(f"search[{t.instruction}]", e.step(f"search[{t.instruction}]")[0], thought="I will search.")]))
    return out

def test_greedy_replies_and_counts_equal_hfpolicy(served):
    env, test, model, url = served
    cs, gen = convs(env, test[:4]), GenerationConfig(max_new_tokens=48)
    local = HFPolicy(model).generate(cs, gen)
    remote = OpenAIPolicy(model, url).generate(cs, gen)
    assert [o[0].text for o in remote] == [o[0].text for o in local]
    assert any(o[0].text for o in local)  # the replies say something
    assert [o[0].prompt_tokens for o in remote] == [o[0].prompt_tokens for o in local]
    assert [o[0].generated_tokens for o in remote] == [o[0].generated_tokens for o in local]

def test_n_and_seed_as_documented(served):
    "n samples per conversation, each its own request with its own seed: the same call gives the same samples, another seed others."
    env, test, model, url = served
    pol = OpenAIPolicy(model, url, concurrency=1)  # transformers serve's seed is its process's: one request at a time
    cs = convs(env, test[:2])
    gen = GenerationConfig(n=3, temperature=1.0, max_new_tokens=24, seed=5)
    a, b = pol.generate(cs, gen), pol.generate(cs, gen)
    assert [len(o) for o in a] == [3] * len(cs)
    assert [[c.text for c in o] for o in a] == [[c.text for c in o] for o in b]
    assert len({c.text for o in a for c in o}) > 1  # samples, not copies of one reply
    other = pol.generate(cs, GenerationConfig(n=3, temperature=1.0, max_new_tokens=24, seed=6))
    assert [[c.text for c in o] for o in other] != [[c.text for c in o] for o in a]

def test_the_ledger_counts_what_the_server_reports(served):
    "run_episodes' ledger against the `usage` of every response as it crossed the wire."
    import httpx, openai
    env, test, model, url = served
    seen = []
    def record(response):
        response.read()
        if response.request.url.path.endswith("/chat/completions"): seen.append(json.loads(response.content)["usage"])
    pol = OpenAIPolicy(model, url)
    pol.client = openai.OpenAI(base_url=url, api_key="EMPTY", http_client=httpx.Client(event_hooks={"response": [record]}))
    led = Ledger()
    run_episodes(pol, env, test[:3], GenerationConfig(max_new_tokens=32), max_steps=3, ledger=led, progress=False)
    assert led.completions == len(seen) > 0
    assert led.generated_tokens == sum(u["completion_tokens"] for u in seen)
    assert led.prompt_tokens == sum(u["prompt_tokens"] for u in seen)

class DroppingRelay:
    "A TCP relay to the server that closes the first `drop` connections at once, and forwards the others."
    def __init__(self, target_port: int, drop: int):
        self.target, self.drop, self.dropped, self.forwarded = target_port, drop, 0, 0
        self.sock = socket.socket(); self.sock.bind(("127.0.0.1", 0)); self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
    def _accept(self):
        while True:
            try: c, _ = self.sock.accept()
            except OSError: return
            if self.dropped < self.drop:
                self.dropped += 1; c.recv(65536); c.close(); continue  # read the request, answer nothing
            self.forwarded += 1
            s = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((c, s), (s, c)): threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()
    @staticmethod
    def _pipe(a, b):
        try:
            while (data := a.recv(65536)): b.sendall(data)
        except OSError: pass
        finally:
            for x in (a, b):
                try: x.shutdown(socket.SHUT_RDWR)
                except OSError: pass

def test_a_dropped_connection_is_retried(served):
    env, test, model, url = served
    relay = DroppingRelay(int(url.split(":")[2].split("/")[0]), drop=2)
    pol = OpenAIPolicy(model, f"http://127.0.0.1:{relay.port}/v1", max_retries=3, concurrency=1)
    (o,), = pol.generate(convs(env, test[:1])[:1], GenerationConfig(max_new_tokens=16))
    assert relay.dropped == 2 and relay.forwarded >= 1 and o.generated_tokens > 0

def test_an_unreachable_server_is_a_clear_error(served):
    env, test, model, _ = served
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(ServerError, match=re.escape(f"cannot reach {url} after 2 tries")):
        OpenAIPolicy(model, url, max_retries=1).generate(convs(env, test[:1])[:1], GenerationConfig(max_new_tokens=8))
    with pytest.raises(ServerError, match="has no structured outputs"):  # transformers serve cannot constrain: said, not ignored
        OpenAIPolicy(model, served[3]).generate(convs(env, test[:1])[:1], GenerationConfig(constrain_actions=True), [["click[Buy Now]"]])

def test_the_action_regex_accepts_what_the_token_grammar_writes(served):
    "Every reply HFPolicy writes under the grammar is a full match of the regex a server would be given."
    env, test, model, _ = served
    pol, tasks = HFPolicy(model), test[:6]
    envs = [env.fork() for _ in tasks]
    for e, t in zip(envs, tasks): e.reset(t)
    cs, acts = [conversation(t, []) for t in tasks], [e.valid_actions() for e in envs]
    outs = pol.generate(cs, GenerationConfig(max_new_tokens=320, constrain_actions=True, n=2, temperature=1.0), valid_actions=acts)
    replies = [(c.text, a) for o, a in zip(outs, acts) for c in o if c.token_ids[-1] in pol.stops]  # those not cut at the limit
    assert len(replies) >= 8, len(replies)
    assert all(re.fullmatch(action_regex(a), r) for r, a in replies), [r for r, a in replies if not re.fullmatch(action_regex(a), r)]
