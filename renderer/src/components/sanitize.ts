// Mail HTML is hostile. It is parsed into an inert document (DOMParser runs no
// scripts and loads nothing), stripped of everything active or remote, and
// shown in an iframe with an empty sandbox and a `default-src 'none'` policy,
// so whatever this misses still cannot run or phone home.

const DROP_ELEMENTS = new Set([
  'script',
  'noscript',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'meta',
  'link',
  'base',
  'svg',
  'math',
  'video',
  'audio',
  'source',
  'track',
  'canvas',
  'template',
  'portal',
]);
const URL_ATTRIBUTES = [
  'src',
  'srcset',
  'href',
  'background',
  'poster',
  'action',
  'formaction',
  'data',
  'dynsrc',
  'lowsrc',
  'xlink:href',
  'ping',
];

export interface SanitizedMail {
  html: string;
  /** Remote resources (images, styles, fonts…) that were removed. */
  blockedRemote: number;
  /** Scripts, handlers and other active content that was removed. */
  blockedActive: number;
}

const isRemote = (value: string) => /^\s*(https?:|\/\/|ftp:)/i.test(value) || /url\s*\(/i.test(value);
const isInlineImage = (value: string) => /^\s*data:image\/(png|gif|jpe?g|webp);/i.test(value);

/** The URLs of a srcset (each candidate is a URL, then optional descriptors, then a comma). */
const srcsetUrls = (value: string) =>
  value
    .split(/\s+/)
    .filter((word) => word !== '' && !/^\d+(\.\d+)?[wx],?$/i.test(word))
    .map((word) => word.replace(/^,|,$/g, ''));

/**
 * CSS as the browser reads it: comments dropped and escapes decoded (`u\72l(` is `url(`), so the patterns
 * below see what will load. The result is written back with `\` and `<` escaped again, so no escape the
 * cleaning did not see can form and a style element's text cannot close its tag.
 */
function decodeCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, '')
    .replace(/\\([0-9a-f]{1,6})[ \t\n\r\f]?|\\([^\n\r\f0-9a-f])|\\\r?\n/gi, (_, hex?: string, char?: string) => {
      if (hex === undefined) return char ?? '';
      const code = parseInt(hex, 16);
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    });
}

const encodeCss = (css: string) => css.replace(/\\/g, '\\5c ').replace(/</g, '\\3c ');

function cleanCss(css: string, counts: { remote: number }): string {
  const remote = () => {
    counts.remote++;
    return 'none';
  };
  let clean = decodeCss(css);
  // Removing one match can join its neighbours into a new one (`expexpression(ression(`): clean until nothing changes.
  for (let before = ''; before !== clean;) {
    before = clean;
    clean = clean
      .replace(/@import[^;]*;?/gi, () => (remote(), ''))
      .replace(/(-webkit-)?image-set\s*\((?:[^()]|\([^()]*\))*\)?/gi, remote)
      .replace(/url\s*\([^)]*\)?/gi, (match) => (isInlineImage(match.replace(/^url\s*\(\s*['"]?/i, '')) ? match : remote()))
      .replace(/expression\s*\(|behavior\s*:|-moz-binding/gi, '');
  }
  return encodeCss(clean);
}

export function sanitizeMailHtml(html: string): SanitizedMail {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const counts = { remote: 0, active: 0 };
  for (const element of Array.from(doc.querySelectorAll('*'))) {
    const tag = element.tagName.toLowerCase();
    if (DROP_ELEMENTS.has(tag)) {
      if (tag === 'link' || tag === 'iframe' || tag === 'frame' || tag === 'video' || tag === 'audio' || tag === 'source') counts.remote++;
      else counts.active++;
      element.remove();
      continue;
    }
    if (tag === 'style') {
      element.textContent = cleanCss(element.textContent ?? '', counts);
      continue;
    }
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith('on')) {
        counts.active++;
        element.removeAttribute(attribute.name);
      } else if (name === 'style') {
        element.setAttribute('style', cleanCss(value, counts));
      } else if (URL_ATTRIBUTES.includes(name)) {
        if (/^\s*(javascript|vbscript|data:text)/i.test(value)) {
          counts.active++;
          element.removeAttribute(attribute.name);
        } else if (name === 'href' && tag === 'a') {
          // Links stay readable but never navigate: the frame has no permissions anyway.
          element.setAttribute('title', value);
          element.removeAttribute('href');
        } else if (name === 'srcset') {
          // The browser picks any candidate, not only the first: inline images only.
          if (!srcsetUrls(value).every(isInlineImage)) {
            counts.remote++;
            element.removeAttribute(attribute.name);
          }
        } else if (!isInlineImage(value)) {
          if (isRemote(value) || value.trim() !== '') counts.remote++;
          element.removeAttribute(attribute.name);
        }
      }
    }
  }
  const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`;
  const base =
    '<style>body{font:14px/1.5 system-ui,sans-serif;color:#1c2230;background:#fff;margin:12px;word-wrap:break-word}img{max-width:100%}</style>';
  return {
    html: `<!doctype html><html><head>${policy}${base}</head><body>${doc.body.innerHTML}</body></html>`,
    blockedRemote: counts.remote,
    blockedActive: counts.active,
  };
}
