// Drives the static search page for benches/relevance.py (not a test: it asserts nothing).
//   node relevance.mjs BASE_URL < requests.jsonl
// Each input line is {"query": "...", "n": 10} (the words mode: full matches, then partial ones)
// or {"similar": "pasted text", "n": 5}; each output line is {"ids": [...]}, the ids of the
// first n retros the page lists, in order.
import { chromium } from "playwright-core";
import readline from "node:readline";

const [base] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage();
page.on("pageerror", (error) => console.error("page error:", error.message));
const searchPage = new URL("search/index.html", base).href;
const idOf = (href) => decodeURIComponent(href.split("/").pop().replace(/\.html$/, ""));

async function words(query, n) {
  await page.goto(`${searchPage}?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => location.search && document.getElementById("search")?.dataset.shown === location.search);
  const links = ".search-results .retro-title, .partial-results .retro-title";
  // More results than a page: press "Show more" (full matches first) until there are n.
  while ((await page.locator(links).count()) < n) {
    const more = page.locator(".show-more button").first();
    if (!(await more.count())) break;
    const before = await page.locator(links).count();
    await more.click();
    await page.waitForFunction(([selector, count]) => document.querySelectorAll(selector).length > count, [links, before]);
  }
  return (await page.locator(links).evaluateAll((as) => as.map((a) => a.getAttribute("href")))).slice(0, n).map(idOf);
}

async function similar(text, n) {
  if (!page.url().includes("mode=similar")) {
    await page.goto(`${searchPage}?mode=similar`);
    await page.waitForFunction(() => !document.querySelector(".similar-form").hidden);
  }
  const runs = await page.evaluate(() => Number(document.getElementById("search").dataset.similarRuns || 0));
  await page.fill("#similar-input", text);
  await page.click(".similar-form button");
  await page.waitForFunction((before) => Number(document.getElementById("search").dataset.similarRuns || 0) > before, runs);
  return (await page.locator(".similar-results .retro-title").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).slice(0, n).map(idOf);
}

try {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    const ids = request.similar !== undefined ? await similar(request.similar, request.n) : await words(request.query, request.n);
    console.log(JSON.stringify({ ids }));
  }
} finally {
  await browser.close();
}
