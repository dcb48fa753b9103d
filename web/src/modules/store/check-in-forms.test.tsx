import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ServiceItem } from '../../api/types';
import { packLanes, parseArrivalQuery } from './board-page';
import type { Booking } from '../../api/types';
import { CheckInForm, WalkInForm } from './check-in-forms';
import { hoursProblems } from './settings-page';

describe('CheckInForm', () => {
  it('needs the odometer and a fuel level of 0–100', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<CheckInForm onSubmit={onSubmit} />);
    await user.click(screen.getByTestId('check-in-submit'));
    expect(screen.getAllByText('必填')).toHaveLength(2);
    await user.type(screen.getByLabelText('里程（公里）'), '23500');
    await user.type(screen.getByLabelText('油量/电量（%）'), '120');
    await user.click(screen.getByTestId('check-in-submit'));
    expect(screen.getByText('请输入 0 到 100 之间的数')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('油量/电量（%）'));
    await user.type(screen.getByLabelText('油量/电量（%）'), '60');
    await user.click(screen.getByTestId('check-in-submit'));
    expect(onSubmit).toHaveBeenCalledWith({ odometerKm: 23500, fuelLevelPct: 60 });
  });
});

describe('WalkInForm', () => {
  const items = [
    { code: 'oil_change', nameZh: '更换机油机滤', nameEn: 'Oil change', active: true },
  ] as ServiceItem[];

  it('checks plate, phone and services; sends them normalised', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<WalkInForm items={items} models={[]} initial={{ plate: '浙a12345' }} onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText('手机号'), '12345');
    await user.click(screen.getByRole('button', { name: '登记并开工单' }));
    expect(screen.getByText('手机号为 11 位数字')).toBeTruthy();
    expect(screen.getByText('请至少选择一项服务')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText('手机号'));
    await user.type(screen.getByLabelText('手机号'), '139 0000 1111');
    await user.click(screen.getByRole('button', { name: '更换机油机滤' }));
    await user.type(screen.getByLabelText('里程（公里）'), '80000');
    await user.type(screen.getByLabelText('油量/电量（%）'), '30');
    await user.click(screen.getByRole('button', { name: '登记并开工单' }));
    expect(onSubmit).toHaveBeenCalledWith({
      plate: '浙A12345',
      phone: '13900001111',
      items: ['oil_change'],
      odometerKm: 80000,
      fuelLevelPct: 30,
    });
  });
});

describe('arrival search', () => {
  it('tells a plate from a mobile number', () => {
    expect(parseArrivalQuery('浙a·12345')).toEqual({ plate: '浙A12345' });
    expect(parseArrivalQuery('138 0013 8000')).toEqual({ phone: '13800138000' });
    expect(parseArrivalQuery('hello')).toEqual({ problem: { key: 'validation.plateOrPhone' } });
    expect(parseArrivalQuery(' ')).toEqual({ problem: { key: 'validation.required' } });
  });
});

describe('opening hours', () => {
  it('needs HH:MM and opening before closing on open days', () => {
    const closed = { open: false, from: 'x', to: 'y' };
    const p = hoursProblems({
      1: { open: true, from: '08:30', to: '18:00' },
      2: { open: true, from: '18:00', to: '08:00' },
      3: { open: true, from: '8:00', to: '18:00' },
      4: closed,
      5: closed,
      6: closed,
      7: closed,
    });
    expect(p[1]).toBeNull();
    expect(p[2]).toEqual({ key: 'validation.openBeforeClose' });
    expect(p[3]).toEqual({ key: 'validation.time' });
    expect(p[4]).toBeNull();
  });
});

describe('board lanes', () => {
  it('puts overlapping bookings of a bay in separate lanes and reuses freed ones', () => {
    const bk = (id: string, from: string, to: string) =>
      ({ id, startAt: `2026-11-26T${from}:00.000Z`, endAt: `2026-11-26T${to}:00.000Z` }) as Booking;
    const lanes = packLanes([
      bk('c', '03:00', '04:00'),
      bk('a', '01:00', '02:00'),
      bk('b', '01:30', '02:30'),
    ]);
    expect(lanes.map((l) => [l.b.id, l.lane])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ]);
  });
});
