/** Text with the words of a search marked where they appear, case-insensitively (as the search itself matches). */
export function Marked({ text, words }: { text: string; words: string }) {
  const terms = words
    .split(/\s+/)
    .map((w) => w.replace(/["*^()]/g, ''))
    .filter((w) => w.length > 0);
  if (terms.length === 0) return <>{text}</>;
  const pattern = new RegExp(`(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  const parts = text.split(pattern);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
}
