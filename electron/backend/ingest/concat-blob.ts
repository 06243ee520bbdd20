// postal-mime joins each decoded MIME part through `new Blob(chunks).arrayBuffer()`,
// one chunk per line plus a "\n" string after each. Node's Blob makes that
// asynchronous and slow (about 60% of parse time on the SpamAssassin corpus),
// so threads that only parse mail swap in a Blob that just concatenates.

const encoder = new TextEncoder();
const NEWLINE = encoder.encode('\n');

const bytesOf = (part: Uint8Array | ArrayBuffer | string): Uint8Array =>
  typeof part === 'string' ? (part === '\n' ? NEWLINE : encoder.encode(part)) : part instanceof Uint8Array ? part : new Uint8Array(part);

class ConcatBlob {
  private readonly parts: Uint8Array[];
  constructor(parts: Array<Uint8Array | ArrayBuffer | string> = []) {
    this.parts = parts.map(bytesOf);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    let size = 0;
    for (const part of this.parts) size += part.length;
    const out = new Uint8Array(size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out.buffer;
  }
}

/** Replaces this thread's global Blob: only for threads that run nothing but the mail parser. */
export function installConcatBlob(): void {
  (globalThis as { Blob: unknown }).Blob = ConcatBlob;
}
