/**
 * WebP (RIFF) metadata stripping. The first chunk must be VP8, VP8L or VP8X; an extended (VP8X) file
 * must also hold image data (VP8, VP8L or ANMF frames). Dropped: the `EXIF` and `XMP ` chunks and
 * bytes after the RIFF chunk; the VP8X EXIF (0x08) and XMP (0x04) flag bits are cleared and the RIFF
 * size rewritten. Other chunks are kept as is (an odd-sized last chunk missing its pad byte gets one).
 */
import { corrupt, type RemovalLog, type Stripped } from './photo-errors.js';

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

interface Chunk {
  fourcc: string;
  start: number;
  /** End of the payload (without the pad byte). */
  end: number;
}

function vp8Size(payload: Buffer, at: number): { width: number; height: number } {
  // Frame tag (3 bytes, bit 0 = 0 for a key frame), start code 9D 01 2A, 14-bit width and height.
  if (payload.length < 10 || ((payload[0] as number) & 1) !== 0) {
    throw corrupt('webp', 'VP8 data is not a key frame', at);
  }
  if (payload[3] !== 0x9d || payload[4] !== 0x01 || payload[5] !== 0x2a) {
    throw corrupt('webp', 'VP8 start code missing', at + 3);
  }
  const width = payload.readUInt16LE(6) & 0x3fff;
  const height = payload.readUInt16LE(8) & 0x3fff;
  if (width === 0 || height === 0) throw corrupt('webp', 'VP8 frame has a zero size', at + 6);
  return { width, height };
}

function vp8lSize(payload: Buffer, at: number): { width: number; height: number } {
  // Signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit alpha, 3 bits version (must be 0).
  if (payload.length < 5 || payload[0] !== 0x2f) throw corrupt('webp', 'VP8L signature missing', at);
  const bits = payload.readUInt32LE(1);
  if (bits >>> 29 !== 0) throw corrupt('webp', 'unknown VP8L version', at + 1);
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

/** Strips metadata from a WebP that starts with `RIFF????WEBP`. */
export function stripWebp(src: Buffer, log: RemovalLog): Stripped {
  const riffEnd = 8 + src.readUInt32LE(4);
  if (riffEnd < 12 || riffEnd > src.length)
    throw corrupt('webp', 'the RIFF size runs past the end of the file', 4);
  const chunks: Chunk[] = [];
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw corrupt('webp', 'truncated chunk header', pos);
    const fourcc = src.toString('latin1', pos, pos + 4);
    const size = src.readUInt32LE(pos + 4);
    const end = pos + 8 + size;
    if (end > riffEnd)
      throw corrupt('webp', `${JSON.stringify(fourcc)} chunk runs past the end of the file`, pos);
    chunks.push({ fourcc, start: pos, end });
    pos = end + (size % 2); // chunks are padded to an even size
  }
  const first = chunks[0];
  if (!first) throw corrupt('webp', 'no chunks', 12);
  const payloadOf = (c: Chunk): Buffer => src.subarray(c.start + 8, c.end);

  let size: { width: number; height: number };
  if (first.fourcc === 'VP8 ') {
    size = vp8Size(payloadOf(first), first.start + 8);
  } else if (first.fourcc === 'VP8L') {
    size = vp8lSize(payloadOf(first), first.start + 8);
  } else if (first.fourcc === 'VP8X') {
    const header = payloadOf(first);
    if (header.length < 10) throw corrupt('webp', 'VP8X chunk is too short', first.start);
    size = { width: header.readUIntLE(4, 3) + 1, height: header.readUIntLE(7, 3) + 1 };
    if (!chunks.some((c) => c.fourcc === 'VP8 ' || c.fourcc === 'VP8L' || c.fourcc === 'ANMF')) {
      throw corrupt('webp', 'no image data', first.start);
    }
  } else {
    throw corrupt('webp', 'the first chunk is not VP8, VP8L or VP8X', 12);
  }

  const out: Buffer[] = [];
  for (const c of chunks) {
    if (c.fourcc === 'EXIF' || c.fourcc === 'XMP ') {
      log.add(c.fourcc === 'EXIF' ? 'webp:EXIF' : 'webp:XMP');
      if (c.fourcc === 'EXIF') log.exif(payloadOf(c));
      continue;
    }
    if (c === first && c.fourcc === 'VP8X') {
      const copy = Buffer.from(src.subarray(c.start, c.end));
      copy[8] = (copy[8] as number) & ~(VP8X_EXIF | VP8X_XMP);
      out.push(copy);
    } else {
      out.push(src.subarray(c.start, c.end));
    }
    if ((c.end - c.start) % 2 === 1) out.push(Buffer.alloc(1));
  }
  if (riffEnd < src.length) log.add('webp:trailing-data');
  const body = Buffer.concat(out);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return { data: Buffer.concat([header, body]), width: size.width, height: size.height };
}
