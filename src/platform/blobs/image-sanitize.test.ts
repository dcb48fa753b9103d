import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../errors.js';
import { detectPhotoType, sanitizeImage, type SanitizedImage } from './image-sanitize.js';
import {
  SECRET,
  buildExif,
  buildJpeg,
  buildPng,
  buildWebp,
  gpsLatitudeBytes,
  jpegAdobeSegment,
  jpegComment,
  jpegExifSegment,
  jpegIccSegment,
  jpegMpfSegment,
  jpegPhotoshopSegment,
  jpegSegment,
  jpegXmpSegment,
  pngChunk,
  pngExif,
  pngItxtXmp,
  pngSrgb,
  pngText,
  pngTime,
  pngZtxt,
  riffWebp,
  vp8xChunk,
  webpChunk,
  VP8_1X1,
  VP8L_1X1,
} from './photo-fixtures.js';

const MAX = 5 * 1024 * 1024;
const sanitize = (data: Buffer): SanitizedImage => sanitizeImage(data, { maxBytes: MAX });

/** The AppError thrown by `fn` (fails the test when it throws something else or nothing). */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const expectCorrupt = (data: Buffer): void => {
  const e = appErrorOf(() => sanitize(data));
  expect(e.code).toBe('photo.corrupt');
  expect(e.kind).toBe('validation');
};

/** Asserts none of the planted metadata survived. */
function expectClean(out: Buffer): void {
  expect(out.includes(SECRET)).toBe(false);
  expect(out.includes(gpsLatitudeBytes(true))).toBe(false);
  expect(out.includes(gpsLatitudeBytes(false))).toBe(false);
  expect(out.includes('GPSLatitude')).toBe(false);
  expect(out.includes('Exif\0\0')).toBe(false);
}

const ALLOWED_CODES = new Set(['photo.empty', 'photo.unsupported_type', 'photo.corrupt']);

