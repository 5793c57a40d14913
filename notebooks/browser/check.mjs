// check.mjs drives a notebook in Jupyter Notebook through headless Chromium,
// as a reader would: Run All, then look at every output.
//
//   node check.mjs URL OUTDIR [--slider]
//
// URL is the notebook's page on a running Jupyter Notebook (token-less,
// 127.0.0.1). It waits for the GoNB kernel, runs every cell, and writes to
// OUTDIR:
//   - page.png: the whole page after Run All;
//   - figure-NN.png: a screenshot of each output that holds a figure;
//   - slider-before.png, slider-after.png with --slider;
//   - report.json: per figure its width against its output area's, every
//     output area that scrolls sideways, error outputs (stderr, tracebacks),
//     and with --slider the time from moving the slider to the redrawn figure.
// It exits 1 when an output scrolls sideways, a figure is wider than its output
// area, an error output shows, or (with --slider) the figure does not follow the
// slider within 10 s.
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [url, outDir, ...flags] = process.argv.slice(2);
if (!url || !outDir) {
  console.error('usage: node check.mjs URL OUTDIR [--slider]');
  process.exit(2);
}
const withSlider = flags.includes('--slider');
const runTimeoutMs = Number(process.env.QKV_BROWSER_TIMEOUT_MS || 20 * 60 * 1000);
fs.mkdirSync(outDir, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(page, fn, timeoutMs, what) {
  const start = Date.now();
  for (;;) {
    if (await page.evaluate(fn)) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

// runAll runs every cell and waits until the last one has finished. A cell
// holding a slider stays busy while it listens; once every other cell is done
// and the slider cell has drawn its figure, the run counts as finished.
async function runAll(page) {
  await waitFor(page, () => !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
    Jupyter.notebook.kernel.is_connected()), 120000, 'the kernel');
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  return waitFor(page, () => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    const pending = cells.filter((c) => c.element[0].classList.contains('running') ||
      c.input_prompt_number === '*' || c.input_prompt_number === undefined || c.input_prompt_number === null);
    if (pending.length === 0) return true;
    // Only a listening slider cell left, with its figure drawn.
    return pending.length === 1 && !!pending[0].element[0].querySelector('input[type=range]') &&
      !!pending[0].element[0].querySelector('.output_subarea svg, .output_subarea img');
  }, runTimeoutMs, 'Run All');
}

// inspect measures every output area: sideways scrolling, figure widths, errors.
function inspect() {
  const out = { scrolling: [], figures: [], errors: [] };
  const cells = [...document.querySelectorAll('.cell.code_cell')];
  cells.forEach((cell, ci) => {
    cell.querySelectorAll('.output_subarea').forEach((area) => {
      if (area.scrollWidth > area.clientWidth + 1) {
        out.scrolling.push({ cell: ci, scrollWidth: area.scrollWidth, clientWidth: area.clientWidth });
      }
      if (area.classList.contains('output_stderr') || area.classList.contains('output_error')) {
        out.errors.push({ cell: ci, text: area.innerText.slice(0, 300) });
      }
      area.querySelectorAll(':scope > svg, :scope > img, :scope svg:not(svg svg)').forEach((fig) => {
        const r = fig.getBoundingClientRect();
        if (r.width < 50) return; // icons, not figures
        out.figures.push({ cell: ci, width: Math.round(r.width), height: Math.round(r.height),
          areaWidth: area.clientWidth, tooWide: r.width > area.clientWidth + 1 });
      });
    });
  });
  return out;
}

async function shootFigures(page) {
  const handles = await page.$$('.output_subarea');
  let n = 0;
  for (const h of handles) {
    const hasFigure = await h.evaluate((el) => !!el.querySelector('svg, img'));
    const r = await h.boundingBox();
    if (!hasFigure || !r || r.width < 50) continue;
    n++;
    await h.screenshot({ path: path.join(outDir, `figure-${String(n).padStart(2, '0')}.png`) });
  }
  return n;
}

// moveSlider sets the first slider to a new value the way a drag ends (input +
// change events) and times until the figure in the same cell is redrawn.
async function moveSlider(page) {
  const cell = await page.$('.cell.code_cell:has(input[type=range])');
  if (!cell) throw new Error('no slider in the notebook');
  await cell.screenshot({ path: path.join(outDir, 'slider-before.png') });
  const figureOf = () => {
    const c = document.querySelector('.cell.code_cell:has(input[type=range])');
    const f = c && c.querySelector('.output_subarea svg, .output_subarea img');
    return f ? f.outerHTML.length + ':' + f.outerHTML.slice(-2000) : '';
  };
  const before = await page.evaluate(figureOf);
  const { from, to } = await page.evaluate(() => {
    const s = document.querySelector('input[type=range]');
    const from = Number(s.value);
    const to = Number(s.value) === Number(s.max) ? Number(s.min) : Number(s.max);
    s.value = String(to);
    s.dispatchEvent(new Event('input', { bubbles: true }));
    s.dispatchEvent(new Event('change', { bubbles: true }));
    return { from, to };
  });
  const start = Date.now();
  for (;;) {
    const now = await page.evaluate(figureOf);
    if (now && now !== before) break;
    if (Date.now() - start > 10000) throw new Error('the figure did not change within 10 s of moving the slider');
    await sleep(20);
  }
  const latencyMs = Date.now() - start;
  await sleep(300);
  await cell.screenshot({ path: path.join(outDir, 'slider-after.png') });
  return { from, to, latencyMs };
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--window-size=1280,900'],
});
let failed = false;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url, { waitUntil: 'networkidle2', timeout: 120000 });
  const runMs = await runAll(page);
  await sleep(1000);
  const report = { url, runAllSeconds: Math.round(runMs / 100) / 10, ...(await page.evaluate(inspect)) };
  report.screenshots = await shootFigures(page);
  if (withSlider) report.slider = await moveSlider(page);
  await page.screenshot({ path: path.join(outDir, 'page.png'), fullPage: true });
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  const tooWide = report.figures.filter((f) => f.tooWide);
  console.log(`Run All: ${report.runAllSeconds} s; ${report.figures.length} figures, ${tooWide.length} wider than their output area; ` +
    `${report.scrolling.length} outputs scroll sideways; ${report.errors.length} error outputs` +
    (report.slider ? `; slider ${report.slider.from} → ${report.slider.to}: figure redrawn in ${report.slider.latencyMs} ms` : ''));
  for (const e of report.errors) console.log(`  error output in cell ${e.cell}: ${e.text}`);
  failed = tooWide.length > 0 || report.scrolling.length > 0 || report.errors.length > 0;
} catch (e) {
  console.error(`check.mjs: ${e.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
