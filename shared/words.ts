// What counts as a word in mail, shared by the tokenizer (main) and the
// highlighter (renderer) so a tinted word is exactly a token the model saw.

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'$€£%.\-_]*[\p{L}\p{N}$€£%]|[\p{L}\p{N}$€£]/gu;

/** Longer runs are base64, hashes or junk, never words. */
export const MAX_WORD_LENGTH = 40;

export interface WordSpan {
  word: string;
  index: number;
}

/** The words of a text with their offsets, at most limit of them. */
export function wordSpans(text: string, limit: number): WordSpan[] {
  const out: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    if (match[0].length > MAX_WORD_LENGTH) continue;
    out.push({ word: match[0], index: match.index });
    if (out.length >= limit) break;
  }
  return out;
}
