// Share links (issue 7): a link made in one browser context opens the same notebook in a
// fresh one; a link never replaces the user's work without asking; a truncated or tampered
// link shows `error` and leaves the work as it was; hostile text in a link renders inert;
// a link of format 1 (frozen here) keeps opening; links of every editor preset stay under
// 2 kB.
/* global window, document */
import {
  assert,
  byTestId,
  clickTestId,
  expectNoConsoleErrors,
  openApp,
  textOf,
  waitForTestId,
  waitForText,
} from './helpers.mjs';

/** Made by einsketch's first link format; later versions must still open it. */
const FROZEN_V1 =
  '1vlE+5BN4IgbgpgTgzglgewHYgFwEYA0IAuccA2EaIAYlAgF4RIAEY6tBcSA1iNgMYQEExoBtUHAAmJHBAAeOALToOIVizGoQABwoxi2CdJIBZAIYiItAEYBPWhBYxWEHJwAWtAFSuAZgigBbQzlp0d1RaABIrAF5aSVoAHViYHEMoWgB3UIA6EABfTGEVEBE4QwBzKEMfOQUlJAKi0vKfBTxCYlVUmxKnAIA1ACkABQUYBABXKG40UBqCjQgtHAUENRJOZDAAfQ64LpwNsAArFewCQwtoKZAzf2c0ACZsFgBhJ0MkJB5+VAAWbDGcF5vD58NAANkeSDUo0WqAEAA5MHCALrYexQYGCADMmExKJAiSgojaAiw6DxamMRSQJUEpLxRVOeGQtMwZOwZTGai+DxA-yhOAGlJYNNhAAZMKKkdlcviJFzBNNlCR4D41MwPBYcniwHAIKlLokLEQSEgKhAxCczv8SIZoQhhk4EKkAMpwahfHBQUYQbAwR2pUjeHyjU5oT3e33+51yj1eiDSvIgUQkL1IKqopWqVMKeplCokXONdNXQycey1G124YQc1ocUgKAQNQQfxfLAgVLJYMrVD1taq5IQABCozgBDwKFQ4Z9IFOiQASvMQzCkCGCNkpUA';

const cellsOf = (page) =>
  page
    .locator('[data-testid="cell"]')
    .evaluateAll((cells) => cells.map((c) => `${c.dataset.kind}:${c.dataset.cellId}`));

/** Types Markdown into a new text cell. */
async function addProse(page, text) {
  await clickTestId(page, 'add-prose');
  const input = byTestId(page, 'prose-input');
  await input.fill(text);
  await clickTestId(page, 'prose-done');
}

async function setTitle(page, title) {
  const input = await waitForTestId(page, 'notebook-title');
  await input.fill(title);
  await input.press('Enter');
}

