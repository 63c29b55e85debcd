// The static search page: pagefind's bundle, facet filters with counts, and the query and
// filters kept in the URL (?q=...&service=...) so a search can be shared.
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
  return { q: params.get("q") || "", filters };
}

function writeUrl() {
  const params = new URLSearchParams();
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

function renderResult(data) {
  const item = element("li", "retro-item search-result");
  const meta = element("div", "retro-meta");
  meta.append(element("time", "", data.meta.date || ""));
  const severity = element("span", "chip severity", data.meta.severity || "");
  const rank = /^SEV([1-4])$/.exec(data.meta.severity || "");
  severity.classList.add(rank ? `sev-${rank[1]}` : "sev-other");
  meta.append(" ", severity, " ", element("span", "services", data.meta.services || ""));
  const link = element("a", "retro-title", data.meta.title || data.raw_url);
  link.href = root + data.raw_url;
  item.append(meta, link);
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
  const hasFilters = Object.keys(state.filters).length > 0;
  if (!state.q && !hasFilters) {
    renderFilters(allFilters);
    resultsList.replaceChildren();
    status.textContent = "Type symptoms, error messages or service names, or pick a filter.";
    return;
  }
  const search = await pagefind.search(state.q || null, { filters: pagefindFilters(), sort: state.q ? undefined : { date: "desc" } });
  if (mine !== generation || !search) return;
  renderFilters(search.filters);
  resultsList.replaceChildren();
  const shown = await showMore(search.results, 0, mine);
  if (shown === null) return;
  // Lets tests (and curious readers) see which search the list on screen belongs to.
  container.dataset.shown = location.search;
  status.textContent = search.results.length
    ? `${search.results.length} retro${search.results.length === 1 ? "" : "s"} found.`
    : "No retro matches. Try fewer words or remove a filter.";
}

// Loads result data a page at a time: each result's data is a separate fetch, so a query
// costs the index chunks of its words plus ten small fragments, not every match.
async function showMore(results, from, mine) {
  const page = await Promise.all(results.slice(from, from + PAGE_SIZE).map((r) => r.data()));
  if (mine !== generation) return null;
  resultsList.querySelector(".show-more")?.remove();
  resultsList.append(...page.map(renderResult));
  const shown = from + page.length;
  if (shown < results.length) {
    const item = element("li", "show-more");
    const button = element("button", "", `Show ${Math.min(PAGE_SIZE, results.length - shown)} more`);
    button.type = "button";
    button.addEventListener("click", () => showMore(results, shown, generation));
    item.append(button);
    resultsList.append(item);
  }
  return shown;
}

container.querySelector(".search-form").addEventListener("submit", (event) => {
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
