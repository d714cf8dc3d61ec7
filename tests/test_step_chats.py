"SFT demonstrations under elided prompts: one chat per step, each reply in the context the agent had when it acted."
from rro.pipeline import PROFILES, env_tasks, expert_chats, prompt_config, sft_config
from rro.policy import ELIDED, conversation
from rro.data import webshop_expert

def test_expert_step_chats_show_each_reply_its_page(tmp_path):
    p = PROFILES["smoke"]
    env, train, _ = env_tasks("webshop", p)
    prompt = prompt_config(PROFILES["mini"], "webshop")  # keep_observations=1
    chats = expert_chats("webshop", env, train[:6], tmp_path, prompt=prompt)
    trajs = [t for t in (webshop_expert(env, task) for task in train[:6]) if t.reward >= 1]
    assert len(chats) == sum(len(t.steps) for t in trajs)  # one chat per step of every kept demonstration
    k = 0
    for task, t in zip([x for x in train[:6] if webshop_expert(env, x).reward >= 1], trajs):
        for i, s in enumerate(t.steps):
            c = chats[k]; k += 1
            assert c[-1] == {"role": "assistant", "content": f"Thought: {s.thought}\nAction: {s.action}"}
            assert c[:-1] == conversation(task, t.steps[:i], prompt)  # exactly what the agent reads before step i
            if i: assert ELIDED not in c[-2]["content"]  # the page it answers is shown in full
    # an option click is trained on the product page that lists the option
    opts = [c for c in chats if c[-1]["content"].split("Action: ")[1].lower() not in ("click[buy now]",)
            and "click[b0" not in c[-1]["content"].lower() and "search[" not in c[-1]["content"]]
    assert opts and all(c[-1]["content"].split("click[")[1][:-1] in c[-2]["content"] for c in opts)

def test_whole_episode_chats_where_every_observation_is_shown(tmp_path):
    p = PROFILES["smoke"]
    env, train, _ = env_tasks("webshop", p)
    chats = expert_chats("webshop", env, train[:6], tmp_path)  # keep_observations=None: one chat per episode, every reply trained
    assert all(sum(m["role"] == "assistant" for m in c) >= 3 for c in chats)
    assert not sft_config(PROFILES["paper"], "webshop").last_reply_only and sft_config(PROFILES["mini"], "webshop").last_reply_only
