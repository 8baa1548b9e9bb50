import { createHash } from 'node:crypto';

// Encoded feed items live in shared memory, so that whichever thread writes a feed
// reads them where they were made: an article's item is in the main feed and in up
// to twenty tag feeds, and copying it to the writer once per feed (or once per
// thread) would cost what writing it costs. Each item is its UTF-8 bytes followed
// by their sha256 (from which a feed's hash is derived without reading the bytes).

/** Where an item lives: chunk id, byte offset, byte length (its digest follows it). */
export type ItemRef = [chunk: number, offset: number, length: number];

const CHUNK_BYTES = 32 * 1024 * 1024;
const DIGEST_BYTES = 32;

export class Arena {
  private readonly chunks: { id: number; sab: SharedArrayBuffer; view: Uint8Array }[] = [];
  private used = 0;
  /** Chunks made since the last call to takeNew(): the other side has not seen them. */
  private fresh: [number, SharedArrayBuffer][] = [];
  private readonly encoder = new TextEncoder();

  /** `base`: this arena's first chunk id; ids stay below base + 65,536 (2 TB). */
  constructor(private readonly base: number) {}

  /** Forget every chunk (the memory goes once nothing else refers to it); ids go on. */
  release(): void {
    this.next += this.chunks.length;
    this.chunks.length = 0;
    this.fresh = [];
  }

  private next = 0;

  /** Encode `text` into shared memory with its sha256; where it went. */
  put(text: string): ItemRef {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = text.length * 3 + DIGEST_BYTES;
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + room > chunk.view.length) {
      const sab = new SharedArrayBuffer(Math.max(CHUNK_BYTES, room));
      chunk = { id: this.base + this.next + this.chunks.length, sab, view: new Uint8Array(sab) };
      this.chunks.push(chunk);
      this.fresh.push([chunk.id, sab]);
      this.used = 0;
    }
    const offset = this.used;
    const { written } = this.encoder.encodeInto(text, chunk.view.subarray(offset));
    const bytes = chunk.view.subarray(offset, offset + written);
    chunk.view.set(createHash('sha256').update(bytes).digest(), offset + written);
    this.used = offset + written + DIGEST_BYTES;
    return [chunk.id, offset, written];
  }

  /** The chunks made since the last call, to send along with the refs into them. */
  takeNew(): [number, SharedArrayBuffer][] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

/** Every chunk one side knows, by id: refs become views, and views refs again. */
export class Chunks {
  private readonly byId = new Map<number, SharedArrayBuffer>();
  private readonly ids = new Map<SharedArrayBuffer, number>();

  add(chunks: Iterable<[number, SharedArrayBuffer]>): void {
    for (const [id, sab] of chunks) {
      this.byId.set(id, sab);
      this.ids.set(sab, id);
    }
  }

  clear(): void {
    this.byId.clear();
    this.ids.clear();
  }

  entries(): IterableIterator<[number, SharedArrayBuffer]> {
    return this.byId.entries();
  }

  bytes([chunk, offset, length]: ItemRef): Uint8Array {
    const sab = this.byId.get(chunk);
    if (!sab) throw new Error(`unknown item chunk ${chunk}`);
    return new Uint8Array(sab, offset, length);
  }

  digest([chunk, offset, length]: ItemRef): Uint8Array {
    return new Uint8Array(this.byId.get(chunk)!, offset + length, DIGEST_BYTES);
  }

  /** The ref of a view made by bytes(), or undefined for bytes outside every chunk. */
  refOf(view: Uint8Array): ItemRef | undefined {
    const id = view.buffer instanceof SharedArrayBuffer ? this.ids.get(view.buffer) : undefined;
    return id === undefined ? undefined : [id, view.byteOffset, view.length];
  }
}
