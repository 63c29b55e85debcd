// Browser test of the hostile library's output: opens every page and asserts that no script from
// the content ran, no dialog opened, no marker URL was requested and nothing executable is left
// in the DOM. The theme's own scripts (site.js, search.js, actions.js, pagefind) are expected.
//   node hostile.mjs BASE_URL PAGE_LIST     PAGE_LIST: a file naming one page a line, site-relative
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const [base, pageList] = process.argv.slice(2);
const pages = readFileSync(pageList, "utf8").split("\n").filter(Boolean);
// The search page again, with queries and filters that pull hostile text into its results,
// filter list and excerpts (search.js puts pagefind's excerpt in with innerHTML).
const searches = [
  "search/index.html?q=pwned",
  "search/index.html?q=script+alert",
  "search/index.html?q=onerror",
  `search/index.html?service=${encodeURIComponent("<script>window.__pwned='service';alert('service')</script>")}`,
  `search/index.html?q=script&failure_mode=${encodeURIComponent(`"><script>window.__pwned='failure-mode';alert('failure-mode')</script>`)}`,
];
// Strings that must show as text, proving the payloads were escaped rather than dropped.
const visibleText = {
  "retros/XSS-FIELDS.html": ["<script>window.__pwned='title';alert('title')</script>", "<img src=x onerror="],
  "retros/XSS-BREAKOUT.html": ["</textarea></noscript></style></script><script>"],
};
const THEME_SCRIPTS = ["/assets/site.js", "/assets/search.js", "/assets/actions.js"];

const TABS = 3;

const findings = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext();
// The page each tab is on, so a finding names it.
const opened = new Map();
const report = (tab, kind, detail) => findings.push(`${opened.get(tab)}: ${kind}: ${String(detail).slice(0, 300)}`);
// Injected script reports through this binding, which reaches node even if the page navigates.
await context.exposeBinding("__hostileReport", ({ page }, kind, detail) => report(page, kind, detail));
await context.addInitScript(() => {
  const send = (kind, detail) => window.__hostileReport(kind, detail);
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => send(`${name}() called`, args.join(" "));
  }
  // Every payload sets window.__pwned; a trap notices the assignment even if it is undone.
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get: () => undefined,
    set: (value) => send("window.__pwned set", value),
  });
});

try {
  // A few tabs share the pages: loading is mostly waiting, and a tab costs more to open than
  // most of these pages cost to load.
  const queue = [...pages, ...searches];
  const tabs = await Promise.all(Array.from({ length: TABS }, () => openTab()));
  await Promise.all(tabs.map(async (tab) => {
    while (queue.length) await visit(tab, queue.shift());
  }));
  if (findings.length) throw new Error(`content ran or left something executable:\n${findings.join("\n")}`);
  console.log(`hostile pages: ${pages.length + searches.length} pages clean`);
  console.log("browser hostile test: 1 passed, 0 failed");
} catch (error) {
  console.error(error.message || error);
  console.log("browser hostile test: 0 passed, 1 failed");
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function openTab() {
  const tab = await context.newPage();
  tab.on("dialog", (dialog) => {
    report(tab, "dialog opened", `${dialog.type()} ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  tab.on("pageerror", (error) => report(tab, "page error", error.message));
  tab.on("popup", (popup) => report(tab, "popup opened", popup.url()));
  tab.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("__pwned")) report(tab, "marker URL requested", request.url());
  });
  return tab;
}

async function visit(tab, path) {
  opened.set(tab, path);
  const url = new URL(path, base).href;
  const response = await tab.goto(url, { waitUntil: "load" });
  if (!response || response.status() !== 200) report(tab, "not served", response && response.status());
  if (path.includes("?")) {
    await waitForSearch(tab);
    // Each of these searches finds hostile retros, so their text is on the page.
    if (!(await tab.locator(".search-results .search-result").count())) report(tab, "search found nothing", path);
  }
  // Handlers of failed images and autofocus fire around load; give them a moment.
  await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 20)));
  for (const problem of await tab.evaluate(auditDom, THEME_SCRIPTS)) report(tab, "in the DOM", problem);
  for (const text of visibleText[path] || []) {
    const shown = await tab.evaluate((t) => document.body.innerText.includes(t), text);
    if (!shown) report(tab, "payload not shown as text", text);
  }
  if (tab.url().split("?")[0] !== url.split("?")[0]) report(tab, "navigated away", tab.url());
}

async function waitForSearch(page) {
  // search.js marks the list with the search (the URL's query string) it shows.
  await page.waitForFunction(() => document.getElementById("search")?.dataset.shown === location.search, null,
    { timeout: 15000 });
}

// Runs in the page: anything that could run script later (a handler, a script URL, a foreign
// script or frame) is reported, so payloads that need a click or a hover count too.
function auditDom(themeScripts) {
  const problems = [];
  const scriptUrl = /^(javascript|vbscript|data):/;
  const squeeze = (value) => value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag)) problems.push(`<${tag}>`);
    if (tag === "meta" && element.getAttribute("http-equiv")) problems.push(`<meta http-equiv>`);
    if (tag === "script") {
      const src = element.getAttribute("src") || "";
      const ours = src && themeScripts.some((s) => new URL(src, location.href).pathname.endsWith(s));
      if (!ours) problems.push(`<script src="${src}">${element.textContent.slice(0, 80)}`);
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`<${tag} ${name}="${attribute.value.slice(0, 80)}">`);
      const isUrl = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"].includes(name);
      if (isUrl && scriptUrl.test(squeeze(attribute.value))) problems.push(`<${tag} ${name}="${attribute.value.slice(0, 80)}">`);
      if (name === "style" && /url\(|expression/i.test(attribute.value)) problems.push(`<${tag} style="${attribute.value}">`);
    }
  }
  return problems;
}
