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
const { wordCounts } = await import(pathToFileURL(copy).href);
rmSync(dir, { recursive: true });

let text = "";
for await (const chunk of process.stdin) text += chunk;
for (const word of wordCounts(text).keys()) console.log(word);
