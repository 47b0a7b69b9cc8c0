// One Lighthouse run for bench/lighthouse/run.py, the way the `lighthouse` command runs it
// (chrome-launcher, default mobile settings), with one difference: the session cookie is put
// in the browser's cookie jar before the run. The command's --extra-headers only reach the
// page itself, so a fragment the page fetched afterwards went to the log-in page instead.
//
//   node measure.mjs URL OUT.json [CATEGORIES]   (session cookie in TENDING_SESSION, if any)
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const [url, out, categories = "performance,accessibility,best-practices"] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const session = process.env.TENDING_SESSION;
  if (session) {
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await page.setCookie({ name: "sessionid", value: session, url: new URL(url).origin });
    await browser.disconnect();
  }
  const result = await lighthouse(url, {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: categories.split(","),
  });
  fs.writeFileSync(out, result.report);
} finally {
  await chrome.kill();
}
