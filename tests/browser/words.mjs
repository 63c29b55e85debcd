// The words the static search page's similar mode reads in a text (similar.js wordCounts), one
// per line: the build's word list must hold them as written (tests/integration/search_static.rs).
//   node words.mjs < text
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// similar.js is an ES module with no package.json of its own, which a Node before 20.19 reads as
// CommonJS: a copy named .mjs is an ES module to every Node.
const dir = mkdtempSync(join(tmpdir(), "hindsight-words-"));
const copy = join(dir, "similar.mjs");
copyFileSync(fileURLToPath(new URL("../../themes/default/static/assets/similar.js", import.meta.url)), copy);
let wordCounts;
try {
  ({ wordCounts } = await import(pathToFileURL(copy).href));
} finally {
  rmSync(dir, { recursive: true });
}

// Decoded as a stream, so that a character split between two chunks stays whole.
process.stdin.setEncoding("utf8");
let text = "";
for await (const chunk of process.stdin) text += chunk;
for (const word of wordCounts(text).keys()) console.log(word);