describe('sanitizeImage: size and type checks', () => {
  it('rejects an empty file with photo.empty', () => {
    const e = appErrorOf(() => sanitize(Buffer.alloc(0)));
    expect([e.code, e.kind, e.status]).toEqual(['photo.empty', 'validation', 422]);
  });

  it('rejects a file over maxBytes with photo.too_large, accepts exactly maxBytes', () => {
    const jpeg = buildJpeg();
    const e = appErrorOf(() => sanitizeImage(jpeg, { maxBytes: jpeg.length - 1 }));
    expect([e.code, e.kind, e.status]).toEqual(['photo.too_large', 'payload_too_large', 413]);
    expect(e.details).toEqual({ size: jpeg.length, maxBytes: jpeg.length - 1 });
    expect(sanitizeImage(jpeg, { maxBytes: jpeg.length }).contentType).toBe('image/jpeg');
  });

  it('checks the size before looking at the content', () => {
    expect(appErrorOf(() => sanitizeImage(Buffer.from('not an image'), { maxBytes: 4 })).code).toBe(
      'photo.too_large',
    );
  });

  it('refuses a nonsensical maxBytes as a programming error', () => {
    expect(() => sanitizeImage(buildJpeg(), { maxBytes: 0 })).toThrow(RangeError);
    expect(() => sanitizeImage(buildJpeg(), { maxBytes: Number.NaN })).toThrow(RangeError);
  });

  it.each([
    ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'), 'GIF'],
    ['HEIC', Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'), 'HEIC/HEIF'],
    ['AVIF', Buffer.from('\0\0\0\x1cftypavif\0\0\0\0avifmif1', 'latin1'), 'AVIF'],
    ['SVG', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'SVG'],
    ['PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), 'PDF'],
    ['TIFF', Buffer.from('II*\0\x08\0\0\0', 'latin1'), 'TIFF'],
    ['text', Buffer.from('Brake pads worn, 3 mm left. 刹车片磨损'), 'text'],
    ['a 2-byte JPEG start', Buffer.from([0xff, 0xd8]), 'a truncated or unknown image'],
    ['a 7-byte PNG start', buildPng().subarray(0, 7), 'a truncated or unknown image'],
    ['RIFF that is not WebP', Buffer.from('RIFF\x04\0\0\0WAVE', 'latin1'), 'a truncated or unknown image'],
    ['binary noise', Buffer.from([0x00, 0x13, 0x37, 0xfe, 0x01]), 'an unrecognised format'],
  ])('rejects %s with photo.unsupported_type', (_name, data, detected) => {
    const e = appErrorOf(() => sanitize(data));
    expect([e.code, e.kind, e.status]).toEqual(['photo.unsupported_type', 'unsupported_media_type', 415]);
    expect(e.message).toContain('JPEG, PNG or WebP');
    expect(e.details).toEqual({ accepted: ['image/jpeg', 'image/png', 'image/webp'], detected });
  });

  it('tells iPhone users how to switch from HEIC to JPEG', () => {
    const e = appErrorOf(() => sanitize(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1')));
    expect(e.message).toContain('Most Compatible');
  });

  it('detects the type from the bytes only: a PNG sent as photo.jpg / image/jpeg is a PNG', () => {
    // sanitizeImage takes no name or declared type on purpose; whatever the client said is ignored.
    const png = buildPng();
    expect(detectPhotoType(png)).toBe('image/png');
    expect(sanitize(png).contentType).toBe('image/png');
    expect(sanitize(buildWebp()).contentType).toBe('image/webp');
    expect(sanitize(buildJpeg()).contentType).toBe('image/jpeg');
  });

  it('rejects a text file that the client labelled image/jpeg', () => {
    expect(detectPhotoType(Buffer.from('hello.jpg'))).toBeNull();
    expect(appErrorOf(() => sanitize(Buffer.from('this is a text file named photo.jpg'))).code).toBe(
      'photo.unsupported_type',
    );
  });
});

describe('sanitizeImage: JPEG', () => {
  it('leaves a clean JPEG byte for byte unchanged and reads its size', () => {
    const jpeg = buildJpeg({ width: 37, height: 21 });
    const r = sanitize(jpeg);
    expect(r.data.equals(jpeg)).toBe(true);
    expect([r.width, r.height, r.removed, r.orientation]).toEqual([37, 21, [], null]);
  });

  it('strips EXIF (with GPS), XMP, MPF, Photoshop/IPTC, comments and trailing images', () => {
    const dirty = buildJpeg({
      width: 9,
      height: 9,
      segments: [
        jpegExifSegment(buildExif({ orientation: 6 })),
        jpegXmpSegment(),
        jpegIccSegment(),
        jpegMpfSegment(),
        jpegPhotoshopSegment(),
        jpegAdobeSegment(),
        jpegComment(),
      ],
      middle: [jpegComment()],
      // An MPF secondary image after EOI, with its own EXIF.
      trailing: buildJpeg({ segments: [jpegExifSegment()] }),
    });
    expect(dirty.includes(SECRET)).toBe(true);
    const r = sanitize(dirty);
    expectClean(r.data);
    expect(r.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(r.data.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(
      r.data.equals(buildJpeg({ width: 9, height: 9, segments: [jpegIccSegment(), jpegAdobeSegment()] })),
    ).toBe(true);
    expect(r.removed).toEqual([
      'jpeg:APP1/Exif',
      'exif:gps',
      'exif:orientation=6',
      'jpeg:APP1/XMP',
      'jpeg:APP2/MPF',
      'jpeg:APP13/Photoshop 3.0',
      'jpeg:COM',
      'jpeg:trailing-data',
    ]);
    expect([r.width, r.height, r.orientation]).toEqual([9, 9, 6]);
  });

  it('keeps JFIF APP0, ICC_PROFILE APP2 and Adobe APP14 but drops other APP0/APP2/APP14 payloads', () => {
    const jfxx = jpegSegment(0xe0, Buffer.from('JFXX\0\x10thumbnail', 'latin1'));
    const fpxr = jpegSegment(0xe2, Buffer.from('FPXR\0\0\0', 'latin1'));
    const app14 = jpegSegment(0xee, Buffer.from('NotAdobe', 'latin1'));
    const r = sanitize(buildJpeg({ segments: [jpegIccSegment(), jfxx, fpxr, app14, jpegAdobeSegment()] }));
    expect(r.data.equals(buildJpeg({ segments: [jpegIccSegment(), jpegAdobeSegment()] }))).toBe(true);
    expect(r.removed).toEqual(['jpeg:APP0/JFXX', 'jpeg:APP2/FPXR', 'jpeg:APP14/NotAdobe']);
  });

  it('drops every APP3–APP15 segment and labels ones without a readable identifier by number', () => {
    const apps = Array.from({ length: 13 }, (_, i) => jpegSegment(0xe3 + i, Buffer.from([0x01, 0x02, 0xff])));
    const r = sanitize(buildJpeg({ segments: apps }));
    expect(r.data.equals(buildJpeg())).toBe(true);
    expect(r.removed).toEqual(Array.from({ length: 13 }, (_, i) => `jpeg:APP${i + 3}`));
  });

  it('reads the orientation from big-endian EXIF too, and reports no GPS when there is none', () => {
    const r = sanitize(
      buildJpeg({
        segments: [jpegExifSegment(buildExif({ littleEndian: false, orientation: 3, gps: false }))],
      }),
    );
    expect(r.orientation).toBe(3);
    expect(r.removed).toEqual(['jpeg:APP1/Exif', 'exif:orientation=3']);
  });

  it('ignores an out-of-range orientation and survives a malformed EXIF block', () => {
    expect(
      sanitize(buildJpeg({ segments: [jpegExifSegment(buildExif({ orientation: 9 }))] })).orientation,
    ).toBeNull();
    const broken = jpegSegment(0xe1, Buffer.from('Exif\0\0II*\0\xff\xff\xff\x7f', 'latin1'));
    const r = sanitize(buildJpeg({ segments: [broken] }));
    expect(r.removed).toEqual(['jpeg:APP1/Exif']);
    expect(r.orientation).toBeNull();
  });

  it('keeps restart markers, stuffed bytes and several scans (progressive layout) intact', () => {
    const withRst = buildJpeg({ width: 40, height: 17, restartInterval: 2 });
    expect(sanitize(withRst).data.equals(withRst)).toBe(true);
    const entropy = Buffer.concat([
      Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd7, 0x00]),
      // a second scan, with a table and a comment between the scans
      jpegSegment(
        0xc4,
        Buffer.concat([
          Buffer.from([0x11]),
          Buffer.from([1, ...Array<number>(15).fill(0)]),
          Buffer.from([0]),
        ]),
      ),
      jpegComment(),
      jpegSegment(0xda, Buffer.from([1, 1, 0x00, 1, 5, 0])),
      Buffer.from([0xab, 0xff, 0x00]),
    ]);
    const r = sanitize(buildJpeg({ entropy }));
    expect(r.removed).toEqual(['jpeg:COM']);
    expect(r.data.includes(Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd7, 0x00]))).toBe(
      true,
    );
    expect(r.data.includes(Buffer.from([0xab, 0xff, 0x00, 0xff, 0xd9]))).toBe(true);
  });

  it('drops fill bytes before markers', () => {
    const jpeg = buildJpeg();
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const eoi = jpeg.length - 2;
    const filled = Buffer.concat([
      jpeg.subarray(0, sos),
      Buffer.from([0xff, 0xff]),
      jpeg.subarray(sos, eoi),
      Buffer.from([0xff, 0xff, 0xff]),
      jpeg.subarray(eoi),
    ]);
    expect(sanitize(filled).data.equals(jpeg)).toBe(true);
  });

  it('reports a null height when it is deferred to a DNL segment', () => {
    const dnl = jpegSegment(0xdc, Buffer.from([0, 5]));
    const r = sanitize(
      buildJpeg({ width: 4, height: 0, entropy: Buffer.concat([Buffer.from([0x3f]), dnl]) }),
    );
    expect([r.width, r.height]).toEqual([4, null]);
  });

  it.each<[string, () => Buffer]>([
    ['no EOI', () => buildJpeg().subarray(0, -2)],
    ['only SOI and a marker byte', () => Buffer.from([0xff, 0xd8, 0xff])],
    [
      'a segment longer than the file',
      () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x7f, 0xff]), Buffer.alloc(20)]),
    ],
    ['a segment length below 2', () => Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x01, 0xff, 0xd9])],
    [
      'garbage between segments',
      () => Buffer.concat([buildJpeg().subarray(0, 20), Buffer.from([0x00]), buildJpeg().subarray(20)]),
    ],
    ['EOI before any scan', () => Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    [
      'a scan before the frame header',
      () => buildJpeg({ middle: [jpegSegment(0xda, Buffer.from([1, 1, 0, 0, 63, 0])), Buffer.from([0])] }),
    ],
    ['a malformed frame header', () => buildJpeg({ middle: [jpegSegment(0xc2, Buffer.from([8, 0, 1]))] })],
    ['a zero-width frame', () => buildJpeg({ width: 0 })],
    [
      'a malformed scan header',
      () =>
        Buffer.concat([
          upToScan(buildJpeg()),
          jpegSegment(0xda, Buffer.from([5])),
          Buffer.from([0xff, 0xd9]),
        ]),
    ],
    ['a second SOI', () => Buffer.concat([Buffer.from([0xff, 0xd8]), buildJpeg()])],
    ['a stray restart marker', () => buildJpeg({ middle: [Buffer.from([0xff, 0xd3])] })],
  ])('rejects a JPEG with %s as photo.corrupt', (_name, make) => {
    expectCorrupt(make());
  });
});

