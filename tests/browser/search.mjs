// Browser test of the static search page, driven by playwright-core on Debian's chromium.
//   node search.mjs BASE_URL            run the test (exit 1 on the first failed check)
//   node search.mjs BASE_URL --measure "query"   print the bytes fetched for one query
//   node search.mjs BASE_URL --measure-similar "text"   the same for one use of the similar mode
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const [base, flag, measureQuery] = process.argv.slice(2);
// Every shard of the bundle: pagefind/, and pagefind-2/, … for a library split into several.
const BUNDLE = /\/pagefind(-\d+)?\//;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (error) => errors.push(error.message));
page.on("response", (response) => {
  if (response.status() >= 400 && !response.url().endsWith("favicon.ico")) errors.push(`${response.status()} ${response.url()}`);
});

try {
  if (flag === "--measure") {
    await measure(measureQuery);
  } else if (flag === "--measure-similar") {
    await measureSimilar(measureQuery);
  } else {
    await searchFromEveryPage();
    await filterAndOpen();
    await partialMatchesFollowFullOnes();
    await similarModeFindsTheRetroLikeAPastedText();
    assert.deepEqual(errors, [], "no script errors and no failed requests");
    console.log("browser search test: 1 passed, 0 failed");
  }
} catch (error) {
  console.error(error);
  console.log("browser search test: 0 passed, 1 failed");
  process.exitCode = 1;
} finally {
  await browser.close();
}

function titles() {
  return page.locator(".search-results .retro-title").allTextContents();
}

async function waitForResults() {
  // search.js marks the list with the search (the URL's query string) it shows.
  await page.waitForFunction(() => location.search && document.getElementById("search")?.dataset.shown === location.search);
}

async function searchFromEveryPage() {
  await page.goto(new URL("retros/INC-2024-002.html", base).href);
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.name), "q", "/ focuses the header search box");
  await page.keyboard.type("retry storm");
  await page.keyboard.press("Enter");
  await page.waitForURL(/search\/index\.html\?q=retry\+storm/);
  await waitForResults();
  // A failure mode's name finds every retro labelled with it, not only the one whose text says so.
  assert.deepEqual((await titles()).sort(), [
    "Black Friday checkout brownout",
    "Checkout retry storm after a payment processor slowed down",
    "SMS provider errors caused a retry loop and duplicate texts",
    "Second Black Friday: payment retries amplified a processor brownout",
  ]);
  // The name as written: pagefind would read `-storm` as "without storm"; the page searches words,
  // and the retros that carry the label come first.
  await page.fill("#search-input", "retry-storm");
  await page.waitForURL(/q=retry-storm/);
  await waitForResults();
  assert.deepEqual((await titles()).slice(0, 4).sort(), [
    "Black Friday checkout brownout",
    "Checkout retry storm after a payment processor slowed down",
    "SMS provider errors caused a retry loop and duplicate texts",
    "Second Black Friday: payment retries amplified a processor brownout",
  ]);
  // An alias of a failure mode (the sample's taxonomy gives connection-pool-exhaustion "pool
  // exhausted"): the retros that carry it come first, above the game day whose text scores higher.
  await page.fill("#search-input", "pool exhausted");
  await page.waitForURL(/q=pool\+exhausted/);
  await waitForResults();
  assert.deepEqual((await titles()).slice(0, 2).sort(), [
    "Checkout timeouts from a long-running migration holding connections",
    "Orders database connection pool exhausted after an ORM upgrade",
  ]);
  // A broader query typed on the search page itself.
  await page.fill("#search-input", "retries");
  await page.waitForURL(/q=retries/);
  await waitForResults();
  const found = await titles();
  assert.ok(found.length > 3, `${found}`);
  assert.ok(found.includes("Second Black Friday: payment retries amplified a processor brownout"), `${found}`);
}

async function filterAndOpen() {
  const before = await titles();
  await page.locator('input[name="service"][value="notification-worker"]').check();
  await page.waitForURL(/service=notification-worker/);
  await waitForResults();
  assert.notDeepEqual(await titles(), before);
  const after = await titles();
  assert.deepEqual(after, [
    "SMS provider errors caused a retry loop and duplicate texts",
    "Email provider outage backed up the notification queue for five hours",
  ], `filtered: ${after}`);
  const services = await page.locator(".search-results .services").allTextContents();
  assert.ok(services.every((s) => s.includes("notification-worker")), `${services}`);
  // The URL holds the search: reloading it shows the same results.
  await page.reload();
  await waitForResults();
  assert.deepEqual(await titles(), after, "the URL reproduces the search");
  await page.locator(".search-results .retro-title").first().click();
  await page.waitForURL(/retros\/INC-2025-003\.html$/);
  assert.equal(await page.locator("h1").textContent(), "SMS provider errors caused a retry loop and duplicate texts");
}

