import { useMemo } from 'react';
import { wordSpans } from '../../../shared/words';

/** Enough words for any message the tokenizer reads in full; the rest is shown untinted. */
const MAX_TINTED_WORDS = 3000;

/**
 * Text with each word tinted by how far its token pushed the score: red toward
 * spam, green toward ham, stronger for a larger push. The hover title gives the number.
 */
export function HighlightedText({ text, weights, className }: { text: string; weights: Record<string, number>; className?: string }) {
  const parts = useMemo(() => {
    const max = Math.max(1e-9, ...Object.values(weights).map(Math.abs));
    const out: React.ReactNode[] = [];
    let at = 0;
    for (const { word, index } of wordSpans(text, MAX_TINTED_WORDS)) {
      const lower = word.toLowerCase();
      if (!Object.hasOwn(weights, lower)) continue;
      const weight = weights[lower]!;
      if (index > at) out.push(text.slice(at, index));
      const strength = Math.round(12 + 48 * Math.min(1, Math.abs(weight) / max));
      out.push(
        <mark
          key={index}
          className={weight > 0 ? 'toward-spam' : 'toward-ham'}
          style={{ '--strength': `${strength}%` } as React.CSSProperties}
          title={`${weight > 0 ? '+' : ''}${weight.toFixed(3)} toward ${weight > 0 ? 'spam' : 'ham'}`}
        >
          {word}
        </mark>,
      );
      at = index + word.length;
    }
    out.push(text.slice(at));
    return out;
  }, [text, weights]);
  return (
    <span className={className} data-testid="highlighted-text">
      {parts}
    </span>
  );
}