describe('sanitizeImage: PNG', () => {
  it('leaves a clean PNG unchanged and reads its size from IHDR', () => {
    const png = buildPng({ width: 300, height: 200 });
    const r = sanitize(png);
    expect(r.data.equals(png)).toBe(true);
    expect([r.width, r.height, r.removed]).toEqual([300, 200, []]);
  });

  it('strips eXIf, tEXt, zTXt, iTXt (XMP), tIME and trailing bytes; keeps sRGB', () => {
    const dirty = buildPng({
      width: 5,
      height: 3,
      before: [pngText(), pngSrgb(), pngItxtXmp(), pngExif(), pngTime()],
      after: [pngZtxt(), pngText()],
      trailing: Buffer.from(`after IEND ${SECRET}`),
    });
    const r = sanitize(dirty);
    expectClean(r.data);
    expect(r.data.equals(buildPng({ width: 5, height: 3, before: [pngSrgb()] }))).toBe(true);
    expect(r.data.subarray(-12)).toEqual(pngChunk('IEND', Buffer.alloc(0)));
    expect(r.removed).toEqual([
      'png:tEXt',
      'png:iTXt',
      'png:eXIf',
      'exif:gps',
      'exif:orientation=8',
      'png:tIME',
      'png:zTXt',
      'png:trailing-data',
    ]);
    expect([r.width, r.height, r.orientation]).toEqual([5, 3, 8]);
  });

  it('reads an eXIf chunk written with the JPEG-style Exif prefix', () => {
    const prefixed = pngChunk(
      'eXIf',
      Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), buildExif({ orientation: 5 })]),
    );
    expect(sanitize(buildPng({ before: [prefixed] })).orientation).toBe(5);
  });

  it('keeps unknown ancillary chunks', () => {
    const custom = pngChunk('vpAg', Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 0]));
    const png = buildPng({ before: [custom] });
    expect(sanitize(png).data.equals(png)).toBe(true);
  });

  it.each<[string, () => Buffer]>([
    ['a bad CRC', () => flip(buildPng(), buildPng().indexOf('IDAT') + 6)],
    ['a bad CRC in a chunk that would be dropped', () => flip(buildPng({ before: [pngText()] }), 45)],
    ['no IEND', () => buildPng().subarray(0, -12)],
    ['IDAT missing', () => removeChunk(buildPng(), 'IDAT')],
    ['IHDR not first', () => removeChunk(buildPng({ before: [pngSrgb()] }), 'IHDR')],
    ['a zero width', () => buildPng({ width: 0 })],
    ['a second IHDR', () => buildPng({ before: [pngChunk('IHDR', Buffer.alloc(13, 1))] })],
    ['an invalid chunk type', () => buildPng({ before: [pngChunk('a1b2', Buffer.alloc(1))] })],
    [
      'a chunk longer than the file',
      () =>
        Buffer.concat([
          buildPng().subarray(0, 33),
          Buffer.from([0, 0, 1, 0, 0x49, 0x44, 0x41, 0x54, 1, 2, 3, 4]),
        ]),
    ],
  ])('rejects a PNG with %s as photo.corrupt', (_name, make) => {
    expectCorrupt(make());
  });
});

