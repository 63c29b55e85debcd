// Browser test of every page type of a built library, on a phone and on a desktop: no horizontal
// overflow, no axe-core violation of impact serious or critical (light and dark scheme), charts
// named for screen readers, and nothing in the console or the network log but successes.
//   node pages.mjs BASE_URL                     run the test (exit 1 if any check fails)
//   node pages.mjs BASE_URL --report            print the axe violations by rule, fail on nothing
//   node pages.mjs BASE_URL --shots DIR         also save a 390 px and a 1280 px capture per page type
// The pages are found by following links from the home page, not from a list of paths, so the
// test follows the site's URL layout wherever it goes.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";

const [base, ...flags] = process.argv.slice(2);
const report = flags.includes("--report");
const shotDir = flags.includes("--shots") ? flags[flags.indexOf("--shots") + 1] : undefined;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WIDTHS = [390, 1280];
const SCHEMES = ["light", "dark"];
const BLOCKING = new Set(["serious", "critical"]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
// rule -> impact -> number of page views (page type × width × scheme) it was found on
const byRule = new Map();

try {
  const pages = await discover();
  if (shotDir) mkdirSync(shotDir, { recursive: true });
  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      const context = await browser.newContext({ viewport: { width, height: 844 }, colorScheme: scheme });
      for (const [type, url] of pages) await check(context, type, url, width, scheme);
      await context.close();
    }
  }
  for (const [rule, impacts] of [...byRule].sort()) {
    console.log(`axe ${rule}: ${[...impacts].map(([impact, n]) => `${impact} ${n}`).join(", ")}`);
  }
  console.log(`page types: ${pages.size}, views: ${pages.size * WIDTHS.length * SCHEMES.length}, axe rules violated: ${byRule.size}`);
  if (report) console.log(failures.join("\n"));
  else if (failures.length) throw new Error(failures.join("\n"));
  console.log("browser pages test: 1 passed, 0 failed");
} catch (error) {
  console.error(error.message || error);
  console.log("browser pages test: 0 passed, 1 failed");
  process.exitCode = 1;
} finally {
  await browser.close();
}

/** Every page type, by following links: type -> absolute URL. */
async function discover() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pages = new Map();
  const go = async (url) => {
    await page.goto(url);
    return page.url();
  };
  const follow = async (selector, what) => {
    const href = await page.locator(selector).first().getAttribute("href", { timeout: 5000 }).catch(() => null);
    if (!href) throw new Error(`${page.url()}: no link for ${what} (${selector})`);
    return new URL(href, page.url()).href;
  };
  pages.set("home", await go(base));
  pages.set("retro", await follow("main .retro-title", "a retro"));
  pages.set("all retros", await follow("nav[aria-label=Browse] a[href$='retros/index.html']", "all retros"));
  const facetIndex = await follow("nav[aria-label=Browse] li:nth-child(4) a", "a facet index");
  pages.set("facet index", facetIndex);
  await go(facetIndex);
  pages.set("facet page", await follow("main a[href$='.html']:not(.chip)", "a facet value"));
  await go(pages.get("home"));
  const insights = await follow("nav[aria-label=Browse] a[href$='insights/index.html']", "insights");
  const actions = await follow("nav[aria-label=Browse] a[href$='actions/index.html']", "follow-through");
  pages.set("insights", insights);
  await go(insights);
  // Linked only when there are more repeats than the dashboard shows.
  pages.set("repeats", new URL("repeats.html", insights).href);
  pages.set("heat-map cell", await follow("svg.chart a", "a heat-map cell"));
  pages.set("follow-through", actions);
  await go(actions);
  pages.set("owner page", await follow("section[aria-labelledby=owners] tbody a", "an owner"));
  pages.set("search", new URL("search/index.html?q=retry", pages.get("home")).href);
  pages.set("404", new URL("404.html", pages.get("home")).href);
  await context.close();
  return pages;
}

async function check(context, type, url, width, scheme) {
  const where = `${type} (${width} px, ${scheme})`;
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && !(type === "404" && response.url() === url)) {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(url, { waitUntil: "networkidle" });
  if (type === "search") {
    await page.waitForFunction(() => document.getElementById("search")?.dataset.shown === location.search);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) problems.push(`${overflow} px wider than the ${width} px window: ${await widest(page)}`);
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("svg.chart")]
    .filter((svg) => !(svg.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent.trim()).some(Boolean))
    .map((svg) => svg.id));
  if (unnamed.length) problems.push(`charts without a text alternative: ${unnamed.join(", ")}`);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.failureSummary.split("\n").slice(1, 2).join("")}`),
    }));
  });
  for (const v of violations) {
    const impacts = byRule.get(v.id) || new Map();
    impacts.set(v.impact, (impacts.get(v.impact) || 0) + 1);
    byRule.set(v.id, impacts);
    if (BLOCKING.has(v.impact) || report) problems.push(`axe ${v.impact} ${v.id}: ${v.nodes.join(" | ")}`);
  }
  if (shotDir && scheme === "light") {
    await page.screenshot({ path: `${shotDir}/${type.replaceAll(" ", "-")}-${width}.png`, fullPage: true });
  }
  for (const problem of problems) failures.push(`${where} ${url}: ${problem}`);
  await page.close();
}

/** The elements that stick out furthest past the right edge, for the failure message. */
function widest(page) {
  return page.evaluate(() => {
    const edge = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .map((el) => [el, el.getBoundingClientRect().right])
      .filter(([, right]) => right > edge + 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([el, right]) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""} to ${Math.round(right)} px`)
      .join(", ");
  });
}
