/**
 * Reads the two facts we report before an EXIF block is dropped: whether it has a GPS IFD and the
 * orientation tag. Never throws: a malformed block just yields no facts (it is removed anyway).
 */

/** What an EXIF block said before it was removed. */
export interface ExifFacts {
  /** IFD0 points to a GPS IFD (tag 0x8825). */
  gps: boolean;
  /** The orientation tag (0x0112), 1–8, or null when absent or invalid. */
  orientation: number | null;
}

const TAG_ORIENTATION = 0x0112;
const TAG_GPS_IFD = 0x8825;
const TYPE_SHORT = 3;

/** Inspects a TIFF-structured EXIF block, with or without the `Exif\0\0` prefix used by JPEG APP1. */
export function inspectExif(block: Buffer): ExifFacts {
  const facts: ExifFacts = { gps: false, orientation: null };
  const tiff = block.length >= 6 && block.toString('latin1', 0, 6) === 'Exif\0\0' ? block.subarray(6) : block;
  if (tiff.length < 8) return facts;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return facts;
  const le = order === 'II';
  const u16 = (at: number): number => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number): number => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return facts;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return facts;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const tag = u16(entry);
    if (tag === TAG_GPS_IFD) facts.gps = true;
    if (tag === TAG_ORIENTATION && u16(entry + 2) === TYPE_SHORT && u32(entry + 4) === 1) {
      const value = u16(entry + 8);
      if (value >= 1 && value <= 8) facts.orientation = value;
    }
  }
  return facts;
}