/** Clicks a share button and returns the link it shows. */
async function shareLink(page, testId = 'share') {
  await clickTestId(page, testId);
  const link = await waitForTestId(page, `${testId}-link`);
  const url = await link.inputValue();
  assert.match(url, /#\/s\/1[A-Za-z0-9+\-$]+$/);
  await page.locator('.share-popover button[aria-label="Close"]').first().click();
  return url;
}

async function proseTexts(page) {
  const texts = await page.locator('[data-testid="prose-view"] .markdown').allTextContents();
  return texts.map((s) => s.trim());
}

export async function linkOpensSameNotebookInFreshContext(t) {
  const page = await openApp(t, '#/notebook');
  await setTitle(page, 'Shared work');
  await addProse(page, 'Hello $x^2$ and **bold**');
  await byTestId(page, 'add-diagram').selectOption('dense_patchify');
  await clickTestId(page, 'add-run');
  const einsum = await textOf(page, 'einsum');
  const url = await shareLink(page);
  assert.ok(new URL(url).hash.length < 2000, `link of ${url.length} characters`);

  const fresh = await t.browser.newContext();
  try {
    const other = await fresh.newPage();
    const errors = [];
    other.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(url);
    await waitForTestId(other, 'notebook');
    // The empty notebook of a first visit is replaced without asking; the address is cleaned.
    assert.equal(await byTestId(other, 'share-banner').count(), 0);
    assert.equal(new URL(other.url()).hash, '#/notebook');
    assert.equal(await (await waitForTestId(other, 'notebook-title')).inputValue(), 'Shared work');
    assert.deepEqual(await cellsOf(other), await cellsOf(page));
    assert.equal(await textOf(other, 'einsum'), einsum);
    assert.deepEqual(await proseTexts(other), await proseTexts(page));
    assert.equal(await other.locator('[data-testid="prose-view"] .katex').count(), 1);
    // Run results are not in links: the receiver runs the cells.
    assert.equal(await byTestId(other, 'run-result').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await fresh.close();
  }
  expectNoConsoleErrors(t);
}

export async function diagramLinkFromEditorOpensInFreshContext(t) {
  const page = await openApp(t, '#/editor');
  await byTestId(page, 'preset-select').selectOption('kfac_reduce');
  await waitForText(page, 'einsum', /c_in' k1' k2'$/);
  const einsum = await textOf(page, 'einsum');
  const url = await shareLink(page);
  const fresh = await t.browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(url);
    await waitForTestId(other, 'notebook');
    assert.deepEqual(await cellsOf(other), ['diagram:diagram-1']);
    assert.equal(await textOf(other, 'einsum'), einsum);
    assert.equal(await textOf(other, 'diagram-title').catch(() => ''), '');
    assert.equal(await other.locator('[data-testid="diagram-title"]').inputValue(), 'KFAC-reduce');
  } finally {
    await fresh.close();
  }
  expectNoConsoleErrors(t);
}

export async function asksBeforeReplacingOwnWork(t) {
  const page = await openApp(t, '#/notebook');
  await setTitle(page, 'Other');
  await addProse(page, 'other text');
  const url = await shareLink(page);
  await clickTestId(page, 'new-notebook');
  await clickTestId(page, 'confirm-yes');
  await waitForTestId(page, 'notebook-empty');
  await setTitle(page, 'Mine');
  await addProse(page, 'mine text');

  await page.goto(url);
  await waitForTestId(page, 'share-banner');
  assert.deepEqual(await proseTexts(page), ['mine text']);
  await clickTestId(page, 'keep-mine');
  assert.equal(await byTestId(page, 'share-banner').count(), 0);
  assert.deepEqual(await proseTexts(page), ['mine text']);
  assert.equal(new URL(page.url()).hash, '#/notebook');

  // Reloading on a link that waits for an answer asks again; nothing was saved over.
  await page.goto(url);
  await page.reload();
  await waitForTestId(page, 'share-banner');
  assert.deepEqual(await proseTexts(page), ['mine text']);
  await clickTestId(page, 'open-shared');
  await waitForText(page, 'info', /Opened the shared notebook “Other”/);
  assert.deepEqual(await proseTexts(page), ['other text']);
  // Undo brings the user's notebook back.
  await clickTestId(page, 'nb-undo');
  assert.deepEqual(await proseTexts(page), ['mine text']);
  expectNoConsoleErrors(t);
}

export async function truncatedOrTamperedLinkKeepsWork(t) {
  const page = await openApp(t, '#/notebook');
  await setTitle(page, 'Precious');
  await addProse(page, 'precious text');
  await byTestId(page, 'add-diagram').selectOption('conv_forward');
  const url = await shareLink(page);
  const hashAt = url.indexOf('#/s/') + 4;
  const payload = url.slice(hashAt);
  const mid = Math.floor(payload.length / 2);
  const flipped = payload[mid] === 'A' ? 'B' : 'A';
  const bad = {
    truncated: url.slice(0, url.length - 12),
    tampered: url.slice(0, hashAt) + payload.slice(0, mid) + flipped + payload.slice(mid + 1),
    'cut to the checksum': url.slice(0, hashAt + 7),
    'another format': `${url.slice(0, hashAt)}9${payload.slice(1)}`,
  };
  const before = await cellsOf(page);
  for (const [what, link] of Object.entries(bad)) {
    await page.goto(link);
    await page.reload();
    await waitForText(page, 'error', /cannot open this link/, 10_000).catch((err) => {
      throw new Error(`${what} link: ${err.message}`);
    });
    assert.equal(await byTestId(page, 'share-banner').count(), 0, what);
    assert.deepEqual(await cellsOf(page), before, what);
    assert.deepEqual(await proseTexts(page), ['precious text'], what);
    assert.equal(await (await waitForTestId(page, 'notebook-title')).inputValue(), 'Precious');
  }
  // The saved notebook is untouched too.
  await page.goto(`${t.baseUrl}#/notebook`);
  await page.reload();
  await waitForTestId(page, 'notebook');
  assert.deepEqual(await cellsOf(page), before);
  expectNoConsoleErrors(t);
}

const HOSTILE_PROSE = [
  'Script: <script>window.__pwned = 1</script>',
  'Image: <img src=x onerror="window.__pwned = 2">',
  'Link: [click me](javascript:window.__pwned=3) and [JS](JaVaScRiPt:window.__pwned=3)',
  'Raw: <a href="javascript:window.__pwned=4">raw</a>',
  'Math: $\\href{javascript:window.__pwned=5}{x}$ and $\\url{javascript:alert(1)}$',
  'Fine: [a tutorial](#/tutorial/differentiation)',
].join('\n\n');

/** Nothing in the page may run or link to script. */
async function assertInert(page) {
  const found = await page.evaluate(() => ({
    pwned: window.__pwned,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('pwned'))
      .length,
    handlers: [...document.querySelectorAll('*')].filter((el) =>
      [...el.attributes].some((a) => /^on/i.test(a.name)),
    ).length,
    // In the body: the page's own head has a data: favicon.
    jsLinks: [...document.body.querySelectorAll('[href], [src], [action], [formaction]')].filter(
      (el) =>
        ['href', 'src', 'action', 'formaction'].some((a) =>
          /^\s*(javascript|data|vbscript):/i.test(el.getAttribute(a) ?? ''),
        ),
    ).length,
    images: document.querySelectorAll('.markdown img, .nb img').length,
  }));
  assert.deepEqual(found, { pwned: undefined, scripts: 0, handlers: 0, jsLinks: 0, images: 0 });
}

export async function hostileTextRendersInert(t) {
  const page = await openApp(t, '#/notebook');
  await setTitle(page, '<script>window.__pwned = 6</script>');
  await addProse(page, HOSTILE_PROSE);
  await byTestId(page, 'add-diagram').selectOption('conv_forward');
  const title = byTestId(page, 'diagram-title');
  await title.fill('<img src=x onerror="window.__pwned = 7">');
  await title.press('Enter');
  await assertInert(page);
  const url = await shareLink(page);

  const fresh = await t.browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(url);
    await waitForTestId(other, 'notebook');
    await waitForText(other, 'info', /Opened the shared notebook/);
    const text = (await proseTexts(other)).join('\n');
    // The markup is shown as text.
    assert.match(text, /<script>window.__pwned = 1<\/script>/);
    assert.match(text, /<img src=x onerror="window.__pwned = 2">/);
    assert.equal(
      await other.locator('[data-testid="diagram-title"]').inputValue(),
      '<img src=x onerror="window.__pwned = 7">',
    );
    await assertInert(other);
    // A refused link is not followed; the safe one is a link.
    const hrefs = await other
      .locator('[data-testid="prose-view"] a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.includes('#/tutorial/differentiation'), JSON.stringify(hrefs));
    assert.ok(
      hrefs.every((h) => h === '#' || h.startsWith('#/')),
      JSON.stringify(hrefs),
    );
    for (const link of await other.locator('[data-testid="prose-view"] a[href="#"]').all())
      await link.click();
    await assertInert(other);
  } finally {
    await fresh.close();
  }

  // Script in the address itself is shown as text in the error.
  for (const hash of [
    '#/s/<script>window.__pwned=8</script>',
    '#/s/javascript:window.__pwned=9',
    '#/tutorial/<img src=x onerror=window.__pwned=10>',
    '#/<svg onload=window.__pwned=11>',
  ]) {
    await page.goto(`${t.baseUrl}${hash}`);
    await page.reload();
    await waitForTestId(page, 'error');
    await assertInert(page);
  }
  expectNoConsoleErrors(t);
}

export async function linkOfFormatOneStillOpens(t) {
  const page = await openApp(t, `#/s/${FROZEN_V1}`);
  await waitForTestId(page, 'notebook');
  assert.equal(await (await waitForTestId(page, 'notebook-title')).inputValue(), 'Frozen v1 link');
  assert.deepEqual(await cellsOf(page), ['prose:text-1', 'diagram:diagram-1', 'run:run-1']);
  assert.match((await proseTexts(page))[0], /Made by einsketch format 1/);
  await waitForText(page, 'einsum', /-> g c_out c_in k1 k2$/);
  expectNoConsoleErrors(t);
}

export async function presetLinksUnder2kB(t) {
  const page = await openApp(t, '#/editor');
  const presets = await byTestId(page, 'preset-select')
    .locator('option')
    .evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(presets.length >= 12, presets.join());
  const sizes = {};
  for (const id of presets) {
    await byTestId(page, 'preset-select').selectOption(id);
    const url = await shareLink(page);
    sizes[id] = new URL(url).hash.length;
  }
  for (const [id, size] of Object.entries(sizes)) assert.ok(size < 2000, `${id}: ${size}`);
  console.log(`     preset link sizes (characters after #): ${JSON.stringify(sizes)}`);
  expectNoConsoleErrors(t);
}
