// Draws resources/icon.png (512×512): an envelope on a rounded square, the
// mark of spamlab. Plain zlib + PNG chunks, so no image tool is needed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 512;
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pixels = Buffer.alloc(SIZE * SIZE * 4);

function inRoundedSquare(x, y, margin, radius) {
  const lo = margin;
  const hi = SIZE - margin;
  if (x < lo || x >= hi || y < lo || y >= hi) return false;
  const cx = Math.min(Math.max(x, lo + radius), hi - radius);
  const cy = Math.min(Math.max(y, lo + radius), hi - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

const onSegment = (x, y, x1, y1, x2, y2, width) => {
  const t = Math.max(0, Math.min(1, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)));
  return Math.hypot(x - (x1 + t * (x2 - x1)), y - (y1 + t * (y2 - y1))) <= width;
};

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const i = (y * SIZE + x) * 4;
    if (!inRoundedSquare(x, y, 24, 96)) continue;
    const t = (x + y) / (2 * SIZE);
    let [r, g, b] = [Math.round(59 + t * (214 - 59)), Math.round(91 + t * (51 - 91)), Math.round(219 + t * (108 - 219))];
    const envelope = x >= 116 && x < 396 && y >= 156 && y < 356;
    if (envelope) [r, g, b] = [255, 255, 255];
    if (envelope && (onSegment(x, y, 116, 160, 256, 270, 9) || onSegment(x, y, 396, 160, 256, 270, 9))) [r, g, b] = [59, 91, 219];
    pixels.set([r, g, b, 255], i);
  }
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8);
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(rows)),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(root, 'resources', 'icon.png'), png);
console.log(`resources/icon.png: ${png.length} bytes`);
