import { useEffect, useRef } from 'react';
import type { ExampleDynamics } from '../../../../shared/contract';

const WIDTH = 520;
const HEIGHT = 420;
const PAD = 40;
const MAX_VARIABILITY = 0.5;

const toX = (variability: number) => PAD + (Math.min(variability, MAX_VARIABILITY) / MAX_VARIABILITY) * (WIDTH - 2 * PAD);
const toY = (confidence: number) => HEIGHT - PAD - confidence * (HEIGHT - 2 * PAD);

/**
 * Dataset cartography (Swayamdipta et al., 2020): each training message at
 * (variability, confidence) of the probability the model gave its label over
 * the epochs. Easy ones sit top-left, hard-to-learn ones (often label errors)
 * bottom-left, ambiguous ones to the right. Drawn on a canvas so thousands of
 * points stay cheap.
 */
export function CartographyMap({
  points,
  selectedId,
  onSelect,
}: {
  points: ExampleDynamics[];
  selectedId: number | null;
  onSelect(id: number): void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const styles = getComputedStyle(document.documentElement);
    const color = (name: string) => styles.getPropertyValue(name).trim();
    context.clearRect(0, 0, WIDTH, HEIGHT);
    context.strokeStyle = color('--border');
    context.fillStyle = color('--muted');
    context.font = '11px system-ui';
    context.strokeRect(PAD, PAD, WIDTH - 2 * PAD, HEIGHT - 2 * PAD);
    // Region names sit outside the frame so the points never hide them.
    context.fillText('variability →', WIDTH - PAD - 70, HEIGHT - 6);
    for (const v of [0, 0.25, 0.5]) context.fillText(String(v), toX(v) - 6, HEIGHT - PAD + 14);
    for (const c of [0, 0.5, 1]) context.fillText(String(c), PAD - 22, toY(c) + 4);
    context.save();
    context.translate(12, PAD + 110);
    context.rotate(-Math.PI / 2);
    context.fillText('confidence →', 0, 0);
    context.restore();
    context.fillText('↖ easy to learn', PAD, PAD - 8);
    context.fillText('↙ hard to learn', PAD + 30, HEIGHT - PAD + 14);
    context.fillText('ambiguous →', WIDTH - PAD - 72, PAD - 8);
    for (const p of points) {
      context.globalAlpha = p.messageId === selectedId ? 1 : 0.6;
      context.fillStyle = color(p.label === 'spam' ? '--spam' : '--ham');
      context.beginPath();
      context.arc(toX(p.variability), toY(p.confidence), p.messageId === selectedId ? 6 : 3, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
  }, [points, selectedId]);

  const pick = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    let best: ExampleDynamics | null = null;
    let bestDistance = 12 ** 2;
    for (const p of points) {
      const distance = (toX(p.variability) - x) ** 2 + (toY(p.confidence) - y) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [p, distance];
    }
    if (best) onSelect(best.messageId);
  };

  return (
    <canvas
      ref={canvas}
      width={WIDTH}
      height={HEIGHT}
      onClick={pick}
      style={{ cursor: 'crosshair' }}
      data-testid="cartography"
      aria-label="dataset cartography map"
    />
  );
}
