// Reference search for measuring rro's BM25 against Lucene (the engine behind WebShop's pyserini index).
// Usage: java -cp <lucene jars>:. LuceneBM25 docs.tsv queries.txt k > ranks.txt
//        java -cp <lucene jars>:. LuceneBM25 docs.tsv - k   (queries from standard input, one answer line each: a search server)
// docs.tsv: "<id>\t<contents>" per line; queries.txt: one query per line; output: the top-k ids of each query per line.
// Analysis: EnglishAnalyzer (standard tokenizer, possessives, lower case, Lucene's English stop words, Porter stemming).
// Scoring: BM25Similarity(k1 = 0.9, b = 0.4), pyserini's defaults. Queries are bags of words: each analysed term a
// SHOULD clause boosted by its count, as Anserini builds them.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

public class LuceneBM25 {
  public static void main(String[] args) throws Exception {
    Analyzer analyzer = new EnglishAnalyzer();
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    IndexWriterConfig cfg = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity(0.9f, 0.4f));
    try (IndexWriter w = new IndexWriter(dir, cfg)) {
      for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        Document d = new Document();
        d.add(new StringField("id", line.substring(0, tab), Field.Store.YES));
        d.add(new TextField("contents", line.substring(tab + 1), Field.Store.NO));
        w.addDocument(d);
      }
    }
    int k = Integer.parseInt(args[2]);
    IndexSearcher s = new IndexSearcher(DirectoryReader.open(dir));
    s.setSimilarity(new BM25Similarity(0.9f, 0.4f));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    BufferedReader in = args[1].equals("-") ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                                            : Files.newBufferedReader(Paths.get(args[1]), StandardCharsets.UTF_8);
    for (String q; (q = in.readLine()) != null; ) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      try (TokenStream ts = analyzer.tokenStream("contents", q)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) counts.merge(term.toString(), 1, Integer::sum);
        ts.end();
      }
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (Map.Entry<String, Integer> e : counts.entrySet())
        b.add(new BoostQuery(new TermQuery(new Term("contents", e.getKey())), e.getValue()), BooleanClause.Occur.SHOULD);
      StringBuilder line = new StringBuilder();
      if (!counts.isEmpty())
        for (ScoreDoc sd : s.search(b.build(), k).scoreDocs) line.append(s.doc(sd.doc).get("id")).append(' ');
      out.println(line.toString().trim());
      if (args[1].equals("-")) out.flush();
    }
    out.flush();
  }
}
