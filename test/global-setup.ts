// Vitest global setup: filled in by the database test helper.
export default function setup(): void {}
