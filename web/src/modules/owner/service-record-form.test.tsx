import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { ServiceRecordForm } from './service-record-form';

const NOW = () => new Date(2026, 5, 1, 10, 0); // 1 June 2026, local time

describe('ServiceRecordForm', () => {
  it('asks what was serviced, refuses a future day and a bad odometer, and sends nothing', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<ServiceRecordForm onSubmit={onSubmit} now={NOW} />);
    const day = screen.getByLabelText('日期');
    expect(day.getAttribute('max')).toBe('2026-06-01');
    await user.clear(day);
    await user.type(day, '2026-06-02');
    await user.type(screen.getByLabelText('当时里程（公里，选填）'), '12.5');
    await user.click(screen.getByRole('button', { name: '保存记录' }));
    expect(await screen.findByText('请选择')).toBeTruthy();
    expect(screen.getByText('日期不能晚于今天')).toBeTruthy();
    expect(screen.getByText('请输入整数')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the component, the day and the odometer as a number, then clears itself', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<ServiceRecordForm onSubmit={onSubmit} now={NOW} />);
    await user.selectOptions(screen.getByLabelText('保养项目'), 'oil_service');
    const day = screen.getByLabelText('日期');
    await user.clear(day);
    await user.type(day, '2026-03-15');
    await user.type(screen.getByLabelText('当时里程（公里，选填）'), '41200');
    await user.click(screen.getByRole('button', { name: '保存记录' }));
    expect(onSubmit).toHaveBeenCalledWith({ component: 'oil_service', day: '2026-03-15', odometerKm: 41200 });
    expect((screen.getByLabelText('保养项目') as HTMLSelectElement).value).toBe('');
    expect((screen.getByLabelText('当时里程（公里，选填）') as HTMLInputElement).value).toBe('');
  });

  it('leaves the odometer out when it is not known, and shows the server’s refusal', async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiError(422, 'maintenance.service_in_future', 'A service record cannot be in the future');
    });
    const user = userEvent.setup();
    render(<ServiceRecordForm onSubmit={onSubmit} now={NOW} />);
    await user.selectOptions(screen.getByLabelText('保养项目'), 'tyres');
    await user.click(screen.getByRole('button', { name: '保存记录' }));
    expect(onSubmit).toHaveBeenCalledWith({ component: 'tyres', day: '2026-06-01' });
    expect(await screen.findByText('保养日期不能晚于今天')).toBeTruthy();
    // Kept for another try.
    expect((screen.getByLabelText('保养项目') as HTMLSelectElement).value).toBe('tyres');
  });
});
