/**
 * Text that breaks naive COPY encodings (CSV quotes and commas, text-format backslashes, `\N`, the
 * end-of-data marker `\.`, tabs, line breaks, non-ASCII): the readings-by-COPY suites send it as
 * firmware strings on PGlite and PostgreSQL and expect it back unchanged.
 */
export const AWKWARD_TEXT: readonly string[] = [
  'a,"b",c',
  'back\\slash \\N \\.',
  'tab\there\\t',
  'line\nbreak\r\n\\.\nend',
  '固件 v2 🚗 "ü"',
  '',
];
