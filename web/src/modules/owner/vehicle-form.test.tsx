import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { VehicleModel } from '../../api/types';
import i18n from '../../i18n';
import { VehicleForm } from './vehicle-form';

const MODELS: VehicleModel[] = [
  {
    id: 'vm_1',
    make: 'Geely',
    makeZh: '吉利',
    model: 'Boyue',
    modelZh: '博越',
    yearFrom: 2018,
    yearTo: 2025,
    powertrain: 'ICE',
    engine: '1.5T',
    tier: 'economy',
  },
  {
    id: 'vm_2',
    make: 'BYD',
    makeZh: '比亚迪',
    model: 'Dolphin',
    modelZh: '海豚',
    yearFrom: 2021,
    yearTo: 2025,
    powertrain: 'BEV',
    engine: null,
    tier: 'economy',
  },
];

describe('VehicleForm', () => {
  it('shows every problem and sends nothing', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<VehicleForm models={MODELS} onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText('车牌号'), '浙I12345');
    await user.type(screen.getByLabelText('车架号 VIN（选填）'), 'LSV3PC3A1L0862438');
    await user.type(screen.getByLabelText('年款'), '1975');
    await user.click(screen.getByRole('button', { name: '保存车辆' }));
    expect(await screen.findByText('车牌第二位应为字母（不含 I）')).toBeTruthy();
    expect(screen.getByText('VIN 校验位（第 9 位）不正确，应为 9，请核对')).toBeTruthy();
    expect(screen.getByText('请选择')).toBeTruthy();
    expect(screen.getByText(/请输入 1980 到 \d{4} 之间的数/)).toBeTruthy();
    expect(screen.getByLabelText('车牌号').getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends normalised plate and VIN with numbers as numbers', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const user = userEvent.setup();
    render(<VehicleForm models={MODELS} onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText('车牌号'), '浙a·d12345');
    await user.type(screen.getByLabelText('车架号 VIN（选填）'), 'lsv3pc3a9l0862438');
    await user.selectOptions(screen.getByLabelText('车型'), 'vm_2');
    await user.type(screen.getByLabelText('当前里程（公里）'), '12000');
    await user.click(screen.getByRole('button', { name: '保存车辆' }));
    expect(onSubmit).toHaveBeenCalledWith({
      plate: '浙AD12345',
      vin: 'LSV3PC3A9L0862438',
      vehicleModelId: 'vm_2',
      year: null,
      odometerKm: 12000,
      nickname: null,
    });
  });

  it('shows a server refusal in English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    try {
      const user = userEvent.setup();
      const onSubmit = vi.fn(async () => {
        throw new ApiError(409, 'vehicle.vin_registered', 'VIN LSV… is already registered');
      });
      render(<VehicleForm models={MODELS} onSubmit={onSubmit} />);
      await user.type(screen.getByLabelText('Plate'), '浙A12345');
      await user.selectOptions(screen.getByLabelText('Model'), 'vm_1');
      await user.click(screen.getByRole('button', { name: 'Save car' }));
      expect((await screen.findByTestId('error')).textContent).toContain('This VIN is already registered');
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });
});
