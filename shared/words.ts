// What counts as a word in mail, shared by the tokenizer (main) and the
// highlighter (renderer) so a tinted word is exactly a token the model saw.

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'$€£%.\-_]*[\p{L}\p{N}$€£%]|[\p{L}\p{N}$€£]/gu;

/** Longer runs are base64, hashes or junk, never words. */
export const MAX_WORD_LENGTH = 40;

export interface WordSpan {
  word: string;
  index: number;
}

/** Calls visit with each word of a text and its offset, at most limit of them. */
function eachWord(text: string, limit: number, visit: (word: string, index: number) => void): void {
  const pattern = new RegExp(WORD);
  let seen = 0;
  for (let match = pattern.exec(text); match !== null && seen < limit; match = pattern.exec(text)) {
    if (match[0].length > MAX_WORD_LENGTH) continue;
    visit(match[0], match.index);
    seen++;
  }
}

/** The words of a text, at most limit of them. */
export function words(text: string, limit: number): string[] {
  const out: string[] = [];
  eachWord(text, limit, (word) => out.push(word));
  return out;
}

/** The words of a text with their offsets, at most limit of them. */
export function wordSpans(text: string, limit: number): WordSpan[] {
  const out: WordSpan[] = [];
  eachWord(text, limit, (word, index) => out.push({ word, index }));
  return out;
}
