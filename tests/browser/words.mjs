// The words the static search page's similar mode reads in a text (similar.js wordCounts), one
// per line: the build's word list must hold them as written (tests/integration/search_static.rs).
//   node words.mjs < text
import { wordCounts } from "../../themes/default/static/assets/similar.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
for (const word of wordCounts(text).keys()) console.log(word);
