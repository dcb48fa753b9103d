/**
 * Test helpers: tiny real JPEG, PNG and WebP files built byte by byte, with EXIF (GPS + orientation),
 * XMP and text metadata to strip. For tests only (this folder's and other modules'); not exported
 * from index.ts. The plain images decode with libjpeg, libpng and libwebp.
 */
import zlib from 'node:zlib';

/** A distinctive string planted in metadata; sanitized output must not contain it. */
export const SECRET = 'PITLANE-SECRET-42';
/** GPS latitude 31°14'23.4567" as three RATIONALs; their bytes must not survive sanitizing. */
export const GPS_LATITUDE: readonly [number, number][] = [
  [31, 1],
  [14, 1],
  [234567, 10000],
];
/** An XMP packet with a GPS position and the secret. */
export const XMP_PACKET =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description ' +
  `xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,14.39N" exif:UserComment="${SECRET}"/>` +
  '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

// ---------------------------------------------------------------- EXIF (TIFF structure)

export interface ExifOptions {
  littleEndian?: boolean;
  /** Orientation tag value; omitted when undefined. */
  orientation?: number;
  /** Add a GPS IFD with {@link GPS_LATITUDE}. Default true. */
  gps?: boolean;
}

/** The bytes of {@link GPS_LATITUDE} as written in an EXIF block of the given byte order. */
export function gpsLatitudeBytes(littleEndian = true): Buffer {
  const b = Buffer.alloc(24);
  GPS_LATITUDE.forEach(([num, den], i) => {
    if (littleEndian) {
      b.writeUInt32LE(num, i * 8);
      b.writeUInt32LE(den, i * 8 + 4);
    } else {
      b.writeUInt32BE(num, i * 8);
      b.writeUInt32BE(den, i * 8 + 4);
    }
  });
  return b;
}

interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Inline value (≤ 4 bytes, left-aligned) or data stored elsewhere (offset written). */
  value: Buffer;
}

/** A TIFF-structured EXIF block (no `Exif\0\0` prefix): IFD0 with Make, Orientation, GPS pointer. */
export function buildExif(opts: ExifOptions = {}): Buffer {
  const le = opts.littleEndian ?? true;
  const u16 = (n: number): Buffer => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(n);
    else b.writeUInt16BE(n);
    return b;
  };
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(n);
    else b.writeUInt32BE(n);
    return b;
  };
  const ifdSize = (n: number): number => 2 + n * 12 + 4;
  const make = Buffer.from(`${SECRET}-CAM\0`, 'latin1');
  const ifd0: IfdEntry[] = [{ tag: 0x010f, type: 2, count: make.length, value: make }];
  if (opts.orientation !== undefined) {
    ifd0.push({ tag: 0x0112, type: 3, count: 1, value: Buffer.concat([u16(opts.orientation), u16(0)]) });
  }
  const withGps = opts.gps ?? true;
  if (withGps) ifd0.push({ tag: 0x8825, type: 4, count: 1, value: u32(0) }); // offset patched below
  const gps: IfdEntry[] = [
    { tag: 0x0001, type: 2, count: 2, value: Buffer.from('N\0\0\0', 'latin1') },
    { tag: 0x0002, type: 5, count: 3, value: gpsLatitudeBytes(le) },
    { tag: 0x0003, type: 2, count: 2, value: Buffer.from('E\0\0\0', 'latin1') },
    { tag: 0x0004, type: 5, count: 3, value: gpsLatitudeBytes(le) },
  ];
  const ifd0Offset = 8;
  const gpsOffset = ifd0Offset + ifdSize(ifd0.length);
  let dataOffset = gpsOffset + (withGps ? ifdSize(gps.length) : 0);
  const extra: Buffer[] = [];
  const writeIfd = (entries: IfdEntry[]): Buffer => {
    const parts = [u16(entries.length)];
    for (const e of entries) {
      let field = e.value;
      if (e.tag === 0x8825) field = u32(gpsOffset);
      else if (e.value.length > 4) {
        field = u32(dataOffset);
        extra.push(e.value);
        dataOffset += e.value.length;
      }
      parts.push(
        u16(e.tag),
        u16(e.type),
        u32(e.count),
        Buffer.concat([field, Buffer.alloc(4)]).subarray(0, 4),
      );
    }
    parts.push(u32(0));
    return Buffer.concat(parts);
  };
  const header = Buffer.concat([Buffer.from(le ? 'II' : 'MM', 'latin1'), u16(42), u32(ifd0Offset)]);
  const first = writeIfd(ifd0);
  const second = withGps ? writeIfd(gps) : Buffer.alloc(0);
  return Buffer.concat([header, first, second, ...extra]);
}

