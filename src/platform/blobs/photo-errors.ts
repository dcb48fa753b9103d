/** Shared pieces of the per-format strippers: the corrupt-file error and the removal log. */
import { AppError } from '../errors.js';
import { inspectExif } from './exif-inspect.js';

/** The accepted photo formats. */
export type PhotoFormat = 'jpeg' | 'png' | 'webp';

const FORMAT_NAMES: Record<PhotoFormat, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP' };

/** `photo.corrupt` (validation): the file has the right signature but a broken structure. */
export function corrupt(format: PhotoFormat, reason: string, offset: number): AppError {
  return new AppError(
    'photo.corrupt',
    'validation',
    `The ${FORMAT_NAMES[format]} file is damaged or truncated: ${reason} (at byte ${offset})`,
    { format, reason, offset },
  );
}

/** What one format's stripper returns. */
export interface Stripped {
  data: Buffer;
  width: number | null;
  height: number | null;
}

/** Collects what was removed, in order of first appearance, without duplicates. */
export class RemovalLog {
  private readonly items: string[] = [];
  /** The first EXIF orientation seen (1–8), or null. */
  orientation: number | null = null;

  add(label: string): void {
    if (!this.items.includes(label)) this.items.push(label);
  }

  /** Records the facts of an EXIF block that is being removed. */
  exif(block: Buffer): void {
    const facts = inspectExif(block);
    if (facts.gps) this.add('exif:gps');
    if (facts.orientation !== null && this.orientation === null) {
      this.orientation = facts.orientation;
      this.add(`exif:orientation=${facts.orientation}`);
    }
  }

  list(): string[] {
    return [...this.items];
  }
}
