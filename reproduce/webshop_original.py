"""WebShop's released text environment (princeton-nlp/WebShop master, 64fa2a5), run from a checkout on rro's generated
catalogue, for measuring rro's WebShop against it (reproduce/compare_webshop.py). Not part of the package or its tests.

Setup (once): a checkout of WebShop's code (its `web_agent_site/` is what is used; its data is not), Java 17, Debian's
Lucene 8.7 (`apt-get install liblucene8-java`, the Lucene generation of WebShop's pyserini 0.17), and the two
packages of WebShop's requirements that its text environment really runs on:

    git clone https://github.com/princeton-nlp/WebShop /path/to/WebShop   # master at 64fa2a5
    .venv/bin/pip install flask beautifulsoup4

What WebShop imports and this measurement replaces, on its side (and the same on rro's):
- spaCy (`en_core_web_sm`, for the nouns of the type reward) by rro's noun tagger, which both sides then use;
- pyserini's `LuceneSearcher` by Lucene 8.7 itself (reproduce/lucene/LuceneBM25.java: EnglishAnalyzer, BM25(0.9, 0.4),
  queries as Anserini builds them) over the documents WebShop's `convert_product_file_format.py` writes;
- gym, clean-text and rank_bm25, imported but not used on the text environment's path, by empty modules.
Its data paths point at the generated catalogue's `items_shuffle.json`, `items_ins_v2.json` and `items_human_ins.json`.
"""
import glob, importlib.util, json, random, subprocess, sys, tempfile, types
from pathlib import Path

LUCENE = Path(__file__).resolve().parent/"lucene"

class LuceneSearcher:
    "pyserini's LuceneSearcher, as WebShop calls it (`search(q, k)`, `doc(docid).raw()`), on a Lucene 8.7 process."
    def __init__(self, products: list):
        jars = sorted(glob.glob("/usr/share/java/lucene-core-8*.jar") + glob.glob("/usr/share/java/lucene-analyzers-common-8*.jar"))
        if len(jars) < 2: sys.exit("Lucene 8 jars not found in /usr/share/java: apt-get install liblucene8-java")
        cp, self.dir = ":".join(jars), Path(tempfile.mkdtemp(prefix="webshop-lucene-"))
        subprocess.run(["javac", "-cp", cp, "-d", str(self.dir), str(LUCENE/"LuceneBM25.java")], check=True)
        lines = []
        for p in products:  # search_engine/convert_product_file_format.py
            options = ", and ".join(f"{name}: {', '.join(values)}" for name, values in p.get("options", {}).items())
            contents = " ".join([p["Title"], p["Description"], p["BulletPoints"][0], options]).lower()
            lines.append(f"{p['asin']}\t{contents.replace(chr(9), ' ').replace(chr(10), ' ')}")
        (self.dir/"docs.tsv").write_text("\n".join(lines) + "\n")
        self.proc = subprocess.Popen(["java", "-cp", f"{cp}:{self.dir}", "LuceneBM25", str(self.dir/"docs.tsv"), "-", "50"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)

    def search(self, query: str, k: int = 50):
        self.proc.stdin.write(query.replace("\n", " ") + "\n"); self.proc.stdin.flush()
        return [types.SimpleNamespace(docid=a) for a in self.proc.stdout.readline().split()[:k]]

    def doc(self, docid: str):
        return types.SimpleNamespace(raw=lambda: json.dumps({"id": docid}))

def _stub_modules(nouns):
    class Token:
        def __init__(self, text): self.text, self.pos_ = text, "NOUN"
    sys.modules["spacy"] = types.SimpleNamespace(load=lambda name: (lambda text: [Token(w) for w in nouns(text)]))
    for name in ("gym", "gym.envs", "gym.envs.registration", "cleantext", "rank_bm25", "pyserini", "pyserini.search",
                 "pyserini.search.lucene", "rich"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["gym"].Env = object
    sys.modules["rank_bm25"].BM25Okapi = object
    sys.modules["pyserini.search.lucene"].LuceneSearcher = LuceneSearcher
    if not hasattr(sys.modules["rich"], "print"): sys.modules["rich"].print = lambda *a, **k: None

def original_text_env(webshop_dir, # a checkout of WebShop's code
                      catalogue_dir, # a catalogue in WebShop's schema (rro.envs.webshop.catalogue.generate_catalogue)
                      seed: int = 0, # the seed of Python's random stream before WebShop loads: rro's catalogue and goal seed
                      human_goals: bool = False):
    "WebShop's `WebAgentTextEnv` in text mode over `catalogue_dir`, with its goals drawn from `random.seed(seed)`."
    from rro.envs.webshop.reward import noun_tagger
    _stub_modules(noun_tagger("heuristic"))
    sys.path.insert(0, str(Path(webshop_dir)))
    import web_agent_site.utils as utils
    cat = Path(catalogue_dir)
    utils.DEFAULT_FILE_PATH, utils.DEFAULT_ATTR_PATH = str(cat/"items_shuffle.json"), str(cat/"items_ins_v2.json")
    utils.HUMAN_ATTR_PATH = str(cat/"items_human_ins.json")
    import web_agent_site.engine.engine as engine
    engine.DEFAULT_FILE_PATH, engine.DEFAULT_ATTR_PATH, engine.HUMAN_ATTR_PATH = utils.DEFAULT_FILE_PATH, utils.DEFAULT_ATTR_PATH, utils.HUMAN_ATTR_PATH
    spec = importlib.util.spec_from_file_location("webshop_text_env", Path(webshop_dir)/"web_agent_site/envs/web_agent_text_env.py")
    text_env = importlib.util.module_from_spec(spec); spec.loader.exec_module(text_env)  # not envs/__init__ (selenium, gym)
    text_env.init_search_engine = lambda num_products=None: None  # the searcher is made below, over WebShop's own loaded products
    random.seed(seed)
    env = text_env.WebAgentTextEnv(observation_mode="text", file_path=utils.DEFAULT_FILE_PATH, human_goals=human_goals)
    env.server.search_engine = LuceneSearcher(env.server.all_products)
    return env