describe('sanitizeImage: WebP', () => {
  it.each([
    ['lossy', buildWebp()],
    ['lossless', buildWebp({ lossless: true })],
    ['extended without metadata', buildWebp({ extended: true, icc: true })],
  ])('leaves a clean %s WebP unchanged (1×1)', (_kind, webp) => {
    const r = sanitize(webp);
    expect(r.data.equals(webp)).toBe(true);
    expect([r.width, r.height, r.removed]).toEqual([1, 1, []]);
  });

  it('reads the size from VP8, VP8L and VP8X headers', () => {
    const vp8 = Buffer.from(VP8_1X1);
    vp8.writeUInt16LE(640, 6);
    vp8.writeUInt16LE(480 | 0x4000, 8); // upper 2 bits are the scale, not the size
    expect(sizeOf(riffWebp([webpChunk('VP8 ', vp8)]))).toEqual([640, 480]);
    const vp8l = Buffer.from(VP8L_1X1);
    vp8l.writeUInt32LE((299 | (199 << 14) | (1 << 28)) >>> 0, 1);
    expect(sizeOf(riffWebp([webpChunk('VP8L', vp8l)]))).toEqual([300, 200]);
    expect(sizeOf(riffWebp([vp8xChunk(0, 4000, 3000), webpChunk('VP8 ', VP8_1X1)]))).toEqual([4000, 3000]);
  });

  it('strips EXIF and XMP chunks, clears their VP8X flags, keeps ICC and fixes the RIFF size', () => {
    const dirty = buildWebp({
      exif: buildExif({ orientation: 7 }),
      xmp: true,
      icc: true,
      trailing: Buffer.from(SECRET),
    });
    expect(dirty[20]).toBe(0x20 | 0x08 | 0x04);
    const r = sanitize(dirty);
    expectClean(r.data);
    expect(r.data.equals(buildWebp({ icc: true }))).toBe(true);
    expect(r.data[20]).toBe(0x20);
    expect(r.data.readUInt32LE(4)).toBe(r.data.length - 8);
    expect(r.removed).toEqual([
      'webp:EXIF',
      'exif:gps',
      'exif:orientation=7',
      'webp:XMP',
      'webp:trailing-data',
    ]);
    expect(r.orientation).toBe(7);
  });

  it('strips metadata from a lossless extended WebP and from a non-conforming simple one', () => {
    const lossless = sanitize(buildWebp({ lossless: true, exif: buildExif(), xmp: true }));
    expect(lossless.data.equals(riffWebp([vp8xChunk(0, 1, 1), webpChunk('VP8L', VP8L_1X1)]))).toBe(true);
    const simpleWithExif = riffWebp([webpChunk('VP8 ', VP8_1X1), webpChunk('EXIF', buildExif())]);
    expect(sanitize(simpleWithExif).data.equals(buildWebp())).toBe(true);
  });

  it('adds the missing pad byte of an odd-sized last chunk', () => {
    const odd = buildWebp({ lossless: true }); // VP8L payload is 13 bytes + 1 pad
    const unpadded = Buffer.from(odd.subarray(0, -1));
    unpadded.writeUInt32LE(unpadded.length - 8, 4);
    expect(sanitize(unpadded).data.equals(odd)).toBe(true);
  });

  it.each<[string, () => Buffer]>([
    ['a RIFF size beyond the file', () => buildWebp().subarray(0, -2)],
    ['a chunk beyond the RIFF size', () => setU32(buildWebp(), 16, 200)],
    [
      'an unknown first chunk',
      () => riffWebp([webpChunk('ALPH', Buffer.alloc(4)), webpChunk('VP8 ', VP8_1X1)]),
    ],
    ['no chunks at all', () => riffWebp([])],
    ['a truncated chunk header', () => riffWebp([webpChunk('VP8 ', VP8_1X1), Buffer.from('EXIF')])],
    ['VP8X without image data', () => riffWebp([vp8xChunk(0x08, 1, 1), webpChunk('EXIF', buildExif())])],
    ['a short VP8X chunk', () => riffWebp([webpChunk('VP8X', Buffer.alloc(4)), webpChunk('VP8 ', VP8_1X1)])],
    [
      'a VP8 inter frame',
      () => riffWebp([webpChunk('VP8 ', Buffer.concat([Buffer.from([0x31]), VP8_1X1.subarray(1)]))]),
    ],
    ['a VP8 start code missing', () => riffWebp([webpChunk('VP8 ', Buffer.alloc(22))])],
    ['a VP8L signature missing', () => riffWebp([webpChunk('VP8L', Buffer.alloc(13))])],
    ['an unknown VP8L version', () => riffWebp([webpChunk('VP8L', Buffer.from([0x2f, 0, 0, 0, 0x20]))])],
  ])('rejects a WebP with %s as photo.corrupt', (_name, make) => {
    expectCorrupt(make());
  });
});