// ---------------------------------------------------------------- JPEG

/** One marker segment: FF, marker, 2-byte length, payload. */
export function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** APP1 Exif segment. */
export const jpegExifSegment = (exif: Buffer = buildExif({ orientation: 6 })): Buffer =>
  jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif]));
/** APP1 XMP segment. */
export const jpegXmpSegment = (): Buffer =>
  jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${XMP_PACKET}`, 'latin1'));
/** COM segment. */
export const jpegComment = (text = `comment ${SECRET}`): Buffer =>
  jpegSegment(0xfe, Buffer.from(text, 'latin1'));
/** APP2 ICC_PROFILE segment (a fake but well-framed profile chunk 1 of 1). */
export const jpegIccSegment = (): Buffer =>
  jpegSegment(
    0xe2,
    Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), Buffer.alloc(32, 7)]),
  );
/** APP2 MPF segment (multi-picture index). */
export const jpegMpfSegment = (): Buffer => jpegSegment(0xe2, Buffer.from(`MPF\0II*\0${SECRET}`, 'latin1'));
/** APP13 Photoshop IRB (IPTC) segment. */
export const jpegPhotoshopSegment = (): Buffer =>
  jpegSegment(
    0xed,
    Buffer.from(`Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10city ${SECRET}`, 'latin1'),
  );
/** APP14 Adobe segment (DCTEncodeVersion 100, flags 0, 0, transform 1). */
export const jpegAdobeSegment = (): Buffer =>
  jpegSegment(0xee, Buffer.from([0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, 1]));

export interface JpegOptions {
  width?: number;
  height?: number;
  /** Segments placed right after APP0 JFIF (metadata goes here in camera files). */
  segments?: Buffer[];
  /** Segments placed between the tables and SOF0. */
  middle?: Buffer[];
  /** Restart interval in MCUs (adds DRI and RSTn markers). */
  restartInterval?: number;
  /** Replace the (decodable) entropy-coded data with these bytes. */
  entropy?: Buffer;
  /** Bytes appended after EOI. */
  trailing?: Buffer;
  /** Omit the APP0 JFIF segment. */
  noJfif?: boolean;
}

/**
 * A decodable baseline greyscale JPEG of the given size (default 1×1, mid-grey): one quantisation
 * table, one-code DC and AC Huffman tables, each 8×8 block coded as "DC diff 0, EOB" (two 0 bits).
 */
export function buildJpeg(opts: JpegOptions = {}): Buffer {
  const width = opts.width ?? 1;
  const height = opts.height ?? 1;
  const jfif = jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  const dqt = jpegSegment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
  const counts = Buffer.alloc(16);
  counts[0] = 1;
  const dhtDc = jpegSegment(0xc4, Buffer.concat([Buffer.from([0x00]), counts, Buffer.from([0x00])]));
  const dhtAc = jpegSegment(0xc4, Buffer.concat([Buffer.from([0x10]), counts, Buffer.from([0x00])]));
  const sofPayload = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0]);
  sofPayload.writeUInt16BE(height, 1);
  sofPayload.writeUInt16BE(width, 3);
  const sof = jpegSegment(0xc0, sofPayload);
  const sos = jpegSegment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  let entropy: Buffer;
  const tables: Buffer[] = [dqt, dhtDc, dhtAc];
  if (opts.entropy) {
    entropy = opts.entropy;
  } else if (opts.restartInterval) {
    const ri = opts.restartInterval;
    const dri = Buffer.from([0, 0]);
    dri.writeUInt16BE(ri);
    tables.push(jpegSegment(0xdd, dri));
    const parts: Buffer[] = [];
    for (let start = 0, k = 0; start < blocks; start += ri, k++) {
      if (start > 0) parts.push(Buffer.from([0xff, 0xd0 + ((k - 1) % 8)]));
      parts.push(packZeroBits(2 * Math.min(ri, blocks - start)));
    }
    entropy = Buffer.concat(parts);
  } else {
    entropy = packZeroBits(2 * blocks);
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...(opts.noJfif ? [] : [jfif]),
    ...(opts.segments ?? []),
    ...tables,
    ...(opts.middle ?? []),
    sof,
    sos,
    entropy,
    Buffer.from([0xff, 0xd9]),
    opts.trailing ?? Buffer.alloc(0),
  ]);
}

/** `bits` zero bits, padded to a byte boundary with 1 bits. */
function packZeroBits(bits: number): Buffer {
  const out = Buffer.alloc(Math.ceil(bits / 8));
  const rest = bits % 8;
  if (rest > 0) out[out.length - 1] = 0xff >> rest;
  return out;
}

// ---------------------------------------------------------------- PNG

/** One PNG chunk with its CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

export const pngText = (): Buffer => pngChunk('tEXt', Buffer.from(`Comment\0${SECRET}`, 'latin1'));
export const pngZtxt = (): Buffer =>
  pngChunk(
    'zTXt',
    Buffer.concat([Buffer.from('Raw profile type exif\0\0', 'latin1'), zlib.deflateSync(SECRET)]),
  );
export const pngItxtXmp = (): Buffer =>
  pngChunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${XMP_PACKET}`, 'utf8'));
