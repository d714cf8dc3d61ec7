// Lucene 8's EnglishAnalyzer on each line of a file, for comparing rro's analysis with Lucene's (reproduce/compare_lucene.py).
// Usage: java -cp <lucene jars>:. LuceneTokens texts.txt   (one line of terms per line of text)
//        java -cp <lucene jars>:. LuceneTokens norms N     (the stored length of each field length 0..N-1: SmallFloat)
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.io.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.SmallFloat;
public class LuceneTokens {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("norms")) { for (int i = 0; i < Integer.parseInt(args[1]); i++) System.out.println(SmallFloat.byte4ToInt(SmallFloat.intToByte4(i))); return; }
    Analyzer a = new EnglishAnalyzer();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      try (TokenStream ts = a.tokenStream("contents", line)) {
        CharTermAttribute t = ts.addAttribute(CharTermAttribute.class); ts.reset();
        while (ts.incrementToken()) sb.append(t.toString()).append(' ');
        ts.end();
      }
      out.println(sb.toString().trim());
    }
    out.flush();
  }
}
