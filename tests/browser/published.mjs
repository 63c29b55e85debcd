// Browser test of a library published under a sub-path by a real web server, built with
// `--base-url BASE_URL`: follows every link of the home page, runs a search and opens a result,
// and asserts that every request returned 200; then that a missing page gets the site's 404
// page with its stylesheet, and that the canonical links, the feed and the sitemap are absolute.
//   node published.mjs BASE_URL
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

const [base] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage();
// Routing turns the HTTP cache off, so every request reaches the server and a 304 from
// revalidation cannot stand in for a 200.
await page.route("**/*", (route) => route.continue());
const responses = [];
const errors = [];
page.on("response", (response) => responses.push([response.status(), response.url()]));
page.on("pageerror", (error) => errors.push(`script error: ${error.message}`));
page.on("console", (message) => {
  if (message.type() === "error" || message.type() === "warning") errors.push(`console: ${message.text()}`);
});

try {
  await followLinksFromHome();
  await searchAndOpen();
  const failed = responses.filter(([status]) => status !== 200);
  assert.deepEqual(failed, [], "every request returned 200");
  assert.deepEqual(errors, [], "nothing in the console");
  await missingPage();
  await absoluteLinks();
  console.log(`published site: ${responses.length} requests, all 200`);
  console.log("browser published test: 1 passed, 0 failed");
} catch (error) {
  console.error(error.message || error);
  console.log("browser published test: 0 passed, 1 failed");
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function followLinksFromHome() {
  await page.goto(base);
  assert.equal(await canonical(), new URL("index.html", base).href, "the home page's canonical link");
  const links = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.href));
  const inside = [...new Set(links.map((l) => l.split("#")[0]))].filter((l) => l.startsWith(base));
  assert.ok(inside.length > 20, `links on the home page: ${inside.length}`);
  for (const link of inside) {
    await page.goto(link);
    assert.equal(await canonical(), link.endsWith("/") ? `${link}index.html` : link, `canonical link of ${link}`);
  }
}

async function searchAndOpen() {
  await page.goto(base);
  await page.fill(".site-search input", "certificate");
  await page.keyboard.press("Enter");
  await page.waitForURL(/search\/index\.html\?q=certificate/);
  await page.waitForFunction(() => document.getElementById("search")?.dataset.shown === location.search);
  const first = page.locator(".search-results .retro-title").first();
  const title = await first.textContent();
  await first.click();
  await page.waitForURL(/\/retros\/[^/]+\.html$/);
  assert.equal(await page.locator("h1").textContent(), title, "the result opens its retro");
}

async function missingPage() {
  const before = responses.length;
  const response = await page.goto(new URL("no/such/page.html", base).href);
  assert.equal(response.status(), 404);
  assert.match(await page.locator("h1").textContent(), /not found/i);
  const fetched = responses.slice(before).filter(([, url]) => !url.endsWith("/no/such/page.html"));
  assert.ok(fetched.some(([, url]) => url.endsWith("/assets/style.css")), "the 404 page loads its stylesheet");
  assert.deepEqual(fetched.filter(([status]) => status !== 200), [], "the 404 page's assets load from any depth");
  const color = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).borderBottomStyle);
  assert.equal(color, "solid", "the 404 page is styled");
}

async function absoluteLinks() {
  const feed = await (await page.request.get(new URL("feed.xml", base).href)).text();
  const hrefs = [...feed.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(hrefs.length > 3 && hrefs.every((h) => h.startsWith(base)), `feed links: ${hrefs.slice(0, 4)}`);
  const sitemap = await page.request.get(new URL("sitemap.xml", base).href);
  assert.equal(sitemap.status(), 200);
  const locs = [...(await sitemap.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.ok(locs.length > 50 && locs.every((l) => l.startsWith(base)), `sitemap: ${locs.length} URLs`);
  assert.ok(locs.includes(new URL("index.html", base).href) && !locs.some((l) => l.endsWith("404.html")));
  for (const loc of locs.filter((_, i) => i % 10 === 0)) {
    assert.equal((await page.request.get(loc)).status(), 200, loc);
  }
}

function canonical() {
  return page.evaluate(() => document.querySelector("link[rel=canonical]")?.href);
}