export const pngExif = (exif: Buffer = buildExif({ orientation: 8, littleEndian: false })): Buffer =>
  pngChunk('eXIf', exif);
export const pngTime = (): Buffer => pngChunk('tIME', Buffer.from([0x07, 0xe9, 6, 1, 12, 0, 0]));
/** sRGB (rendering intent perceptual): a chunk that must be kept. */
export const pngSrgb = (): Buffer => pngChunk('sRGB', Buffer.from([0]));

export interface PngOptions {
  width?: number;
  height?: number;
  /** Chunks right after IHDR. */
  before?: Buffer[];
  /** Chunks between IDAT and IEND. */
  after?: Buffer[];
  /** Bytes appended after IEND. */
  trailing?: Buffer;
}

/** A decodable 8-bit RGB PNG (default 2×1) with a simple colour gradient. */
export function buildPng(opts: PngOptions = {}): Buffer {
  const width = opts.width ?? 2;
  const height = opts.height ?? 1;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (1 + width * 3) + 1 + x * 3;
      raw[at] = (x * 40) & 0xff;
      raw[at + 1] = (y * 40) & 0xff;
      raw[at + 2] = 200;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(opts.before ?? []),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    ...(opts.after ?? []),
    pngChunk('IEND', Buffer.alloc(0)),
    opts.trailing ?? Buffer.alloc(0),
  ]);
}

// ---------------------------------------------------------------- WebP

/** VP8 key frame of a 1×1 lossy WebP (the payload of its `VP8 ` chunk). */
export const VP8_1X1 = Buffer.from('MAEAnQEqAQABAA7A/iWkAANwAAAAAA==', 'base64');
/** VP8L bitstream of a 1×1 lossless WebP (the payload of its `VP8L` chunk). */
export const VP8L_1X1 = Buffer.from('LwAAABAHEBERiIj+Bw==', 'base64');

/** One RIFF chunk, padded to an even size. */
export function webpChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
}

/** Wraps chunks in `RIFF <size> WEBP`. */
export function riffWebp(chunks: Buffer[], trailing: Buffer = Buffer.alloc(0)): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body, trailing]);
}

/** A VP8X chunk with the given flags and canvas size. */
export function vp8xChunk(flags: number, width: number, height: number): Buffer {
  const p = Buffer.alloc(10);
  p[0] = flags;
  p.writeUIntLE(width - 1, 4, 3);
  p.writeUIntLE(height - 1, 7, 3);
  return webpChunk('VP8X', p);
}

export interface WebpOptions {
  lossless?: boolean;
  /** Extended format with these metadata chunks (VP8X flags set accordingly). */
  exif?: Buffer;
  xmp?: boolean;
  icc?: boolean;
  /** Force the extended format even without metadata. */
  extended?: boolean;
  trailing?: Buffer;
}

/** A decodable 1×1 WebP, simple or extended (VP8X + ICCP? + image + EXIF? + XMP?). */
export function buildWebp(opts: WebpOptions = {}): Buffer {
  const image = opts.lossless ? webpChunk('VP8L', VP8L_1X1) : webpChunk('VP8 ', VP8_1X1);
  const extended = opts.extended || opts.exif !== undefined || opts.xmp || opts.icc;
  if (!extended) return riffWebp([image], opts.trailing);
  const flags = (opts.icc ? 0x20 : 0) | (opts.exif ? 0x08 : 0) | (opts.xmp ? 0x04 : 0);
  return riffWebp(
    [
      vp8xChunk(flags, 1, 1),
      ...(opts.icc ? [webpChunk('ICCP', Buffer.alloc(35, 3))] : []),
      image,
      ...(opts.exif ? [webpChunk('EXIF', opts.exif)] : []),
      ...(opts.xmp ? [webpChunk('XMP ', Buffer.from(XMP_PACKET, 'utf8'))] : []),
    ],
    opts.trailing,
  );
}
