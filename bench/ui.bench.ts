// The UI with 100,000 messages, in Chromium through the web host: first paint
// of the dataset view, scrolling the whole list, label-to-next latency with the
// live copy learning each label (least-sure order), the time from a label to
// its re-ranked queue, and the renderer's memory.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEFAULT_TRAIN_SETTINGS, Label, ParsedMail } from '../shared/types';
import { openApiWithInternals as openApi } from '../electron/backend/api/backend';
import { parseMail } from '../electron/backend/ingest/parse';
import { insertMessage } from '../electron/backend/store/messages';
import { setLabel } from '../electron/backend/store/labels';
import { liveOf } from '../electron/backend/live/service';
import { startWebHost } from '../electron/web/server';
import { CHROMIUM_ARGS } from '../test/e2e/harness';
import { chromiumPath } from '../test/support/browser';
import { tempDir } from '../test/support/cli';
import { loadCorpus } from '../test/support/corpus';
import { fmt, machine, timed } from './common';

const COUNT = 100_000;
const LABEL_PRESSES = 200;
/** Messages labeled (as imported) and trained on before the UI opens, so the live copy has a run to learn on. */
const TRAINED_ON = 2000;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;

/** Real messages as templates, varied so every stored message is distinct. */
async function synthesize(): Promise<{ make: (i: number) => ParsedMail; labelOf: (i: number) => Label }> {
  const templates: ParsedMail[] = [];
  const labels: Label[] = [];
  for (const m of loadCorpus({ perGroup: 40 })) {
    templates.push(await parseMail(m.bytes));
    labels.push(m.label);
  }
  return {
    make: (i) => {
      const t = templates[i % templates.length]!;
      return { ...t, contentHash: `synthetic-${i}`, subject: `${t.subject} #${i}`, date: Date.UTC(2002, 0, 1) + i * 60_000 };
    },
    labelOf: (i) => labels[i % labels.length]!,
  };
}

async function main() {
  console.log(`spamlab UI with ${fmt(COUNT)} messages — ${new Date().toISOString().slice(0, 10)} — ${machine()}\n`);
  const dir = tempDir('ui-bench');
  const backend = await openApi({ dbPath: path.join(dir, 'spamlab.db') });
  const { make, labelOf } = await synthesize();
  const loaded = await timed(() => {
    const db = backend.context.db;
    for (let start = 0; start < COUNT; start += 5000) {
      db.transaction(() => {
        for (let i = start; i < Math.min(COUNT, start + 5000); i++)
          insertMessage(db, { mail: make(i), source: 'synthetic', sourceRef: null, raw: null });
      })();
    }
  });
  console.log(`stored ${fmt(COUNT)} messages in ${fmt(loaded.seconds, 1)} s`);
  const trained = await timed(async () => {
    const db = backend.context.db;
    db.transaction(() => {
      for (let i = 0; i < TRAINED_ON; i++) setLabel(db, i + 1, labelOf(i), 'import');
    })();
    const run = await backend.training.start({ ...DEFAULT_TRAIN_SETTINGS, model: 'logistic' }).finished;
    if (run.status !== 'completed') throw new Error(`training failed: ${run.error}`);
    await backend.handle('live.status', {});
    await liveOf(backend.context).idle();
  });
  console.log(
    `labeled ${fmt(TRAINED_ON)}, trained a logistic run, scored every message and started the live copy in ${fmt(trained.seconds, 1)} s`,
  );
  const toReranked: number[] = [];
  backend.on('live.updated', (status) => {
    if (status.lastUpdateMs !== null) toReranked.push(status.lastUpdateMs);
  });

  const root = path.join(__dirname, '..', '..');
  const host = await startWebHost({ backend, staticDir: path.join(root, 'dist', 'renderer') });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

  const firstPaint = await timed(async () => {
    await page.goto(`${host.url}#dataset`);
    await page.waitForSelector('[data-testid=message-row][data-message-id]');
  });

  // Timed in the page: from setting scrollTop to every row in view filled with its message.
  const jumps = await page.evaluate(async () => {
    const list = document.querySelector('[data-testid=message-list]')!;
    const filled = () => !document.querySelector('[data-testid=message-row]:not([data-message-id])');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const times: number[] = [];
    for (let top = 0; top < list.scrollHeight; top += Math.ceil(list.scrollHeight / 100)) {
      const started = performance.now();
      list.scrollTop = top;
      do await frame();
      while (!filled());
      times.push(performance.now() - started);
    }
    return times;
  });
  const rowsInDom = await page.locator('[data-testid=message-row]').count();

  await page.click('[data-testid=nav-label]');
  await page.waitForSelector('[data-testid=message-view]');
  await page.selectOption('[data-testid=queue-order]', 'uncertain');
  await page.waitForTimeout(300);
  // Timed in the page: from the keydown event to the next message's view in the DOM.
  await page.evaluate(() => {
    const state = { down: 0, latencies: [] as number[] };
    (window as unknown as { labelTiming: typeof state }).labelTiming = state;
    window.addEventListener('keydown', () => (state.down = performance.now()), { capture: true });
    new MutationObserver(() => {
      if (state.down) state.latencies.push(performance.now() - state.down);
      state.down = 0;
    }).observe(document.body, { subtree: true, attributeFilter: ['data-message-id'], attributes: true, childList: true });
  });
  for (let i = 0; i < LABEL_PRESSES; i++) {
    const before = await page.getAttribute('[data-testid=message-view]', 'data-message-id');
    await page.keyboard.press(i % 3 === 0 ? 'h' : 's');
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid=message-view]')?.getAttribute('data-message-id') !== id,
      before,
    );
    await page.waitForTimeout(20);
  }
  const latencies = await page.evaluate(() => (window as unknown as { labelTiming: { latencies: number[] } }).labelTiming.latencies);
  await liveOf(backend.context).idle();
  const { learned } = liveOf(backend.context).status();

  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const { metrics } = (await session.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;

  console.log(`first paint of the dataset view (load → first rows): ${fmt(firstPaint.seconds * 1000)} ms   (target ≤ 1,000 ms)`);
  console.log(
    `scroll jump to anywhere in the list → rows filled: median ${fmt(percentile(jumps, 0.5), 1)} ms, p95 ${fmt(percentile(jumps, 0.95), 1)} ms over ${jumps.length} jumps top to bottom (${fmt(jumps.reduce((a, b) => a + b, 0) / 1000, 2)} s for the full list); ${rowsInDom} rows in the DOM`,
  );
  console.log(
    `label → next message, least sure first, learning on: median ${fmt(percentile(latencies, 0.5), 1)} ms, p95 ${fmt(percentile(latencies, 0.95), 1)} ms over ${latencies.length} key presses   (target p95 ≤ 50 ms)`,
  );
  console.log(
    `label → re-ranked queue (live update of ${learned} labels): median ${fmt(percentile(toReranked, 0.5), 1)} ms, p95 ${fmt(percentile(toReranked, 0.95), 1)} ms over ${toReranked.length} updates`,
  );
  console.log(
    `renderer JS heap: ${fmt(metric('JSHeapUsedSize') / 2 ** 20, 1)} MB used of ${fmt(metric('JSHeapTotalSize') / 2 ** 20, 1)} MB; DOM nodes ${fmt(metric('Nodes'))}   (target ≤ 300 MB)`,
  );

  await browser.close();
  await host.close();
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
