/**
 * Errors raised by the domain primitives.
 *
 * Validators (`validateVin`, `validatePlate`, `validatePhone`) never throw: they return stable
 * codes plus human messages as {@link Issue}s. Constructors and parsers that cannot return a value
 * (`fen`, `yuanToFen`, `parseLonLat`, `newId` …) throw a {@link DomainError} whose `code` is
 * namespaced (`money.invalid_amount`, `geo.invalid_coord` …) so the HTTP layer can map it to a 400.
 */

/** A stable machine code with a human-readable message. */
export interface Issue<C extends string = string> {
  readonly code: C;
  readonly message: string;
}

/** Invalid input to a domain primitive; `code` is stable, `message` is for humans. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
