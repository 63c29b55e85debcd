// The static search page: pagefind's bundle, facet filters with counts, and the query and
// filters kept in the URL (?q=...&service=...) so a search can be shared. With several words,
// retros having all of them come first; when they are fewer than a page, those with some of
// them follow, labelled partial (as `hindsight search` does). The "find similar incidents"
// mode (?mode=similar) ranks retros against pasted text (similar.js).
import { findSimilar } from "./similar.js";

const FACETS = [
  ["service", "Service"],
  ["failure_mode", "Failure mode"],
  ["severity", "Severity"],
  ["factor", "Contributing factor"],
  ["team", "Team"],
  ["year", "Year"],
];
const PAGE_SIZE = 10;

const container = document.getElementById("search");
const root = container.dataset.root;
const input = document.getElementById("search-input");
const status = container.querySelector(".search-status");
const filtersBox = container.querySelector(".search-filters");
const resultsList = container.querySelector(".search-results");
const partialSection = container.querySelector(".partial-matches");
const partialList = container.querySelector(".partial-results");
const similarList = container.querySelector(".similar-results");
const wordsForm = container.querySelector(".search-form");
const similarForm = container.querySelector(".similar-form");
const similarInput = document.getElementById("similar-input");
const pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
await pagefind.options({ excerptLength: 24 });
// A very large library is split into several pagefind indexes; their results are merged here.
for (const dir of (container.dataset.merge || "").split(" ").filter(Boolean)) {
  await pagefind.mergeIndex(new URL(`../${dir}/`, import.meta.url).href);
}
// Loading every filter once makes later searches report counts for all of them, not only the
// filters in use.
const allFilters = await pagefind.filters();

const state = readUrl();
input.value = state.q;
let generation = 0;

function readUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const [key] of FACETS) {
    const values = params.getAll(key);
    if (values.length) filters[key] = values;
  }
  return { q: params.get("q") || "", filters, mode: params.get("mode") === "similar" ? "similar" : "words" };
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.mode === "similar") params.set("mode", "similar");
  if (state.q) params.set("q", state.q);
  for (const [key, values] of Object.entries(state.filters)) values.forEach((v) => params.append(key, v));
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function pagefindFilters() {
  const filters = {};
  for (const [key, values] of Object.entries(state.filters)) if (values.length) filters[key] = { any: values };
  return filters;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderFilters(counts) {
  filtersBox.replaceChildren();
  for (const [key, label] of FACETS) {
    const values = counts[key] || {};
    const selected = state.filters[key] || [];
    const names = Object.keys(values).filter((v) => values[v] > 0 || selected.includes(v));
    if (!names.length) continue;
    names.sort((a, b) => (key === "year" ? b.localeCompare(a) : values[b] - values[a] || a.localeCompare(b)));
    const group = element("fieldset", "facet-group");
    group.append(element("legend", "", label));
    for (const name of names) {
      const row = element("label", "facet-option");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = key;
      box.value = name;
      box.checked = selected.includes(name);
      box.addEventListener("change", () => {
        const current = new Set(state.filters[key] || []);
        box.checked ? current.add(name) : current.delete(name);
        state.filters[key] = [...current];
        if (!current.size) delete state.filters[key];
        run();
      });
      row.append(box, ` ${name} `, element("span", "count", String(values[name] || 0)));
      group.append(row);
    }
    filtersBox.append(group);
  }
}

// A result's date, severity, services and linked title.
function resultItem(className, { date, severity, services, title, url }) {
  const item = element("li", `retro-item ${className}`);
  const meta = element("div", "retro-meta");
  meta.append(element("time", "", date || ""));
  const chip = element("span", "chip severity", severity || "");
  const rank = /^SEV([1-4])$/.exec(severity || "");
  chip.classList.add(rank ? `sev-${rank[1]}` : "sev-other");
  meta.append(" ", chip, " ", element("span", "services", services || ""));
  const link = element("a", "retro-title", title || url);
  link.href = root + url;
  item.append(meta, link);
  return item;
}

function renderResult(data) {
  const { date, severity, services, title } = data.meta;
  const item = resultItem("search-result", { date, severity, services, title, url: data.raw_url });
  if (data.meta.summary) item.append(element("p", "retro-summary", data.meta.summary));
  if (state.q) {
    // pagefind escapes the excerpt's text; its only markup is <mark> around matched words.
    const excerpt = element("p", "excerpt");
    excerpt.innerHTML = data.excerpt;
    item.append(excerpt);
  }
  return item;
}

async function run() {
  const mine = ++generation;
  writeUrl();
  showMode();
  if (state.mode === "similar") return;
  const hasFilters = Object.keys(state.filters).length > 0;
  partialSection.hidden = true;
  partialList.replaceChildren();
  if (!state.q && !hasFilters) {
    renderFilters(allFilters);
    resultsList.replaceChildren();
    status.textContent = "Type symptoms, error messages or service names, or pick a filter.";
    return;
  }
  const search = await pagefind.search(pagefindQuery(state.q) || null, { filters: pagefindFilters(), sort: state.q ? undefined : { date: "desc" } });
  if (mine !== generation || !search) return;
  renderFilters(search.filters);
  resultsList.replaceChildren();
  const full = await labelledFirst(search.results);
  if (mine !== generation) return;
  const partial = full.length < PAGE_SIZE ? await partialMatches(full, mine) : [];
  if (partial === null || (await showMore(resultsList, full, 0, mine, PAGE_SIZE)) === null) return;
  if (partial.length && (await showMore(partialList, partial, 0, mine, PAGE_SIZE - full.length)) === null) return;
  partialSection.hidden = !partial.length;
  // Lets tests (and curious readers) see which search the list on screen belongs to.
  container.dataset.shown = location.search;
  const found = (n, what) => `${n} retro${n === 1 ? "" : "s"} ${what}`;
  if (!full.length && !partial.length) status.textContent = "No retro matches. Try fewer words or remove a filter.";
  else if (!partial.length) status.textContent = `${found(full.length, "found")}.`;
  else if (!full.length) status.textContent = `No retro has all the words; ${found(partial.length, "match")} some of them.`;
  else status.textContent = `${found(full.length, "found")}, and ${partial.length} more with some of the words.`;
}

// The filters whose values are labels a query may name: their names, or an alias of one
// (`alias` is no facet on screen; the build files each retro under its labels' aliases).
const LABELS = ["failure_mode", "service", "factor", "team", "alias"];
const asWords = (text) => text.toLowerCase().replace(/[-_\s]+/g, " ").trim();

// When the query names a label (`retry-storm`, "retry storm", "payments api") or one of its
// aliases ("cert expired"), the retros that carry it come first, as in `hindsight search`,
// whatever their text's score.
async function labelledFirst(results) {
  const words = asWords(state.q);
  const key = words && LABELS.find((k) => Object.keys(allFilters[k] || {}).some((v) => asWords(v) === words));
  if (!key) return results;
  const value = Object.keys(allFilters[key]).find((v) => asWords(v) === words);
  const labelled = await pagefind.search(null, { filters: { [key]: value } });
  const ids = new Set((labelled?.results || []).map((result) => result.id));
  return [...results.filter((r) => ids.has(r.id)), ...results.filter((r) => !ids.has(r.id))];
}

// The query for pagefind: a label written with hyphens (`retry-storm`, `payments-api`) as words,
// since pagefind reads `-storm` as "without storm", and labels are indexed as words.
function pagefindQuery(q) {
  return q.replace(/([\p{L}\p{N}]{2})-(?=[\p{L}\p{N}]{2})/gu, "$1 ");
}

// Retros with some but not all of the query's words, best first: one pagefind search per word
// (whose index chunks the full search has already loaded), each retro scored by the sum of its
// words' scores, as `hindsight search` ranks any-word matches. Quoted phrases and exclusions
// are taken as written: no partial matches for them.
async function partialMatches(full, mine) {
  const query = pagefindQuery(state.q);
  const words = [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))];
  if (words.length < 2 || /["-]/.test(query)) return [];
  const searches = await Promise.all(words.map((word) => pagefind.search(word, { filters: pagefindFilters() })));
  if (mine !== generation) return null;
  const fullIds = new Set(full.map((result) => result.id));
  const scored = new Map();
  for (const result of searches.flatMap((search) => search?.results || [])) {
    if (fullIds.has(result.id)) continue;
    const entry = scored.get(result.id) || { result, score: 0 };
    entry.score += result.score;
    scored.set(result.id, entry);
  }
  return [...scored.values()].sort((a, b) => b.score - a.score).map((entry) => entry.result);
}

// Loads result data a page at a time: each result's data is a separate fetch, so a query
// costs the index chunks of its words plus ten small fragments, not every match.
async function showMore(list, results, from, mine, size) {
  const page = await Promise.all(results.slice(from, from + size).map((r) => r.data()));
  if (mine !== generation) return null;
  list.querySelector(".show-more")?.remove();
  list.append(...page.map(renderResult));
  const shown = from + page.length;
  if (shown < results.length) {
    const item = element("li", "show-more");
    const button = element("button", "", `Show ${Math.min(PAGE_SIZE, results.length - shown)} more`);
    button.type = "button";
    button.addEventListener("click", () => showMore(list, results, shown, generation, PAGE_SIZE));
    item.append(button);
    list.append(item);
  }
  return shown;
}

// Shows the form, filters and lists of the mode in use.
function showMode() {
  const similar = state.mode === "similar";
  for (const radio of container.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === state.mode;
  wordsForm.hidden = similar;
  filtersBox.hidden = similar;
  resultsList.hidden = similar;
  similarForm.hidden = !similar;
  similarList.hidden = !similar;
  if (similar) {
    partialSection.hidden = true;
    if (!similarList.childElementCount) status.textContent = "Paste text and press “Find similar incidents”.";
  }
}

let similarRuns = 0;

async function runSimilar() {
  const text = similarInput.value;
  const mine = ++generation;
  if (!text.trim()) {
    similarList.replaceChildren();
    status.textContent = "Paste text and press “Find similar incidents”.";
    return;
  }
  status.textContent = "Looking for similar incidents…";
  let hits;
  try {
    hits = await findSimilar(text, PAGE_SIZE);
  } catch (error) {
    status.textContent = `Similar incidents could not be loaded (${error.message}). Try again, or search with words.`;
    return;
  }
  if (mine !== generation) return;
  similarList.replaceChildren(...hits.map((hit) => {
    const item = resultItem("similar-result", hit);
    if (hit.shared.length) item.append(element("p", "why", `Shared words: ${hit.shared.join(", ")}`));
    return item;
  }));
  status.textContent = hits.length
    ? `${hits.length} similar retro${hits.length === 1 ? "" : "s"}, most similar first.`
    : "No retro is like this text. Paste more of it: error messages, service names, symptoms.";
  // Lets tests see that the list on screen answers the last text submitted.
  container.dataset.similarRuns = String(++similarRuns);
}

for (const radio of container.querySelectorAll('input[name="mode"]')) {
  radio.addEventListener("change", () => {
    state.mode = radio.value;
    run();
  });
}

similarForm.addEventListener("submit", (event) => {
  event.preventDefault();
  runSimilar();
});

// Ctrl+Enter (or ⌘+Enter) in the text box finds similar incidents without leaving it.
similarInput.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    runSimilar();
  }
});

wordsForm.addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = input.value.trim();
  run();
});

let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    state.q = input.value.trim();
    run();
  }, 150);
});
run();
