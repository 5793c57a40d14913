// check.mjs drives the chapter's notebook in JupyterLab 4 (or Notebook 7, built
// from JupyterLab's components) through headless Chromium as a reader does, and
// checks what the page shows.
//
//   node check.mjs URL OUTDIR [--word WORD] [--figures N] [--no-edit] [--no-slider]
//   node check.mjs URL OUTDIR --exercise
//
// URL is the notebook's page on a running server (…/lab/tree/NAME.ipynb?token=…,
// or Notebook 7's …/notebooks/NAME.ipynb?token=…) started with
// --expose-app-in-browser: the check reads the kernel's messages and the cells'
// sources through window.jupyterapp; everything a reader does goes through the
// page: menus, clicks, keys. The steps:
//   1. Run > Run All Cells; wait until every cell has run. No error output, no
//      output line starting with ✗, no figure wider than its output area, no
//      output that scrolls sideways, at least N figures (default 11) loaded
//      (the slider's, drawn in the background after its cell ended, within
//      10 s of the run's end).
//   2. Double-click the word of `var target_word = " like"` in its editor, type
//      WORD (default Daisy), Run > Run Selected Cell and All Below; the same
//      checks, the line `… instances of " WORD"`, and every figure changed.
//   3. The slider (the output with <input type=range>): it shows its value; a
//      click on its track, a drag and ArrowRight/Left/Up/Down each move it, the
//      value shown follows, its images load that layer's files within 5 s, and
//      the arrow keys leave the notebook's cell selection where it is.
//   4. Run the slider's cell again and, as soon as the slider shows, the cell
//      that prints n_emb: the slider's cell must have ended (the kernel idle)
//      within 1 s of the slider showing, and the next cell started within 1 s
//      of being asked to; the slider is moved again while that cell runs.
// OUTDIR gets a screenshot of every figure after each run (runall-NAME.png,
// edit-NAME.png, NAME from the cell's Show("NAME", …) or slider-LABEL-J),
// edit-counts.png, slider-before.png, slider-after-mouse.png,
// slider-after-keys.png, slider-while-busy.png, page-end.png, and report.json
// with every measurement and timing. Exits 1 when a check fails (report.json's
// failures lists them), 2 on bad arguments.
//
// --exercise drives the exercise notebook instead, as a learner does, cell by
// cell (Ctrl+Enter), typing answers into its blanks: a click puts the caret
// before the blank, the arrow keys and Shift+Right select it, the answer is
// typed over it. The answers come from notebooks/ex/blanks.json, the side
// file the exercise is generated from:
//   a. the set-up cells, then the first checked cell (n_emb) unfilled: one
//      line "✗ n_emb: fill in the blank: …" (exercise-unfilled.png);
//   b. its blanks filled with their answers, run: one ✓ line, no ✗, nothing
//      else on stderr (exercise-right.png);
//   c. target_word's cell, target_word filled wrong with "like" (no space)
//      and target_idx right: the check's ✗ line that " like" and "like" are
//      different GPT-2 tokens, no ✓ (exercise-wrong.png); then the space
//      typed in: ✓ (exercise-fixed.png);
//   d. `// ex.TargetIdx.Hint()` uncommented in the cell below, run: the
//      step's hint (exercise-hint.png);
//   e. every cell below, top to bottom, each step's blanks typed in first
//      (an answer of several lines pasted): every step's cell prints one ✓
//      line, no cell a ✗ line or an error (exercise-last.png, the last step).
// report.json's exercise holds each run's time, lines and verdict.
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const positional = [];
const opts = { word: 'Daisy', figures: 11, edit: true, slider: true, exercise: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--word') opts.word = args[++i];
  else if (a === '--figures') opts.figures = Number(args[++i]);
  else if (a === '--no-edit') opts.edit = false;
  else if (a === '--no-slider') opts.slider = false;
  else if (a === '--exercise') opts.exercise = true;
  else if (a.startsWith('--')) usage(`unknown flag ${a}`);
  else positional.push(a);
}
const [url, outDir] = positional;
if (!url || !outDir || !/^[A-Za-z]+$/.test(opts.word || '') || !(opts.figures >= 0)) usage('');
function usage(msg) {
  if (msg) console.error(`check.mjs: ${msg}`);
  console.error('usage: node check.mjs URL OUTDIR [--word WORD] [--figures N] [--no-edit] [--no-slider] | --exercise');
  process.exit(2);
}
const runTimeoutMs = Number(process.env.QKV_BROWSER_TIMEOUT_MS || 20 * 60 * 1000);
const redrawLimitMs = 5000; // a moved slider's images load within this
const freeLimitMs = 1000; // the kernel is free this soon after the slider shows
fs.mkdirSync(outDir, { recursive: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => Math.round(ms / 100) / 10;
const failures = [];
const fail = (what) => { failures.push(what); console.log(`  ✗ ${what}`); };
const step = (what) => console.log(`== ${what}`);

// In the page: the notebook's panel, its cells tagged with data-qkv-cell (their
// index), and the kernel's messages (window.__qkvMsgs, page time in ms).
function pageHelpers() {
  window.__qkv = {
    panel() {
      const app = window.jupyterapp;
      if (!app) return null;
      const w = app.shell.currentWidget;
      if (w && w.content && w.sessionContext) return w;
      for (const m of app.shell.widgets('main')) if (m.content && m.sessionContext) return m;
      return null;
    },
    kernel() {
      const p = this.panel();
      return p && p.sessionContext.session ? p.sessionContext.session.kernel : null;
    },
    tag() {
      const p = this.panel();
      p.content.widgets.forEach((c, i) => { c.node.dataset.qkvCell = String(i); });
      return p.content.widgets.map((c, i) => ({ i, type: c.model.type, source: c.model.sharedModel.getSource(),
        prompt: c.node.querySelector('.jp-InputPrompt') ? c.node.querySelector('.jp-InputPrompt').textContent : '' }));
    },
    hook() {
      const k = this.kernel();
      if (!k || k.__qkvHooked) return;
      k.__qkvHooked = true;
      window.__qkvMsgs = window.__qkvMsgs || [];
      k.anyMessage.connect((_, a) => {
        const m = a.msg;
        window.__qkvMsgs.push({ t: performance.now(), dir: a.direction, type: m.header.msg_type, id: m.header.msg_id,
          parent: m.parent_header && m.parent_header.msg_id, ec: m.content && m.content.execution_count,
          state: m.content && m.content.execution_state,
          mime: m.content && m.content.data ? Object.keys(m.content.data).join(',') : undefined });
      });
    },
    prompts() {
      return this.panel().content.widgets.map((c) => {
        const p = c.node.querySelector('.jp-InputPrompt');
        return c.model.type === 'code' ? (p ? p.textContent.replace(/[\s:[\]]/g, '') : '') : null;
      });
    },
  };
}

async function helpers(page) {
  await page.evaluate(pageHelpers);
}

// menu clicks the menu bar's TOP, then its ITEM, as a reader does.
async function menu(page, top, item) {
  const tops = await page.$$('.lm-MenuBar-item');
  let opened = false;
  for (const h of tops) {
    if ((await h.evaluate((e) => e.textContent.trim())) === top) { await h.click(); opened = true; break; }
  }
  if (!opened) throw new Error(`no menu ${top}`);
  await page.waitForSelector('.lm-Menu', { visible: true, timeout: 5000 });
  for (const h of await page.$$('.lm-Menu .lm-Menu-item')) {
    const label = await h.evaluate((e) => (e.querySelector('.lm-Menu-itemLabel') || e).textContent.trim());
    if (label === item) { await h.click(); return; }
  }
  await page.keyboard.press('Escape');
  throw new Error(`no menu item ${top} > ${item}`);
}

// cells returns the notebook's cells (index, type, source, prompt) and tags
// their nodes with data-qkv-cell.
const cells = (page) => page.evaluate(() => window.__qkv.tag());
const cellHandle = (page, i) => page.$(`[data-qkv-cell="${i}"]`);

// waitRun waits until the code cells from index `from` on have all run since
// `before` (their prompts then) and the kernel is idle; it returns the time.
async function waitRun(page, from, before, what) {
  const start = Date.now();
  let idleSince = 0;
  for (;;) {
    const [prompts, status] = await page.evaluate(() => [window.__qkv.prompts(), window.__qkv.kernel() && window.__qkv.kernel().status]);
    const done = prompts.every((p, i) => p === null || i < from || (/^\d+$/.test(p) && p !== before[i]));
    if (done && status === 'idle') {
      if (!idleSince) idleSince = Date.now();
      if (Date.now() - idleSince >= 500) return idleSince - start;
    } else idleSince = 0;
    if (Date.now() - start > runTimeoutMs) throw new Error(`timed out after ${secs(runTimeoutMs)} s waiting for ${what}`);
    await sleep(100);
  }
}

// inspect measures every output: errors, ✗ lines, sideways scrolling,
// figures (their width against the output area's, loaded or not).
function inspect() {
  const res = { errors: [], crosses: [], scrolling: [], figures: [] };
  const panel = window.__qkv.panel();
  panel.content.widgets.forEach((cell, ci) => {
    if (cell.model.type !== 'code') return;
    const show = /\bShow\("([^"]+)"/.exec(cell.model.sharedModel.getSource());
    const slider = /\bSlider\("([^"]+)"/.exec(cell.model.sharedModel.getSource());
    let n = 0;
    cell.node.querySelectorAll('.jp-OutputArea-output').forEach((area) => {
      const mime = area.getAttribute('data-mime-type') || '';
      const text = area.textContent || '';
      if (/stderr|error/.test(mime)) res.errors.push({ cell: ci, mime, text: text.slice(0, 400) });
      for (const line of text.split('\n')) if (line.trim().startsWith('✗')) res.crosses.push({ cell: ci, line: line.trim().slice(0, 400) });
      for (const el of [area, ...area.children]) {
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
          res.scrolling.push({ cell: ci, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
        }
      }
      area.querySelectorAll('img, svg:not(svg svg)').forEach((fig) => {
        const r = fig.getBoundingClientRect();
        if (r.width < 50) return; // icons, not figures
        n++;
        const name = show ? show[1] + (n > 1 ? `-${n}` : '') : slider ? `slider-${slider[1]}-${n}` : `cell${ci}-${n}`;
        const src = fig.tagName === 'IMG' ? fig.getAttribute('src') || '' : fig.outerHTML;
        let h = 2166136261; // FNV-1a of what the figure draws
        for (let k = 0; k < src.length; k++) h = Math.imul(h ^ src.charCodeAt(k), 16777619) >>> 0;
        fig.dataset.qkvFigure = name;
        res.figures.push({ cell: ci, name, width: Math.round(r.width), height: Math.round(r.height),
          areaWidth: area.clientWidth, tooWide: r.width > area.clientWidth + 1,
          loaded: fig.tagName === 'IMG' ? fig.complete && fig.naturalWidth > 0 : true,
          src: fig.tagName === 'IMG' && !src.startsWith('data:') ? src.replace(/_xsrf=[^&]*&?/, '') : undefined,
          hash: h.toString(16) + ':' + src.length });
      });
    });
  });
  return res;
}

// scrollTo scrolls el into view: to the middle, or to the top when it is
// taller than the view or `top` is set. It scrolls until el stays put:
// cells out of view have estimated heights until they are drawn
// (content-visibility: auto). JupyterLab scrolls the notebook's panel,
// Notebook 7 the page.
async function scrollTo(el, top = false) {
  let last = '';
  for (let k = 0; k < 8; k++) {
    await el.evaluate((e, top) => {
      const high = e.getBoundingClientRect().height > window.innerHeight - 200;
      e.style.scrollMarginTop = '140px'; // clear of Notebook 7's menu and toolbar, which stay on top
      e.scrollIntoView({ block: top || high ? 'start' : 'center' });
    }, top);
    await sleep(300);
    const now = await el.evaluate((e) => JSON.stringify(e.getBoundingClientRect()));
    if (now === last) return;
    last = now;
  }
}

// visible returns the part of the rectangle r that the notebook shows: inside
// the page's viewport and the notebook's scrolling panel, below its toolbars.
function visible(e, r) {
  const scroller = e.closest('.jp-WindowedPanel-outer');
  const v = scroller && scroller.scrollHeight > scroller.clientHeight ? scroller.getBoundingClientRect()
    : { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  let top = Math.max(v.top, 0);
  for (const bar of document.querySelectorAll('#top-panel-wrapper, #menu-panel-wrapper, .jp-NotebookPanel-toolbar')) {
    const b = bar.getBoundingClientRect();
    if (b.height > 0 && b.top <= top + 1) top = Math.max(top, b.bottom);
  }
  const x = Math.max(r.left, v.left, 0), y = Math.max(r.top, top);
  return { x, y, width: Math.min(r.right, v.right, window.innerWidth) - x, height: Math.min(r.bottom, v.bottom, window.innerHeight) - y };
}

// shoot screenshots what the notebook shows of el, or of el and the element
// `to` (their union, from el's top), after scrolling el into view.
async function shoot(page, el, file, to = null) {
  await scrollTo(el, !!to);
  const clip = await el.evaluate((e, to, visibleSrc) => {
    const visible = (0, eval)(`(${visibleSrc})`);
    const a = e.getBoundingClientRect();
    const b = (to || e).getBoundingClientRect();
    return visible(e, { left: Math.min(a.left, b.left), top: Math.min(a.top, b.top), right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom) });
  }, to, visible.toString());
  if (clip.width < 1 || clip.height < 1) return false;
  // Images in cells just scrolled into view are decoded and painted late.
  await el.evaluate(async (e) => {
    const imgs = e.tagName === 'IMG' ? [e] : [...e.querySelectorAll('img')];
    await Promise.all(imgs.map((im) => im.decode().catch(() => {})));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  // Within the viewport as it is: beyond it (puppeteer's default with a clip)
  // the page is laid out again, taller, and a big SVG (Part 1's) is not
  // painted yet when the shot is taken.
  await sleep(200);
  await page.screenshot({ path: path.join(outDir, file), clip, captureBeyondViewport: false });
  return true;
}

async function shootFigures(page, prefix, figures) {
  const names = [];
  for (const f of figures) {
    const el = await page.$(`[data-qkv-figure="${f.name}"]`);
    if (el && (await shoot(page, el, `${prefix}-${f.name}.png`))) names.push(`${prefix}-${f.name}.png`);
    else fail(`${prefix}: no screenshot of figure ${f.name}: not on screen`);
  }
  return names;
}

// checkOutputs records the failures that inspect's result shows.
function checkOutputs(when, res, minFigures) {
  for (const e of res.errors) fail(`${when}: error output in cell ${e.cell}: ${e.text.split('\n')[0]}`);
  for (const c of res.crosses) fail(`${when}: cell ${c.cell} says ${c.line}`);
  for (const s of res.scrolling) fail(`${when}: the output of cell ${s.cell} scrolls sideways (${s.scrollWidth} > ${s.clientWidth} px)`);
  for (const f of res.figures.filter((f) => f.tooWide)) fail(`${when}: figure ${f.name} is ${f.width} px wide in an output area of ${f.areaWidth} px`);
  for (const f of res.figures.filter((f) => !f.loaded)) fail(`${when}: figure ${f.name} did not load (${f.src || 'inline'})`);
  const shown = res.figures.filter((f) => f.loaded).length;
  if (shown < minFigures) fail(`${when}: ${shown} figures shown, expected at least ${minFigures}`);
}

// outputText is the text of cell i's outputs.
const outputText = (page, i) => page.evaluate((i) => {
  const c = window.__qkv.panel().content.widgets[i];
  return [...c.node.querySelectorAll('.jp-OutputArea-output')].map((o) => o.textContent).join('\n');
}, i);

// runCell selects cell i (a click on its prompt) and runs it with Ctrl+Enter;
// it returns the page time the key went down.
async function runCell(page, i) {
  const c = await cellHandle(page, i);
  await c.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await (await c.$('.jp-InputPrompt')).click();
  const [t, n] = await page.evaluate(() => [performance.now(), window.__qkvMsgs.length]);
  await page.keyboard.down('Control');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Control');
  await page.waitForFunction((n) => window.__qkvMsgs.slice(n).some((m) => m.type === 'execute_request' && m.dir === 'send'),
    { timeout: 5000, polling: 20 }, n).catch(() => { throw new Error(`a click on cell ${i}'s prompt and Ctrl+Enter did not run it`); });
  return t;
}

// The slider: its state, and a wait until its images show value v.
function sliderState(i) {
  const c = window.__qkv.panel().content.widgets[i].node;
  const input = c.querySelector('input[type=range]');
  const out = c.querySelector('output');
  const imgs = [...c.querySelectorAll('.jp-OutputArea-output img')];
  const r = input.getBoundingClientRect();
  const nb = window.__qkv.panel().content;
  return { id: input.closest('[id]') ? input.closest('[id]').id : '', label: input.getAttribute('aria-label'), value: Number(input.value), min: Number(input.min), max: Number(input.max),
    shown: out ? out.textContent.trim() : null, focused: document.activeElement === input,
    activeCell: nb.activeCellIndex, selected: nb.widgets.filter((w) => nb.isSelectedOrActive(w)).length,
    box: { x: r.x, y: r.y, width: r.width, height: r.height },
    imgs: imgs.map((im) => ({ src: (im.getAttribute('src') || '').replace(/_xsrf=[^&]*&?/, ''), loaded: im.complete && im.naturalWidth > 0 })) };
}

// instrument records, in the page, every slider input event and every image
// load with its time.
function instrument() {
  if (window.__qkvEvents) return;
  window.__qkvEvents = [];
  document.addEventListener('input', (e) => {
    if (e.target && e.target.type === 'range') window.__qkvEvents.push({ t: performance.now(), kind: 'input', value: Number(e.target.value) });
  }, true);
  document.addEventListener('load', (e) => {
    if (e.target && e.target.tagName === 'IMG') window.__qkvEvents.push({ t: performance.now(), kind: 'load', src: e.target.getAttribute('src') || '' });
  }, true);
  document.addEventListener('error', (e) => {
    if (e.target && e.target.tagName === 'IMG') window.__qkvEvents.push({ t: performance.now(), kind: 'error', src: e.target.getAttribute('src') || '' });
  }, true);
}

const tagOf = (v) => `v${String(v).padStart(3, '0')}_`;

// waitRedraw waits until slider cell i shows value v in its output and every
// image shows v's file, loaded; it returns the time from the last input event
// for v to the last of those images' loads, and the retries (failed loads).
async function waitRedraw(page, i, v, what) {
  const tag = tagOf(v);
  try {
    await page.waitForFunction((i, tag, v) => {
      const s = window.__qkvSlider(i);
      return s.shown === String(v) && s.imgs.length > 0 && s.imgs.every((im) => im.src.includes(tag) && im.loaded);
    }, { timeout: redrawLimitMs * 2, polling: 20 }, i, tag, v);
  } catch {
    const s = await page.evaluate((i) => window.__qkvSlider(i), i);
    fail(`slider, ${what}: did not show layer ${v} within ${secs(redrawLimitMs * 2)} s (shows ${s.shown}, images ${s.imgs.map((im) => im.src.split('/').pop() + (im.loaded ? '' : ' (not loaded)')).join(', ')})`);
    return { to: v, redrawMs: null };
  }
  const ev = await page.evaluate(() => window.__qkvEvents);
  const input = ev.filter((e) => e.kind === 'input' && e.value === v).pop();
  const loads = ev.filter((e) => e.kind === 'load' && e.src.includes(tag) && (!input || e.t >= input.t));
  const errors = ev.filter((e) => e.kind === 'error' && e.src.includes(tag) && (!input || e.t >= input.t));
  const ms = input && loads.length ? Math.round(Math.max(...loads.map((e) => e.t)) - input.t) : null;
  if (ms === null) fail(`slider, ${what}: saw ${input ? 'no image load' : 'no input event'} for layer ${v}`);
  if (ms !== null && ms > redrawLimitMs) fail(`slider, ${what}: layer ${v} took ${ms} ms to show (limit ${redrawLimitMs} ms)`);
  return { to: v, redrawMs: ms, retries: errors.length };
}

// sliderChecks moves the slider of cell i with the mouse and the keys.
async function sliderChecks(page, i, report) {
  await page.evaluate(instrument);
  const cell = await cellHandle(page, i);
  // The screenshot leaves the slider's output at the top of the view.
  if (!(await shoot(page, await cell.$('.jp-OutputArea'), 'slider-before.png', await cell.$('.jp-OutputArea')))) fail('slider: not on screen');
  let s = await page.evaluate((i) => window.__qkvSlider(i), i);
  const res = { label: s.label, min: s.min, max: s.max, start: s.value, shownAtStart: s.shown, mouse: [], keys: [] };
  if (s.shown !== String(s.value)) fail(`slider: shows ${JSON.stringify(s.shown)}, not its value ${s.value}`);
  const xOf = (s, v) => s.box.x + 8 + ((v - s.min) / (s.max - s.min)) * (s.box.width - 16);
  const y = s.box.y + s.box.height / 2;

  // A click on the track, a quarter of the way along.
  const clickTo = Math.round(s.min + (s.max - s.min) / 4) === s.value ? s.max : Math.round(s.min + (s.max - s.min) / 4);
  await page.mouse.click(xOf(s, clickTo), y);
  let now = await page.evaluate((i) => window.__qkvSlider(i), i);
  if (now.value === s.value) fail(`slider: a click on its track at layer ${clickTo} did not move it (still ${now.value})`);
  else res.mouse.push({ how: 'click', from: s.value, ...(await waitRedraw(page, i, now.value, 'click')) });
  s = await page.evaluate((i) => window.__qkvSlider(i), i);

  // A drag of the thumb to three quarters of the way.
  const dragTo = Math.round(s.min + ((s.max - s.min) * 3) / 4);
  await page.mouse.move(xOf(s, s.value), y);
  await page.mouse.down();
  await page.mouse.move(xOf(s, dragTo), y, { steps: 12 });
  await page.mouse.up();
  now = await page.evaluate((i) => window.__qkvSlider(i), i);
  if (now.value === s.value) fail(`slider: dragging its thumb to layer ${dragTo} did not move it`);
  else res.mouse.push({ how: 'drag', from: s.value, ...(await waitRedraw(page, i, now.value, 'drag')) });
  await shoot(page, await cell.$('.jp-OutputArea'), 'slider-after-mouse.png', await cell.$('.jp-OutputArea'));

  // The arrow keys, with the focus the click left on the slider.
  s = await page.evaluate((i) => window.__qkvSlider(i), i);
  if (!s.focused) fail('slider: a click on it does not give it the keyboard focus');
  const scrollBefore = await page.evaluate(() => window.__qkv.panel().content.node.querySelector('.jp-WindowedPanel-outer')?.scrollTop);
  for (const [key, d] of [['ArrowLeft', -1], ['ArrowLeft', -1], ['ArrowRight', 1], ['ArrowDown', -1], ['ArrowUp', 1]]) {
    const before = await page.evaluate((i) => window.__qkvSlider(i), i);
    await page.keyboard.press(key);
    await sleep(50);
    const after = await page.evaluate((i) => window.__qkvSlider(i), i);
    const want = Math.min(before.max, Math.max(before.min, before.value + d));
    const entry = { key, from: before.value, selectionMoved: after.activeCell !== before.activeCell || after.selected !== before.selected };
    if (after.value !== want) fail(`slider: ${key} moved it from ${before.value} to ${after.value}, not ${want}`);
    if (entry.selectionMoved) fail(`slider: ${key} moved the notebook's cell selection (active cell ${before.activeCell} → ${after.activeCell})`);
    if (!after.focused) fail(`slider: ${key} took the focus off the slider`);
    Object.assign(entry, after.value !== before.value ? await waitRedraw(page, i, after.value, key) : { to: after.value, redrawMs: null });
    res.keys.push(entry);
  }
  const scrollAfter = await page.evaluate(() => window.__qkv.panel().content.node.querySelector('.jp-WindowedPanel-outer')?.scrollTop);
  res.notebookScrolledByKeysPx = scrollBefore === undefined ? null : scrollAfter - scrollBefore;
  await shoot(page, await cell.$('.jp-OutputArea'), 'slider-after-keys.png', await cell.$('.jp-OutputArea'));
  report.slider = res;
}

// armProbe (in the page) waits for the next execute_reply, the slider cell's
// end, and asks the server then for the figure of the layer farthest from
// the slider's: drawn last in the background, it must not be there yet
// (window.__qkvProbe.result: 'missing', 'there' or what went wrong).
function armProbe([i, before]) {
  const k = window.__qkv.kernel();
  const probe = (window.__qkvProbe = { result: null });
  const ask = (tries) => {
    const s = window.__qkvSlider(i);
    const img = window.__qkv.panel().content.widgets[i].node.querySelector('.qkv-slider img');
    if (!img || s.id === before) { // the new slider is not on the page yet
      if (tries > 0) setTimeout(() => ask(tries - 1), 10); else probe.result = 'not shown';
      return;
    }
    const far = s.value - s.min > s.max - s.value ? s.min : s.max;
    const url = img.src.replace(/v\d{3}_/, `v${String(far).padStart(3, '0')}_`);
    fetch(url, { cache: 'no-store' }).then((r) => { probe.result = r.ok ? 'there' : r.status === 404 ? 'missing' : `HTTP ${r.status}`; })
      .catch((e) => { probe.result = String(e); });
  };
  const onMsg = (_, a) => {
    if (a.direction !== 'recv' || a.msg.header.msg_type !== 'execute_reply') return;
    k.anyMessage.disconnect(onMsg);
    ask(100);
  };
  k.anyMessage.connect(onMsg);
}

// kernelFree runs the slider's cell again and, once the slider shows, the
// cell that prints n_emb; then moves the slider while that cell runs.
async function kernelFree(page, sliderCell, nextCell, report) {
  const before = await page.evaluate((i) => window.__qkvSlider(i).id, sliderCell);
  const msgs0 = await page.evaluate(() => window.__qkvMsgs.length);
  await page.evaluate(() => { window.__qkvDrawnAt = 0; });
  await page.evaluate(armProbe, [sliderCell, before]);
  const asked = await runCell(page, sliderCell);
  await page.waitForFunction((i, before) => {
    const c = window.__qkv.panel().content.widgets[i].node;
    const input = c.querySelector('input[type=range]');
    const id = input && input.closest('[id]') ? input.closest('[id]').id : '';
    if (id && id !== before && !window.__qkvDrawnAt) window.__qkvDrawnAt = performance.now();
    return !!window.__qkvDrawnAt;
  }, { timeout: runTimeoutMs, polling: 'mutation' }, sliderCell, before);
  const nextAsked = await runCell(page, nextCell);
  // Wait for the kernel to start the second request since msgs0: the next cell.
  await page.waitForFunction((n) => {
    const m = window.__qkvMsgs.slice(n);
    const reqs = m.filter((r) => r.type === 'execute_request' && r.dir === 'send');
    return reqs.length >= 2 && m.some((r) => r.type === 'execute_input' && r.parent === reqs[1].id);
  }, { timeout: runTimeoutMs, polling: 20 }, msgs0);
  const [drawnAt, msgs] = await page.evaluate(() => [window.__qkvDrawnAt, window.__qkvMsgs]);
  const mine = msgs.slice(msgs0);
  const reqs = mine.filter((m) => m.type === 'execute_request' && m.dir === 'send');
  const of = (req, type, pred = () => true) => mine.find((m) => m.parent === req.id && m.type === type && pred(m));
  const sliderShown = of(reqs[0], 'display_data', (m) => (m.mime || '').includes('text/html'));
  const sliderReply = of(reqs[0], 'execute_reply');
  const nextInput = of(reqs[1], 'execute_input');
  const res = {
    sliderCellMs: sliderShown ? Math.round(sliderShown.t - asked) : null,
    sliderShownToIdleMs: sliderShown && sliderReply ? Math.round(sliderReply.t - sliderShown.t) : null,
    sliderDrawnToNextStartMs: Math.round(nextInput.t - drawnAt),
    nextAskedToStartMs: Math.round(nextInput.t - nextAsked),
    nextExecutionCount: nextInput.ec,
  };
  if (res.sliderShownToIdleMs === null || res.sliderShownToIdleMs > freeLimitMs) {
    fail(`kernel: the slider's cell ended ${res.sliderShownToIdleMs} ms after the slider showed (limit ${freeLimitMs} ms)`);
  }
  if (res.nextAskedToStartMs > freeLimitMs) fail(`kernel: the next cell started ${res.nextAskedToStartMs} ms after it was run (limit ${freeLimitMs} ms)`);
  res.farthestLayerAtIdle = await page.waitForFunction(() => window.__qkvProbe.result, { timeout: 10000 })
    .then((h) => h.jsonValue()).catch(() => 'no answer');
  if (res.farthestLayerAtIdle !== 'missing') {
    fail(`kernel: when the slider's cell ended, the figure of its farthest layer was ${res.farthestLayerAtIdle}: the cell waited for the background drawing`);
  }

  // The slider moves while the kernel runs the next cell.
  const sliderOut = await cellHandle(page, sliderCell).then((c) => c.$('.jp-OutputArea'));
  await scrollTo(sliderOut, true);
  const s = await page.evaluate((i) => window.__qkvSlider(i), sliderCell);
  await page.mouse.click(s.box.x + 8 + ((s.value - s.min) / (s.max - s.min)) * (s.box.width - 16), s.box.y + s.box.height / 2);
  await page.keyboard.press(s.value > s.min ? 'ArrowLeft' : 'ArrowRight');
  const v = (await page.evaluate((i) => window.__qkvSlider(i), sliderCell)).value;
  if (v === s.value) fail(`slider: a click on its thumb and ${s.value > s.min ? 'ArrowLeft' : 'ArrowRight'} did not move it while the next cell ran`);
  res.sliderWhileNextRuns = { from: s.value, ...(await waitRedraw(page, sliderCell, v, 'while the next cell runs')) };
  res.nextStillRunning = await page.evaluate((i) => window.__qkv.prompts()[i] === '*', nextCell);
  await shoot(page, sliderOut, 'slider-while-busy.png', sliderOut);

  await page.waitForFunction((i, ec) => window.__qkv.prompts()[i] === String(ec), { timeout: runTimeoutMs, polling: 100 }, nextCell, nextInput.ec);
  res.nextCellDoneMs = Math.round((await page.evaluate(() => performance.now())) - nextAsked);
  res.nextCellOutput = (await outputText(page, nextCell)).trim().slice(0, 200);
  if (res.nextCellOutput.startsWith('✗') || !res.nextCellOutput) fail(`kernel: the next cell printed ${JSON.stringify(res.nextCellOutput)}`);
  report.kernelFree = res;
}

// open loads the notebook's page and waits for its kernel.
async function open(page, report) {
  step(`open ${report.url}`);
  await page.goto(url, { waitUntil: 'networkidle2', timeout: 120000 });
  await page.evaluate((src) => { window.__qkvSlider = (0, eval)(`(${src})`); }, sliderState.toString());
  await page.waitForFunction(() => window.jupyterapp, { timeout: 60000 }).catch(() => {
    throw new Error('no window.jupyterapp: start Jupyter with --expose-app-in-browser');
  });
  await helpers(page);
  await page.waitForFunction(() => {
    const k = window.__qkv.kernel();
    // GoNB sends no status until the first request: 'unknown' until then.
    return k && k.connectionStatus === 'connected' && (k.status === 'idle' || k.status === 'unknown');
  }, { timeout: 120000, polling: 200 }).catch(async () => {
    throw new Error(`the kernel is not ready after 120 s: ${await page.evaluate(() => {
      const k = window.__qkv.kernel();
      return k ? `${k.connectionStatus}, ${k.status}` : 'no kernel';
    })}`);
  });
  await page.evaluate(() => window.__qkv.hook());
  report.app = await page.evaluate(() => `${window.jupyterapp.name} ${window.jupyterapp.version}`);
}

// sliderImages waits until every slider image on the page has loaded (they
// are drawn in the background after the cell ended, the shown layer first)
// and returns the milliseconds waited, or null after redrawLimitMs * 2.
async function sliderImages(page) {
  const t0 = Date.now();
  const ok = await page.waitForFunction(() => [...document.querySelectorAll('.qkv-slider img')]
    .every((im) => im.complete && im.naturalWidth > 0), { timeout: redrawLimitMs * 2, polling: 100 })
    .then(() => true, () => false);
  return ok ? Date.now() - t0 : null;
}

// runAll runs every cell from the Run menu and checks the outputs.
async function runAll(page, report) {
  step('Run > Run All Cells');
  const list = await cells(page);
  await menu(page, 'Run', 'Run All Cells');
  report.runAllSeconds = secs(await waitRun(page, 0, list.map((c) => c.prompt.replace(/[\s:[\]]/g, '')), 'Run All'));
  report.runAllSliderImagesMs = await sliderImages(page);
  await sleep(1000);
  await cells(page);
  const res = await page.evaluate(inspect);
  report.runAll = res;
  checkOutputs('Run All', res, opts.figures);
  report.runAll.screenshots = await shootFigures(page, 'runall', res.figures);
  console.log(`Run All: ${report.runAllSeconds} s, ${res.figures.length} figures`);
}

// typeWord double-clicks the word of target_word's string in the editor of
// cell wordCell (which selects it) and types opts.word over it.
async function typeWord(page, wordCell) {
  const old = /var target_word = " ([A-Za-z]+)"/.exec(wordCell.source);
  if (!old) throw new Error(`target_word is not a space and a word: ${wordCell.source.split('\n').find((l) => l.includes('target_word ='))}`);
  if (old[1] === opts.word) throw new Error(`target_word is " ${opts.word}" already (a notebook saved after an edit?)`);
  const c = await cellHandle(page, wordCell.i);
  await scrollTo(c);
  const box = await c.evaluate((e, word) => {
    const line = [...e.querySelectorAll('.cm-line')].find((l) => l.textContent.includes('var target_word ='));
    const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const k = n.textContent.indexOf(word);
      if (k < 0) continue;
      const r = document.createRange();
      r.setStart(n, k);
      r.setEnd(n, k + word.length);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    }
    return null;
  }, old[1]);
  if (!box) throw new Error(`cannot find "${old[1]}" in the editor of cell ${wordCell.i}`);
  await page.mouse.click(box.x, box.y, { count: 2 });
  await page.keyboard.type(opts.word);
  await sleep(300);
  const edited = (await cells(page))[wordCell.i].source;
  if (!edited.includes(`var target_word = " ${opts.word}"`)) {
    throw new Error(`typing into the editor gave ${JSON.stringify(edited.split('\n').find((l) => l.includes('target_word')))}`);
  }
}

// edit types another word into target_word's cell, runs it and the cells
// below from the Run menu, and checks the new count and that every figure
// changed.
async function edit(page, report, wordCell) {
  step(`edit target_word to " ${opts.word}", Run > Run Selected Cell and All Below`);
  const oldCount = /(\d+) instances of "[^"]*"/.exec(await outputText(page, wordCell.i));
  await typeWord(page, wordCell);
  const before = (await cells(page)).map((c) => c.prompt.replace(/[\s:[\]]/g, ''));
  await menu(page, 'Run', 'Run Selected Cell and All Below');
  report.editRunBelowSeconds = secs(await waitRun(page, wordCell.i, before, 'Run Selected Cell and All Below'));
  report.editSliderImagesMs = await sliderImages(page);
  await sleep(1000);
  await cells(page);
  const after = await page.evaluate(inspect);
  checkOutputs(`" ${opts.word}"`, after, opts.figures);
  const text = await outputText(page, wordCell.i);
  const count = new RegExp(`(\\d+) instances of " ${opts.word}"`).exec(text);
  if (!count) fail(`" ${opts.word}": the word's cell does not print its count: ${text.trim().split('\n').pop()}`);
  const byName = new Map(report.runAll.figures.map((f) => [f.name, f]));
  const same = (f) => byName.has(f.name) && byName.get(f.name).hash === f.hash;
  const unchanged = after.figures.filter((f) => !f.name.startsWith('slider-') && same(f)).map((f) => f.name);
  for (const n of unchanged) fail(`" ${opts.word}": figure ${n} did not change`);
  for (const f of report.runAll.figures) if (!after.figures.some((g) => g.name === f.name)) fail(`" ${opts.word}": figure ${f.name} is gone`);
  report.edit = { word: ` ${opts.word}`, before: oldCount ? oldCount[0] : null, countLine: count ? count[0] : null,
    changed: after.figures.filter((f) => byName.has(f.name) && !same(f)).map((f) => f.name), unchanged, ...after };
  // The word's count and, below it, the context cell's counts before and after filtering.
  const nextCode = (await cells(page)).find((c) => c.i > wordCell.i && c.type === 'code');
  const countsTo = nextCode ? await (await cellHandle(page, nextCode.i)).$('.jp-OutputArea') : null;
  const counts = await (await cellHandle(page, wordCell.i)).$('.jp-OutputArea');
  if (!(await shoot(page, counts, 'edit-counts.png', countsTo))) fail('edit: no screenshot of the counts');
  report.edit.screenshots = ['edit-counts.png', ...(await shootFigures(page, 'edit', after.figures))];
  console.log(`edit + run below: ${report.editRunBelowSeconds} s; ${report.edit.countLine}; ${report.edit.changed.length} figures changed`);
}

// slider moves the slider by mouse and keys, then runs its cell and the
// n_emb cell right after it.
async function slider(page, report, sliderCell, nembCell) {
  if (!sliderCell) throw new Error('no cell calls Slider');
  step('the slider: click, drag, arrow keys');
  await sliderChecks(page, sliderCell.i, report);
  console.log(`slider: ${[...report.slider.mouse, ...report.slider.keys].map((m) => `${m.how || m.key} → ${m.to}: ${m.redrawMs} ms`).join(', ')}`);
  if (!nembCell) throw new Error('no cell prints n_emb');
  step('run the slider\'s cell, then the n_emb cell at once');
  await kernelFree(page, sliderCell.i, nembCell.i, report);
  const k = report.kernelFree;
  console.log(`kernel: free ${k.sliderShownToIdleMs} ms after the slider showed; next cell started ${k.nextAskedToStartMs} ms after it was run ` +
    `(${k.sliderDrawnToNextStartMs} ms after the slider showed), done in ${secs(k.nextCellDoneMs)} s; slider moved meanwhile: ${k.sliderWhileNextRuns.redrawMs} ms`);
}

// ---- The exercise (--exercise) ----

// sideFile is the exercise's side file: its steps, their blanks with the
// answers, the check lines and the hints.
const sideFile = () => JSON.parse(fs.readFileSync(new URL('../ex/blanks.json', import.meta.url), 'utf8'));

// blankText is what a Blank call says when it stops a cell: its first
// argument, unquoted (a Go string literal without Go-only escapes is JSON).
function blankText(call) {
  const m = /Blank\[[^(]*\]\(("(?:[^"\\]|\\.)*")/.exec(call);
  if (!m) throw new Error(`${call} holds no Blank call`);
  return JSON.parse(m[1]);
}

// runAndWait runs cell i with Ctrl+Enter (runCell) and waits for the
// kernel's reply and idle; it returns the time from the key to the reply.
async function runAndWait(page, i) {
  const n = await page.evaluate(() => window.__qkvMsgs.length);
  const asked = await runCell(page, i);
  const replied = await page.waitForFunction((n) => {
    const m = window.__qkvMsgs.slice(n);
    const req = m.find((r) => r.type === 'execute_request' && r.dir === 'send');
    const reply = req && m.find((r) => r.type === 'execute_reply' && r.parent === req.id);
    return reply && window.__qkv.kernel().status === 'idle' ? reply.t : 0;
  }, { timeout: runTimeoutMs, polling: 100 }, n).then((h) => h.jsonValue());
  await sleep(300); // the last outputs drawn
  return replied - asked;
}

// verdictOf reads cell i's outputs: every line, its ✓ and ✗ lines, and the
// lines on stderr or in an error output (a traceback, a build failure) that
// are not ✗ lines.
async function verdictOf(page, i) {
  const outs = await page.evaluate((i) => {
    const c = window.__qkv.panel().content.widgets[i];
    return [...c.node.querySelectorAll('.jp-OutputArea-output')]
      .map((o) => ({ mime: o.getAttribute('data-mime-type') || '', text: o.textContent || '' }));
  }, i);
  const lines = outs.flatMap((o) => o.text.split('\n').map((l) => l.trim()).filter(Boolean)
    .map((line) => ({ line, err: /stderr|error/.test(o.mime) })));
  return {
    lines: lines.map((l) => l.line),
    ticks: lines.filter((l) => l.line.startsWith('✓')).map((l) => l.line),
    crosses: lines.filter((l) => l.line.startsWith('✗')).map((l) => l.line),
    errors: lines.filter((l) => l.err && !l.line.startsWith('✗')).map((l) => l.line),
  };
}

// caretAt places the caret of cell i's editor at offset `at` of its source
// as a reader does: a click on the left half of the character there, then
// the arrow keys for whatever the click missed. It returns the presses.
async function caretAt(page, i, at) {
  const c = await cellHandle(page, i);
  await scrollTo(c);
  const point = await c.evaluate(async (e, at) => {
    const src = window.__qkv.panel().content.widgets[Number(e.dataset.qkvCell)].model.sharedModel.getSource();
    const line = src.slice(0, at).split('\n').length - 1;
    const col = at - (src.lastIndexOf('\n', at - 1) + 1);
    const text = src.split('\n')[line];
    const el = e.querySelectorAll('.cm-content > .cm-line')[line];
    if (!el || el.textContent !== text) return { error: `line ${line} of the editor is not the source's ${JSON.stringify(text)}` };
    el.scrollIntoView({ block: 'center' });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // The character at col (or, at the line's end, the one before it).
    const k = col < text.length ? col : col - 1;
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(), off = 0; n; off += n.textContent.length, n = walk.nextNode()) {
      if (k >= off + n.textContent.length) continue;
      const r = document.createRange();
      r.setStart(n, k - off);
      r.setEnd(n, k - off + 1);
      // A long line may be scrolled sideways past the character: scroll the
      // editor as a reader does, to bring it to the middle.
      const sc = el.closest('.cm-scroller'), sr = sc.getBoundingClientRect();
      let b = r.getBoundingClientRect();
      if (b.left < sr.left + 40 || b.right > sr.right - 20) {
        sc.scrollLeft += b.left - (sr.left + sr.width / 2);
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        b = r.getBoundingClientRect();
      }
      const x = col < text.length ? b.left + Math.min(2, b.width / 4) : b.right - Math.min(2, b.width / 4);
      const y = b.top + b.height / 2;
      const hit = document.elementFromPoint(x, y);
      return el.contains(hit) ? { x, y } : { error: `the point (${x}, ${y}) of line ${line} is covered by ${hit && hit.className}` };
    }
    return { error: `no character ${k} in line ${line}` };
  }, at);
  if (point.error) throw new Error(`cell ${i}: ${point.error}`);
  await page.mouse.click(point.x, point.y);
  await sleep(100);
  const caret = await page.evaluate((i) => {
    const ed = window.__qkv.panel().content.widgets[i].editor;
    return ed.getOffsetAt(ed.getCursorPosition());
  }, i);
  const d = at - caret;
  if (Math.abs(d) > 3) throw new Error(`cell ${i}: a click at offset ${at} put the caret at ${caret}`);
  for (let k = 0; k < Math.abs(d); k++) await page.keyboard.press(d > 0 ? 'ArrowRight' : 'ArrowLeft');
  return Math.abs(d);
}

// typeOver types `text` over the part [start, end) of `at`, a text that cell
// i's source holds once: the caret put before it (caretAt), Shift+Right up
// to its end, Backspace (typed over a selection, a quote or bracket would
// wrap it where the editor closes brackets), then the keys of text. It
// checks the editor's selection and the source that results.
async function typeOver(page, i, at, start, end, text) {
  const src = (await cells(page))[i].source;
  const k = src.indexOf(at);
  if (k < 0 || src.indexOf(at, k + 1) >= 0) throw new Error(`cell ${i} holds ${JSON.stringify(at)} ${k < 0 ? 'nowhere' : 'more than once'}`);
  await caretAt(page, i, k + start);
  await page.keyboard.down('Shift');
  for (let n = start; n < end; n++) await page.keyboard.press('ArrowRight');
  await page.keyboard.up('Shift');
  const selected = await page.evaluate((i) => {
    const ed = window.__qkv.panel().content.widgets[i].editor;
    const s = ed.getSelection();
    return ed.model.sharedModel.getSource().slice(ed.getOffsetAt(s.start), ed.getOffsetAt(s.end));
  }, i);
  if (selected !== at.slice(start, end)) throw new Error(`cell ${i}: selected ${JSON.stringify(selected)}, not ${JSON.stringify(at.slice(start, end))}`);
  if (end > start) await page.keyboard.press('Backspace');
  // A line typed in gets the editor's indentation after Enter: an answer of
  // several lines is pasted instead (its own tabs kept).
  if (text.includes('\n')) await page.keyboard.sendCharacter(text);
  else await page.keyboard.type(text);
  await sleep(300);
  const want = src.slice(0, k) + at.slice(0, start) + text + at.slice(end) + src.slice(k + at.length);
  const got = (await cells(page))[i].source;
  if (got !== want) {
    const line = src.slice(0, k).split('\n').length - 1;
    throw new Error(`cell ${i}: typing ${JSON.stringify(text)} gave ${JSON.stringify(got.split('\n')[line])}`);
  }
}

// fill types each answer over its blank in cell i.
async function fill(page, i, blanks) {
  for (const b of blanks) await typeOver(page, i, b.blank, 0, b.blank.length, b.answer);
}

// exerciseRun runs cell i, checks what it prints with want(verdict) (which
// returns what is wrong, or ''), screenshots the cell and its output as
// file, and records it all in report.exercise.runs.
async function exerciseRun(page, report, what, i, file, want) {
  step(`exercise: ${what}`);
  const ms = await runAndWait(page, i);
  await cells(page);
  const v = await verdictOf(page, i);
  const wrong = want(v);
  if (wrong) fail(`exercise, ${what}: ${wrong}; cell ${i} printed ${JSON.stringify(v.lines.slice(-3))}`);
  const c = await cellHandle(page, i);
  // A cell taller than the view (a figure's code) is shot from its output's top, so that the line printed shows.
  const tall = (await c.evaluate((e) => e.getBoundingClientRect().height)) > 800;
  const shot = tall ? (await c.$('.jp-OutputArea')) || c : c;
  if (file && !(await shoot(page, shot, file, shot))) fail(`exercise, ${what}: no screenshot: cell ${i} is not on screen`);
  report.exercise.runs.push({ what, cell: i, seconds: secs(ms), ok: !wrong, lines: v.lines, screenshot: file || undefined });
  console.log(`${what}: ${secs(ms)} s: ${wrong ? '✗ ' + wrong : v.lines[v.lines.length - 1] || '(nothing)'}`);
}

// The verdicts exerciseRun expects.
const clean = (v) => (v.errors.length ? `error output: ${v.errors[0]}` : v.crosses.length ? `a ✗ line: ${v.crosses[0]}` : '');
const ticks = (re) => (v) => clean(v) || (v.ticks.length !== 1 || !re.test(v.ticks[0]) ? `${v.ticks.length} ✓ lines, want one like ${re}` : '');
const crosses = (re) => (v) => (v.errors.length ? `error output: ${v.errors[0]}` : v.ticks.length ? `a ✓ line: ${v.ticks[0]}`
  : v.crosses.length !== 1 || !re.test(v.crosses[0]) ? `${v.crosses.length} ✗ lines, want one like ${re}` : '');
const literal = (s) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

// exercise: the set-up cells, the n_emb cell unfilled then filled, a wrong
// target_word then the right one, and a hint.
async function exercise(page, report) {
  report.exercise = { runs: [] };
  const side = sideFile();
  const spec = (name) => side.steps.find((s) => s.name === name) || (() => { throw new Error(`blanks.json has no step ${name}`); })();
  const nemb = spec('NEmb'), word = spec('TargetIdx');
  const list = await cells(page);
  const cellOf = (st) => list.find((c) => c.type === 'code' && c.source.includes(st.check)) || (() => { throw new Error(`no cell ends with ${st.check}`); })();
  const nembCell = cellOf(nemb).i, wordCell = cellOf(word).i;
  const hint = `// ex.${word.name}.Hint()`;
  const hintCell = (list.find((c) => c.i > wordCell && c.source.includes(hint)) || {}).i;
  if (hintCell === undefined) throw new Error(`no cell below cell ${wordCell} holds ${hint}`);

  // a. The set-up cells, then the n_emb cell with its blanks.
  for (const c of list.filter((c) => c.type === 'code' && c.i < nembCell)) {
    await exerciseRun(page, report, `set-up cell ${c.i}`, c.i, null, clean);
  }
  const [nembBlank] = nemb.blanks;
  const varName = /^\w+/.exec(nembBlank.book)[0];
  await exerciseRun(page, report, 'n_emb unfilled', nembCell, 'exercise-unfilled.png',
    crosses(literal(`✗ ${varName}: fill in the blank: ${blankText(nembBlank.blank)}`)));

  // b. Its blanks filled right.
  await fill(page, nembCell, nemb.blanks);
  await exerciseRun(page, report, `n_emb right (${nemb.blanks.map((b) => b.answer).join(', ')})`, nembCell, 'exercise-right.png',
    ticks(/^✓ n_emb = \d+ \(model\.Config\.NEmb\) and n_layers = \d+ \(model\.Config\.NLayers\)$/));

  // c. target_word without its space (target_idx right), then the space typed in.
  const [wordBlank, ...rest] = word.blanks;
  if (wordBlank.answer !== '" like"') throw new Error(`target_word's answer is ${wordBlank.answer}, not " like"`);
  await fill(page, wordCell, [{ ...wordBlank, answer: '"like"' }, ...rest]);
  await exerciseRun(page, report, 'target_word "like"', wordCell, 'exercise-wrong.png',
    crosses(/^✗ target_word is "like": " like" and "like" are different GPT-2 tokens \(\d+ and \d+\); inside a sentence the word comes with its space: " like"$/));
  await typeOver(page, wordCell, 'var target_word = "like"', 'var target_word = "'.length, 'var target_word = "'.length, ' ');
  await exerciseRun(page, report, 'target_word " like"', wordCell, 'exercise-fixed.png',
    ticks(/^✓ target_word " like" is token \d+; target_idx holds its \d+ positions in tokens/));

  // d. The hint, uncommented in the cell below.
  await typeOver(page, hintCell, hint, 0, 3, '');
  await exerciseRun(page, report, `${hint.slice(3)} uncommented`, hintCell, 'exercise-hint.png',
    (v) => clean(v) || (v.lines.join(' ') !== `Hint: ${word.hint}` ? 'not the step\'s hint' : ''));

  // e. The rest, top to bottom: each cell's blanks filled, then run.
  await theRest(page, report, side, hintCell);
  const runs = report.exercise.runs;
  report.exercise.setupSeconds = secs(runs.filter((r) => r.what.startsWith('set-up')).reduce((a, r) => a + r.seconds * 1000, 0));
}

// theRest works the exercise after cell `after` to its end, as a learner
// does: every code cell in order, except the cells that only hold a step's
// commented hint and solution; a cell with blanks gets each answer typed
// over its blank first. A step's cell must print one ✓ line, and no ✗ line
// or error; any other cell no ✗ line or error. The last step's cell is
// screenshot as exercise-last.png.
async function theRest(page, report, side, after) {
  const list = await cells(page);
  const stepOf = (c) => side.steps.find((st) => c.source.includes(st.check));
  const onlyHints = (c) => c.source.split('\n').every((l) => !l.trim() || l.trim() === '%%' || /^\/\/ ex\.\w+\.(Hint|Solution)\(\)$/.test(l.trim()));
  const todo = list.filter((c) => c.type === 'code' && c.i > after && !onlyHints(c));
  const lastStep = [...todo].reverse().find(stepOf);
  const t0 = Date.now();
  let ticked = 0;
  for (const c of todo) {
    const st = stepOf(c);
    if (!st) {
      await exerciseRun(page, report, `cell ${c.i}`, c.i, null, clean);
      continue;
    }
    const src = (await cells(page))[c.i].source;
    await fill(page, c.i, st.blanks.filter((b) => src.includes(b.blank)));
    await exerciseRun(page, report, `${st.name} filled`, c.i, c === lastStep ? 'exercise-last.png' : null,
      ticks(/^✓ /));
    ticked++;
  }
  const checked = side.steps.filter((st) => list.some((c) => c.i > after && c.source.includes(st.check))).length;
  if (ticked !== checked) fail(`exercise: ${ticked} checked cells run after cell ${after}, the side file has ${checked} there`);
  report.exercise.restSeconds = secs(Date.now() - t0);
  report.exercise.restSteps = ticked;
  console.log(`the rest of the exercise, top to bottom: ${ticked} steps filled and checked, ${todo.length} cells run in ${secs(Date.now() - t0)} s`);
}

const started = Date.now();
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--window-size=1280,900'],
});
const report = { url: url.replace(/token=[^&]*/, 'token=…'), viewport: '1280x900', failures };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => (report.pageErrors = report.pageErrors || []).push(String(e.message || e).slice(0, 300)));
  await open(page, report);
  if (opts.exercise) await exercise(page, report);
  else {
    await runAll(page, report);
    const list = await cells(page);
    const find = (re) => list.find((c) => re.test(c.source));
    if (opts.edit) {
      const wordCell = find(/var target_word = "/);
      if (!wordCell) throw new Error('no cell declares var target_word');
      await edit(page, report, wordCell);
    }
    if (opts.slider) await slider(page, report, find(/\bSlider\(/), find(/fmt\.Println\("n_emb ="/));
  }
  await page.screenshot({ path: path.join(outDir, 'page-end.png') });
} catch (e) {
  fail(`check.mjs: ${e.message}`);
} finally {
  report.seconds = secs(Date.now() - started);
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await browser.close();
}
console.log(failures.length ? `FAIL: ${failures.length} checks failed (report.json: failures)` : `ok: every check passed in ${report.seconds} s`);
process.exit(failures.length ? 1 : 0);