// ---------------------------------------------------------------- properties

const jpegMeta = [
  jpegExifSegment(),
  jpegXmpSegment(),
  jpegMpfSegment(),
  jpegPhotoshopSegment(),
  jpegComment(),
];
const pngMeta = [pngText(), pngZtxt(), pngItxtXmp(), pngExif(), pngTime()];

/** A JPEG, PNG or WebP with a random selection of metadata, and the same image without it. */
const dirtyAndClean = fc.oneof(
  fc
    .record({
      meta: fc.shuffledSubarray(jpegMeta),
      icc: fc.boolean(),
      w: fc.integer({ min: 1, max: 64 }),
      h: fc.integer({ min: 1, max: 64 }),
      rst: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      trailing: fc.boolean(),
    })
    .map(({ meta, icc, w, h, rst, trailing }) => {
      const keep = icc ? [jpegIccSegment()] : [];
      const base = { width: w, height: h, ...(rst ? { restartInterval: rst } : {}) };
      return {
        dirty: buildJpeg({
          ...base,
          segments: [...meta, ...keep],
          ...(trailing ? { trailing: buildJpeg() } : {}),
        }),
        clean: buildJpeg({ ...base, segments: keep }),
      };
    }),
  fc
    .record({ before: fc.shuffledSubarray(pngMeta), after: fc.shuffledSubarray(pngMeta), srgb: fc.boolean() })
    .map(({ before, after, srgb }) => ({
      dirty: buildPng({ before: [...before, ...(srgb ? [pngSrgb()] : [])], after }),
      clean: buildPng({ before: srgb ? [pngSrgb()] : [] }),
    })),
  fc
    .record({ lossless: fc.boolean(), exif: fc.boolean(), xmp: fc.boolean(), icc: fc.boolean() })
    .map(({ lossless, exif, xmp, icc }) => ({
      dirty: buildWebp({ lossless, xmp, icc, extended: true, ...(exif ? { exif: buildExif() } : {}) }),
      clean: buildWebp({ lossless, icc, extended: true }),
    })),
);

