/**
 * JPEG metadata stripping by walking the marker segments (ITU T.81 §B.1).
 *
 * Kept (needed to decode or to show the right colours): SOI; APP0 only when it is JFIF; APP2 only when
 * it is ICC_PROFILE; APP14 only when it is Adobe (its colour-transform flag decides how CMYK/YCCK and
 * some RGB files decode; it carries no personal data); DQT, DHT, DAC, DRI, SOF0–15, DNL, DHP, EXP,
 * JPG0–13; every SOS with its entropy-coded data (restart markers included); EOI.
 * Dropped: APP1 (Exif and XMP, both can carry GPS), every other APPn (MPF, Photoshop/IPTC, Ducky, …),
 * COM, fill bytes between segments, and anything after the first EOI (MPF secondary images, appended
 * files). Structure is validated: a bad length, a missing frame header or scan, or a missing EOI →
 * `photo.corrupt`.
 */
import { corrupt, type RemovalLog, type Stripped } from './photo-errors.js';

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const SOS = 0xda;
const EOI = 0xd9;
const COM = 0xfe;

/** The NUL-terminated identifier at the start of an APPn payload, if it is short and printable. */
function appIdentifier(payload: Buffer): string {
  const end = payload.indexOf(0, 0);
  const id = payload.toString('latin1', 0, end >= 0 ? Math.min(end, 40) : Math.min(payload.length, 40));
  return /^[A-Za-z0-9 ._:/-]+$/.test(id) ? id : '';
}

function appLabel(n: number, id: string): string {
  if (n === 1 && id === 'Exif') return 'jpeg:APP1/Exif';
  if (id === 'http://ns.adobe.com/xap/1.0/') return `jpeg:APP${n}/XMP`;
  if (id === 'http://ns.adobe.com/xmp/extension/') return `jpeg:APP${n}/XMP-extension`;
  return id && id.length <= 32 ? `jpeg:APP${n}/${id}` : `jpeg:APP${n}`;
}

function keepApp(n: number, payload: Buffer): boolean {
  const id = appIdentifier(payload);
  if (n === 0) return id === 'JFIF';
  if (n === 2) return id === 'ICC_PROFILE';
  if (n === 14) return payload.toString('latin1', 0, 5) === 'Adobe';
  return false;
}

/** End of the entropy-coded data that starts at `start`: the offset of the next real marker's 0xFF. */
function entropyEnd(src: Buffer, start: number): number {
  let i = start;
  for (;;) {
    i = src.indexOf(0xff, i);
    if (i < 0 || i + 1 >= src.length)
      throw corrupt('jpeg', 'image data ends without an end-of-image marker', src.length);
    const next = src[i + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      i += 2; // stuffed 0xFF byte or restart marker: part of the scan
    } else if (next === 0xff) {
      i += 1; // fill byte before a marker
    } else {
      let end = i;
      while (end > start && src[end - 1] === 0xff) end--; // leave fill bytes out of the scan data
      return end;
    }
  }
}

/** Strips metadata from a JPEG that starts with FF D8 FF. */
export function stripJpeg(src: Buffer, log: RemovalLog): Stripped {
  const out: Buffer[] = [src.subarray(0, 2)];
  let pos = 2;
  let width: number | null = null;
  let height: number | null = null;
  let sawFrame = false;
  let sawScan = false;
  for (;;) {
    if (pos >= src.length) throw corrupt('jpeg', 'missing end-of-image marker', pos);
    if (src[pos] !== 0xff) throw corrupt('jpeg', 'expected a marker', pos);
    let m = pos + 1;
    while (m < src.length && src[m] === 0xff) m++;
    if (m >= src.length) throw corrupt('jpeg', 'missing end-of-image marker', m);
    const marker = src[m] as number;
    pos = m + 1;
    if (marker === EOI) {
      if (!sawScan) throw corrupt('jpeg', 'end-of-image marker before any image data', m - 1);
      out.push(src.subarray(m - 1, pos));
      break;
    }
    if (marker < 0xc0 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      throw corrupt(
        'jpeg',
        `unexpected marker 0xFF${marker.toString(16).toUpperCase().padStart(2, '0')}`,
        m - 1,
      );
    }
    if (pos + 2 > src.length) throw corrupt('jpeg', 'truncated segment header', pos);
    const length = src.readUInt16BE(pos);
    if (length < 2 || pos + length > src.length) {
      throw corrupt('jpeg', 'segment length runs past the end of the file', pos);
    }
    const payload = src.subarray(pos + 2, pos + length);
    const segment = src.subarray(m - 1, pos + length);
    pos += length;

    if (marker >= 0xe0 && marker <= 0xef) {
      const n = marker - 0xe0;
      if (keepApp(n, payload)) {
        out.push(segment);
      } else {
        const id = appIdentifier(payload);
        log.add(appLabel(n, id));
        if (n === 1 && id === 'Exif') log.exif(payload);
      }
      continue;
    }
    if (marker === COM) {
      log.add('jpeg:COM');
      continue;
    }
    if (SOF_MARKERS.has(marker)) {
      const components = payload[5] ?? 0;
      if (payload.length < 6 || components === 0 || payload.length !== 6 + 3 * components) {
        throw corrupt('jpeg', 'malformed frame header', pos - length);
      }
      const h = payload.readUInt16BE(1);
      const w = payload.readUInt16BE(3);
      if (w === 0) throw corrupt('jpeg', 'frame header has zero width', pos - length);
      if (!sawFrame) {
        width = w;
        height = h === 0 ? null : h; // 0: the height comes later in a DNL segment
      }
      sawFrame = true;
    }
    out.push(segment);
    if (marker === SOS) {
      const count = payload[0] ?? 0;
      if (count < 1 || count > 4 || payload.length !== 1 + 2 * count + 3) {
        throw corrupt('jpeg', 'malformed scan header', pos - length);
      }
      if (!sawFrame) throw corrupt('jpeg', 'scan before the frame header', pos - length);
      const end = entropyEnd(src, pos);
      out.push(src.subarray(pos, end));
      pos = end;
      sawScan = true;
    }
  }
  if (pos < src.length) log.add('jpeg:trailing-data');
  return { data: Buffer.concat(out), width, height };
}
