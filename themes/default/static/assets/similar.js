// "Find similar incidents" on plain static hosting: ranks the library's retros against pasted
// text the way `hindsight similar -` does (src/similar/), from the term statistics the build
// writes under similar/ (src/search/terms.rs). Only the files a text needs are fetched: the
// shards its words fall in, the inverted lists of its best words, the chunks of the retros shown.
const base = new URL("../similar/", import.meta.url);
const files = new Map();
const MAX_PASTE = 1 << 20;
const utf8 = new TextEncoder();
let manifest;

async function loadManifest() {
  // The one file whose name does not change between builds: always revalidated.
  manifest ??= fetch(new URL("manifest.json", base), { cache: "no-cache" }).then((response) => {
    if (!response.ok) throw new Error(`similar/manifest.json: HTTP ${response.status}`);
    return response.json();
  });
  const loaded = await manifest;
  if (loaded.schema !== 2) throw new Error(`similar/manifest.json: unknown schema ${loaded.schema}`);
  return loaded;
}

// A gzipped JSON file, named by its content hash (so the browser may keep it for good).
function load(m, kind, number) {
  const key = `${kind}-${number}`;
  if (!files.has(key)) {
    const hash = { words: "words", postings: "postings", retros: "chunks" }[kind];
    const url = new URL(`${kind}-${number}-${m[hash][number]}.bin`, base);
    files.set(key, fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      const text = await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).text();
      return JSON.parse(text);
    }));
  }
  return files.get(key);
}

// FNV-1a (32 bits) of the word's UTF-8 bytes: the shard the build put it in (terms.rs shard_of).
function shardOf(word, count) {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(word)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % count;
}

// Words as the build counted them (similar::terms::analyzer): tantivy's simple tokenizer, words
// of 30 bytes or more dropped as written, then tantivy's lower-caser, which lower-cases each
// character alone. Lower-casing the whole text first would differ: "ΟΔΟΣ" would end in the final
// sigma "ς" (the build writes "σ"), and "İstanbul" would be split at the combining dot its "i"
// gains. Stop words, short words and numbers are not in the library's word list, so looking
// them up drops them. Exported for tests/browser/words.mjs.
const MAX_WORD_BYTES = 30;
export function wordCounts(text) {
  const counts = new Map();
  for (const written of text.split(/[^\p{Alphabetic}\p{N}]+/u)) {
    if (utf8.encode(written).length >= MAX_WORD_BYTES) continue;
    const word = Array.from(written, (c) => c.toLowerCase()).join("");
    if (word) counts.set(word, (counts.get(word) || 0) + 1);
  }
  return counts;
}

const byBytes = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// The text's terms (the stems its words fold into, as the build folded the library's words),
// with their counts, how many retros use each, and the first word of the text written for each:
// {term: [count, df, word]}. A word no retro writes is left out (the CLI stems it anyway: see
// src/search/terms.rs).
async function textTerms(text, m) {
  const counts = wordCounts(text);
  const wanted = new Set([...counts.keys()].map((w) => shardOf(w, m.words.length)));
  const shards = new Map(await Promise.all([...wanted].map(async (s) => [s, await load(m, "words", s)])));
  const terms = new Map();
  for (const [word, count] of counts) {
    const shard = shards.get(shardOf(word, m.words.length));
    if (!Object.hasOwn(shard, word)) continue;
    const [term, df] = shard[word];
    const seen = terms.get(term);
    terms.set(term, seen ? [seen[0] + count, df, seen[2]] : [count, df, word]);
  }
  return terms;
}

// The text's best terms by TF-IDF, as a unit vector: [[term, weight, word], …] (similar::Vocabulary::weigh).
async function textVector(text, m) {
  const weighted = [];
  for (const [term, [count, df, word]] of await textTerms(text, m)) {
    // Smoothed idf, as similar::Vocabulary::weigh has it.
    weighted.push([term, (1 + Math.log(count)) * (Math.log((m.retros + 1) / (df + 1)) + 1), word]);
  }
  weighted.sort((a, b) => b[1] - a[1] || byBytes(a[0], b[0]));
  weighted.length = Math.min(weighted.length, m.keywords);
  const norm = Math.max(Math.hypot(...weighted.map(([, w]) => w)), Number.EPSILON);
  return weighted.map(([term, w, word]) => [term, w / norm, word]).sort((a, b) => byBytes(a[0], b[0]));
}

/// Up to `limit` retros like `text`, best first: {id, title, date, severity, services, url,
/// score, shared}, `shared` being the (at most three) words of the text that weigh most in both.
export async function findSimilar(text, limit) {
  const m = await loadManifest();
  // `hindsight similar -` reads a paste up to its first MiB; so does the page.
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_PASTE) text = new TextDecoder().decode(bytes.subarray(0, MAX_PASTE));
  const vector = await textVector(text, m);
  const lists = await Promise.all(vector.map(async ([term]) => {
    const shard = await load(m, "postings", shardOf(term, m.postings.length));
    return Object.hasOwn(shard, term) ? shard[term] : [];
  }));
  const dots = new Map();
  const shared = new Map();
  vector.forEach(([, weight, word], i) => {
    const list = lists[i];
    for (let j = 0; j < list.length; j += 2) {
      const product = weight * (list[j + 1] / m.weight_scale);
      dots.set(list[j], (dots.get(list[j]) || 0) + product);
      if (!shared.has(list[j])) shared.set(list[j], []);
      shared.get(list[j]).push([word, product]);
    }
  });
  // Library order is newest first, then by id: the CLI's order for equal scores.
  const best = [...dots].filter(([, dot]) => dot >= m.min_score).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit);
  return Promise.all(best.map(async ([index, score]) => {
    const chunk = await load(m, "retros", Math.floor(index / m.retros_per_chunk));
    const [id, title, date, severity, services, url] = chunk[index % m.retros_per_chunk];
    const words = shared.get(index).sort((a, b) => b[1] - a[1] || byBytes(a[0], b[0])).slice(0, 3).map(([w]) => w);
    return { id, title, date, severity, services, url, score, shared: words };
  }));
}