/** Calls sanitize and returns the result, or null for an AppError with an expected code. */
function sanitizeOrReject(data: Buffer): SanitizedImage | null {
  try {
    return sanitize(data);
  } catch (e) {
    if (isAppError(e) && ALLOWED_CODES.has(e.code)) return null;
    throw e;
  }
}

describe('sanitizeImage: properties', () => {
  it('metadata-laden input sanitizes to exactly the clean image, and sanitizing is idempotent', () => {
    fc.assert(
      fc.property(dirtyAndClean, ({ dirty, clean }) => {
        const once = sanitize(dirty);
        expect(once.data.equals(clean)).toBe(true);
        expectClean(once.data);
        const twice = sanitize(once.data);
        expect(twice.data.equals(once.data)).toBe(true);
        expect(twice.removed).toEqual([]);
        expect([twice.width, twice.height, twice.contentType]).toEqual([
          once.width,
          once.height,
          once.contentType,
        ]);
      }),
      { numRuns: 150 },
    );
  });

  it('every truncation of a valid image is rejected with an AppError', () => {
    const samples = [
      buildJpeg({
        segments: [jpegExifSegment(), jpegIccSegment()],
        restartInterval: 1,
        width: 16,
        height: 8,
      }),
      buildPng({ before: [pngText(), pngSrgb()] }),
      buildWebp({ exif: buildExif(), xmp: true, icc: true }),
      buildWebp({ lossless: true }),
    ];
    for (const sample of samples) {
      for (let n = 0; n < sample.length; n++) {
        const e = appErrorOf(() => sanitize(sample.subarray(0, n)));
        expect(ALLOWED_CODES.has(e.code), `${e.code} at length ${n}`).toBe(true);
      }
    }
  });

  it('random bytes only ever produce a result or an AppError', () => {
    const prefixes = [
      Buffer.alloc(0),
      Buffer.from([0xff, 0xd8, 0xff]),
      buildPng().subarray(0, 8),
      Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'),
      Buffer.from('RIFF\x40\0\0\0WEBPVP8X\x0a\0\0\0', 'latin1'),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), (prefix, tail) => {
        const data = Buffer.concat([prefix, Buffer.from(tail)]);
        if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.length >= 8)
          data.writeUInt32LE(data.length - 8, 4);
        sanitizeOrReject(data);
      }),
      { numRuns: 800 },
    );
  });

  it('mutated images only ever produce a result (that is then stable) or an AppError', () => {
    const mutation = fc.record({
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
      kind: fc.constantFrom('overwrite', 'insert', 'delete'),
    });
    fc.assert(
      fc.property(
        dirtyAndClean,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        ({ dirty }, mutations) => {
          let data = Buffer.from(dirty);
          for (const m of mutations) {
            const at = m.at % data.length;
            if (m.kind === 'overwrite') Buffer.from(m.bytes).copy(data, at);
            else if (m.kind === 'insert')
              data = Buffer.concat([data.subarray(0, at), Buffer.from(m.bytes), data.subarray(at)]);
            else data = Buffer.concat([data.subarray(0, at), data.subarray(at + m.bytes.length)]);
          }
          const r = sanitizeOrReject(data);
          if (r) {
            const again = sanitize(r.data);
            expect(again.data.equals(r.data)).toBe(true);
            expect(again.removed).toEqual([]);
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});

// ---------------------------------------------------------------- helpers

function flip(data: Buffer, at: number): Buffer {
  const copy = Buffer.from(data);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}

/** The JPEG up to (not including) its first SOS segment. */
function upToScan(jpeg: Buffer): Buffer {
  return jpeg.subarray(0, jpeg.indexOf(Buffer.from([0xff, 0xda])));
}

function setU32(data: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(data);
  copy.writeUInt32LE(value, at);
  return copy;
}

/** The PNG without its first chunk of the given type. */
function removeChunk(png: Buffer, type: string): Buffer {
  const at = png.indexOf(type) - 4;
  return Buffer.concat([png.subarray(0, at), png.subarray(at + 12 + png.readUInt32BE(at))]);
}

function sizeOf(data: Buffer): [number | null, number | null] {
  const r = sanitize(data);
  return [r.width, r.height];
}
