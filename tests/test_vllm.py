"""`VLLMPolicy` on vLLM's offline engine, where vLLM is installed and a GPU is there (`pip install 'rro[vllm]'`); skipped elsewhere,
which is every machine of this project's CI."""
import re
import pytest

vllm = pytest.importorskip("vllm")
torch = pytest.importorskip("torch")
if not torch.cuda.is_available(): pytest.skip("vLLM's engine needs a GPU", allow_module_level=True)

from rro.core import Keywords
from rro.policy import HFPolicy, GenerationConfig, build_tiny_model, TinyModelConfig, conversation, INSTRUCTIONS
from rro.core import Task
from rro.serving import VLLMPolicy, action_regex

@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return str(build_tiny_model(list(INSTRUCTIONS.values()) * 50, tmp_path_factory.mktemp("m"), TinyModelConfig(vocab_size=800)))

def test_vllm_policy_keeps_the_policy_contract(model):
    pol = VLLMPolicy(model, dtype="float32", gpu_memory_utilization=0.3)
    convs = [conversation(Task(str(i), "webshop", f"i need item {i}"), []) for i in range(6)]
    greedy = pol.generate(convs, GenerationConfig(max_new_tokens=16))
    assert [len(o) for o in greedy] == [1] * 6 and all(c.generated_tokens == len(c.token_ids) > 0 for o in greedy for c in o)
    local = HFPolicy(model, dtype="float32").generate(convs, GenerationConfig(max_new_tokens=16))
    assert [o[0].prompt_tokens for o in greedy] == [o[0].prompt_tokens for o in local]  # the same prompts
    gen = GenerationConfig(n=3, temperature=1.0, max_new_tokens=16, seed=4)
    a, b = pol.generate(convs, gen), pol.generate(convs, gen)
    assert [[c.text for c in o] for o in a] == [[c.text for c in o] for o in b] and all(len(o) == 3 for o in a)
    acts = [["click[Buy Now]", Keywords(f"i need item {i}")] for i in range(6)]
    outs = pol.generate(convs, GenerationConfig(max_new_tokens=256, constrain_actions=True), valid_actions=acts)
    assert all(re.fullmatch(action_regex(a), o[0].text) for o, a in zip(outs, acts))