async function partialMatchesFollowFullOnes() {
  await page.goto(new URL("search/index.html?q=sms+rabbitmq", base).href);
  await waitForResults();
  // Only the email outage names both; the SMS retro, which names one, follows under its heading.
  assert.deepEqual(await titles(), ["Email provider outage backed up the notification queue for five hours"]);
  const partial = page.locator(".partial-matches");
  assert.ok(await partial.isVisible(), "the partial section is shown");
  assert.equal(await partial.locator("h2").textContent(), "Partial matches: some of the words");
  const partialTitles = await partial.locator(".retro-title").allTextContents();
  assert.ok(partialTitles.includes("SMS provider errors caused a retry loop and duplicate texts"), `${partialTitles}`);
  assert.ok(!partialTitles.includes("Email provider outage backed up the notification queue for five hours"), "a full match is not repeated");
  assert.match(await page.locator(".search-status").textContent(), /^1 retro found, and \d+ more with some of the words\.$/);
  // No word matches: no partial section, and the page says so.
  await page.fill("#search-input", "zzqx wvvq");
  await page.waitForURL(/q=zzqx/);
  await waitForResults();
  assert.ok(await partial.isHidden());
  assert.equal(await page.locator(".search-status").textContent(), "No retro matches. Try fewer words or remove a filter.");
}

async function similarModeFindsTheRetroLikeAPastedText() {
  await page.goto(new URL("search/index.html", base).href);
  await page.waitForFunction(() => /Type symptoms/.test(document.querySelector(".search-status")?.textContent || ""));
  // By keyboard alone: from the words box, back to the mode radios, arrow to "similar", paste, Ctrl+Enter.
  await page.focus("#search-input");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("ArrowRight");
  await page.waitForURL(/mode=similar/);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "similar-input", "Tab reaches the text box");
  await page.keyboard.insertText("SMS provider returning 500s; our worker retries and customers got the same text three times");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => document.getElementById("search").dataset.similarRuns === "1");
  const found = await page.locator(".similar-results .retro-title").allTextContents();
  assert.equal(found[0], "SMS provider errors caused a retry loop and duplicate texts", `${found}`);
  const why = await page.locator(".similar-results .why").first().textContent();
  assert.match(why, /^Shared words: .*\b(sms|provider|text)/, why);
  assert.match(await page.locator(".search-status").textContent(), /^\d+ similar retros?, most similar first\.$/);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
    .filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => v.id));
  assert.deepEqual(violations, [], "axe: no serious or critical violation in the similar mode");
  // The mode stays in the URL: reloading keeps it.
  await page.reload();
  await page.waitForFunction(() => /Paste text/.test(document.querySelector(".search-status")?.textContent || ""));
  assert.ok(await page.locator(".similar-form").isVisible() && await page.locator(".search-form").isHidden());
}

async function measure(query) {
  const bytes = new Map();
  let counting = false;
  page.on("response", async (response) => {
    if (!counting || !BUNDLE.test(response.url())) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    bytes.set(response.url(), body.length);
  });
  await page.goto(new URL("search/index.html", base).href);
  await page.waitForFunction(() => /Type symptoms/.test(document.querySelector(".search-status")?.textContent || ""));
  const initial = await page.evaluate((bundle) => performance.getEntriesByType("resource").filter((r) => new RegExp(bundle).test(r.name)).reduce((sum, r) => sum + r.encodedBodySize, 0), BUNDLE.source);
  counting = true;
  await page.fill("#search-input", query);
  await waitForResults();
  await page.waitForTimeout(500);
  const perQuery = [...bytes.values()].reduce((a, b) => a + b, 0);
  if (process.env.VERBOSE) for (const [url, size] of bytes) console.error(size, url);
  console.log(JSON.stringify({ query, initial_load_bytes: initial, query_bytes: perQuery, requests: bytes.size, results: (await titles()).length }));
}

async function measureSimilar(text) {
  const bytes = new Map();
  page.on("response", async (response) => {
    if (!/\/similar\//.test(response.url())) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    bytes.set(response.url(), body.length);
  });
  await page.goto(new URL("search/index.html?mode=similar", base).href);
  await page.waitForFunction(() => /Paste text/.test(document.querySelector(".search-status")?.textContent || ""));
  await page.fill("#similar-input", text);
  const started = Date.now();
  await page.click(".similar-form button");
  await page.waitForFunction(() => document.getElementById("search").dataset.similarRuns === "1");
  const ms = Date.now() - started;
  await page.waitForTimeout(500);
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  if (process.env.VERBOSE) for (const [url, size] of bytes) console.error(size, url);
  console.log(JSON.stringify({ similar_bytes: total, requests: bytes.size, ms, results: await page.locator(".similar-results .retro-title").allTextContents() }));
}
