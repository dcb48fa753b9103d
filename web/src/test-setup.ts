/** jsdom setup for the component tests: i18n in zh-CN (the default) and a clean DOM between tests. */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import './i18n';

afterEach(() => {
  cleanup();
  globalThis.localStorage?.clear();
});
