"""How far is rro's search (rro.envs.webshop.search: Lucene's analyzer and BM25 rebuilt in Python) from Lucene 8.7 itself, on WebShop's search documents? (a measurement, not a test)

    apt-get install liblucene8-java   # Debian's Lucene 8.7, the major version pyserini 0.17 (WebShop's) runs on
    .venv/bin/python reproduce/compare_lucene.py [--products 1000] [--queries 200]

Indexes the same documents with Lucene's EnglishAnalyzer and BM25Similarity(0.9, 0.4) (LuceneBM25.java beside this
file) and with rro's SearchIndex, runs the test goals' instructions through both, and compares the top 50: whether
the first result agrees, how much of the top 10 and the top 50 overlap, and what the first-result agent scores
with each ranking. It also compares the terms of every document and query with those Lucene's analyzer makes
(LuceneTokens.java), and counts the queries with a decimal number in them (`40.00`), where tokenizers differ most.
"""
import argparse, glob, json, re, subprocess, sys, tempfile
from pathlib import Path
from rro.envs.webshop.env import WebShopEnv, WebShopConfig
from rro.envs.webshop.search import product_document, analyze
from rro.envs.webshop.reward import webshop_reward

HERE = Path(__file__).resolve().parent/"lucene"

def lucene_classpath() -> str:
    jars = sorted(glob.glob("/usr/share/java/lucene-core-8*.jar") + glob.glob("/usr/share/java/lucene-analyzers-common-8*.jar"))
    if len(jars) < 2: sys.exit("Lucene 8 jars not found in /usr/share/java: apt-get install liblucene8-java")
    return ":".join(jars)

def lucene_terms(texts: list) -> list:
    "Lucene's EnglishAnalyzer terms of each text."
    cp = lucene_classpath()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        subprocess.run(["javac", "-cp", cp, "-d", str(d), str(HERE/"LuceneTokens.java")], check=True)
        (d/"texts.txt").write_text("\n".join(t.replace("\n", " ") for t in texts) + "\n")
        out = subprocess.run(["java", "-cp", f"{cp}:{d}", "LuceneTokens", str(d/"texts.txt")], check=True, capture_output=True, text=True).stdout
    return [l.split() for l in out.split("\n")[:len(texts)]]

def lucene_ranks(docs: list, queries: list, k: int = 50) -> list:
    cp = lucene_classpath()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        subprocess.run(["javac", "-cp", cp, "-d", str(d), str(HERE/"LuceneBM25.java")], check=True)
        (d/"docs.tsv").write_text("\n".join(f"{i}\t{c.replace(chr(9), ' ').replace(chr(10), ' ')}" for i, c in docs) + "\n")
        (d/"queries.txt").write_text("\n".join(q.replace("\n", " ") for q in queries) + "\n")
        out = subprocess.run(["java", "-cp", f"{cp}:{d}", "LuceneBM25", str(d/"docs.tsv"), str(d/"queries.txt"), str(k)],
                             check=True, capture_output=True, text=True).stdout
    return [l.split() for l in out.splitlines()]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=1000); ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    env = WebShopEnv(WebShopConfig(n_products=args.products))
    tasks = env.tasks("test")[:args.queries]
    docs = [(p["asin"], product_document(p)) for p in env.catalogue.products]
    ours = [env.index.search(t.instruction) for t in tasks]
    theirs = lucene_ranks(docs, [t.instruction for t in tasks])
    def first_reward(ranked, t):
        if not ranked: return 0.0
        p = env.catalogue.by_asin[ranked[0]]
        return webshop_reward(p, t.data, env.catalogue.prices[p["asin"]], {}, env.nouns)[0]
    n, texts = len(tasks), [d for _, d in docs] + [t.instruction for t in tasks]
    same_terms = sum(a == b for a, b in zip(analyze(texts), lucene_terms(texts)))
    res = {"queries": n, "queries_with_decimals": sum(bool(re.search(r"\d\.\d", t.instruction)) for t in tasks),
           "texts_with_lucenes_terms": f"{same_terms}/{len(texts)}",
           "top1_agree": round(sum(bool(a) and bool(b) and a[0] == b[0] for a, b in zip(ours, theirs)) / n, 3),
           "overlap_at_10": round(sum(len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(ours, theirs)) / n, 3),
           "jaccard_at_50": round(sum(len(set(a) & set(b)) / max(1, len(set(a) | set(b))) for a, b in zip(ours, theirs)) / n, 3),
           "identical_top50": round(sum(a == b for a, b in zip(ours, theirs)) / n, 3),
           "goal_in_top50_ours": sum(t.data["asin"] in a for t, a in zip(tasks, ours)),
           "goal_in_top50_lucene": sum(t.data["asin"] in b for t, b in zip(tasks, theirs)),
           "first_result_reward_ours": round(100 * sum(first_reward(a, t) for a, t in zip(ours, tasks)) / n, 2),
           "first_result_reward_lucene": round(100 * sum(first_reward(b, t) for b, t in zip(theirs, tasks)) / n, 2)}
    print(json.dumps(res) if args.json else "\n".join(f"{k:28} {v}" for k, v in res.items()))

if __name__ == "__main__": main()
