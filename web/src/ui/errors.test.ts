import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import i18n from '../i18n';
import { describeError } from './errors';

describe('describeError', () => {
  const t = i18n.getFixedT('zh-CN');
  const en = i18n.getFixedT('en');

  it('maps a known code to the language, keeping the server message as detail', () => {
    const e = new ApiError(409, 'booking.slot_taken', 'Bay 1 is taken at 10:00');
    expect(describeError(t, e)).toEqual({
      title: '这个时段刚刚被约走了，请换一个时段',
      detail: 'Bay 1 is taken at 10:00',
      fields: [],
    });
    expect(describeError(en, e).title).toBe('Someone just took this time; pick another');
  });

  it('falls back to a sentence per status for unknown codes', () => {
    expect(describeError(t, new ApiError(409, 'something.new', 'Nope')).title).toBe(
      '当前状态不允许此操作，请刷新后再试',
    );
    expect(describeError(t, new ApiError(503, 'x.y', 'Down')).title).toBe('服务器出错了，请稍后再试');
    expect(describeError(t, new ApiError(0, 'network', 'Failed to fetch'))).toEqual({
      title: '网络连接失败，请检查网络后重试',
      detail: null,
      fields: [],
    });
  });

  it('never throws on something that is not an ApiError', () => {
    expect(describeError(t, new Error('boom')).title).toBe('出了点问题，请稍后再试');
    expect(describeError(t, 'weird').title).toBe('出了点问题，请稍后再试');
  });
});
